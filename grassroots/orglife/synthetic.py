"""Synthetic organizational life for the demo and the benchmarks: meetings that meet each requirement
most of the time, on random days and hours (Beijing time), and, for the demo, their attendance rolls.

Bulk-inserted like grassroots/dataset/generator.py: no services, no audit rows per meeting (the dataset load
writes one audit row for the whole load)."""

import calendar
import datetime
import random

from django.db.models import Count
from django.utils import timezone

from grassroots.members.models import Member
from grassroots.orgs import summaries
from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization, Post

from . import rollups, rules
from .choices import AttendanceStatus, MeetingKind, MeetingState
from .models import Attendance, Meeting, local_month

LEAVE_REASONS = ["外出务工", "生病住院", "出差", "照顾家人", "单位值班"]


def _branches_with_committee():
    return set(
        Post.objects.current()
        .filter(title__in=rules.COMMITTEE_TITLES, org__kind__in=BRANCH_KINDS)
        .values("org_id").annotate(n=Count("id")).filter(n__gte=rules.COMMITTEE_MIN_POSTS)
        .values_list("org_id", flat=True)
    )


def plan_year(year, seed, *, through=None):
    """Unsaved Meeting objects for one year of every active branch and group; none after `through`."""
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    committees = _branches_with_committee()
    last_month = 12 if through is None or through.year > year else through.month

    def when(month):
        days = calendar.monthrange(year, month)[1]
        if through is not None and (year, month) == (through.year, through.month):
            days = through.day
        day = rng.randint(1, days)
        return datetime.datetime(year, month, day, rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30]), tzinfo=tz)

    def meeting(org, kind, month):
        state = MeetingState.CONFIRMED if rng.random() < 0.7 else MeetingState.RECORDED
        starts_at = when(month)
        return Meeting(
            org_id=org[0], org_path=org[1], kind=kind, starts_at=starts_at, month=local_month(starts_at),
            topic=rng.choice(["学习贯彻党的会议精神", "党章党规学习", "主题党日：志愿服务", "讨论发展党员工作", "听取党员思想汇报"]),
            minutes="（演示数据）", lecturer="支部书记" if kind == MeetingKind.LECTURE else "", state=state,
        )

    months = range(1, last_month + 1)
    meetings = []
    orgs = Organization.objects.filter(kind__in=[*BRANCH_KINDS, Kind.GROUP], is_active=True).values_list("id", "path", "kind")
    for pk, path, kind in orgs.iterator():
        org = (pk, path)
        if kind == Kind.GROUP:
            meetings += [meeting(org, MeetingKind.GROUP, m) for m in months if rng.random() < 0.85]
            continue
        meetings += [meeting(org, MeetingKind.THEME_DAY, m) for m in months if rng.random() < 0.92]
        if pk in committees:
            meetings += [meeting(org, MeetingKind.COMMITTEE, m) for m in months if rng.random() < 0.9]
        for quarter in range(4):
            month = 3 * quarter + rng.randint(1, 3)
            if month > last_month:
                continue
            if rng.random() < 0.9:
                meetings.append(meeting(org, MeetingKind.GENERAL_ASSEMBLY, month))
            if rng.random() < 0.85:
                meetings.append(meeting(org, MeetingKind.LECTURE, month))
        month = rng.choice([11, 12, 12])
        if month <= last_month and rng.random() < 0.9:
            meetings.append(meeting(org, MeetingKind.LIFE_MEETING, month))
    return meetings


def generate_meetings(year, seed, *, through=None, attendance=False, batch_size=5000):
    """Save a year of meetings (and, with `attendance`, a roll for each: most present, some on leave,
    a few absent; a handful of members never attend, so the six-month rule has someone to find).
    Returns (meetings, attendance rows)."""
    meetings = plan_year(year, seed, through=through)
    Meeting.objects.bulk_create(meetings, batch_size=batch_size)
    summaries.touch({m.org_path for m in meetings}, names=[rollups.NAME])  # bulk_create sends no post_save
    rows = 0
    if attendance:
        rng = random.Random(seed + 1)
        roster = {}
        for pk, path in Member.objects.in_register().values_list("id", "org_path").iterator(chunk_size=5000):
            roster.setdefault(path, []).append(pk)
        never = {pk for pks in roster.values() for pk in pks if rng.random() < 0.02}
        pending = []
        for m in Meeting.objects.filter(month__gte=year * 100 + 1, month__lte=year * 100 + 12).values_list("id", "org_path"):
            meeting_id, path = m
            for member_id in [pk for p, pks in roster.items() if p.startswith(path) for pk in pks]:
                roll = rng.random()
                if member_id in never or roll < 0.04:
                    pending.append(Attendance(meeting_id=meeting_id, member_id=member_id, status=AttendanceStatus.ABSENT))
                elif roll < 0.12:
                    pending.append(Attendance(meeting_id=meeting_id, member_id=member_id, status=AttendanceStatus.LEAVE,
                                              leave_reason=rng.choice(LEAVE_REASONS)))
                else:
                    pending.append(Attendance(meeting_id=meeting_id, member_id=member_id, status=AttendanceStatus.PRESENT))
            if len(pending) >= batch_size:
                Attendance.objects.bulk_create(pending, batch_size=batch_size)
                rows += len(pending)
                pending = []
        Attendance.objects.bulk_create(pending, batch_size=batch_size)
        rows += len(pending)
    return len(meetings), rows
