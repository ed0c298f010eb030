"""Test helpers: meetings written straight to the table, for dates the services would refuse (the future)."""

import datetime
from zoneinfo import ZoneInfo

from grassroots.orglife.choices import MeetingState
from grassroots.orglife.models import Attendance, Meeting

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SH)


def held(org, kind, when, state=MeetingState.RECORDED, present=(), leave=(), absent=()):
    meeting = Meeting.objects.create(
        org=org, org_path=org.path, kind=kind, starts_at=when, topic="测试会议", minutes="记录", state=state
    )
    rows = [Attendance(meeting=meeting, member=m, status="present") for m in present]
    rows += [Attendance(meeting=meeting, member=m, status="leave", leave_reason="出差") for m in leave]
    rows += [Attendance(meeting=meeting, member=m, status="absent") for m in absent]
    Attendance.objects.bulk_create(rows)
    return meeting
