"""双报到 is local practice (市委组织部 notices on 在职党员到社区报到); no national regulation fixes its numbers, so each
is a setting with the default used when the setting is absent (defaults chosen 2026-12-03 from common local notices;
a city sets its own). No database access here."""

import datetime
import math
from decimal import Decimal

from django.conf import settings

# Local practice: a registration lapses after this many months and the member registers again (notices say 每年).
REREGISTER_MONTHS = 12
# Local practice: a claim may be cancelled by the member until this many hours before the slot starts.
CANCEL_HOURS_BEFORE = 24
# Local practice: confirmed registrations a community accepts unless it sets its own cap (avoid 一窝蜂).
COMMUNITY_CAP = 300
# Local practice: yearly service hours expected of a registered member (shown on the statement; 0 = no minimum).
MIN_HOURS_PER_YEAR = Decimal("12")
# Local practice: points per confirmed service hour, credited by the points app (source 社区服务记录).
POINTS_PER_HOUR = 1
# One self-reported or recorded service is at most this many hours (a typo of 80 for 8 is refused).
MAX_HOURS_PER_ENTRY = Decimal("12")
# Days before a registration lapses when the member is reminded.
REMIND_DAYS_BEFORE = 30


def setting(name, default):
    return getattr(settings, f"GRASSROOTS_VOLUNTEERING_{name}", default)


def reregister_months():
    return int(setting("REREGISTER_MONTHS", REREGISTER_MONTHS))


def cancel_hours():
    return int(setting("CANCEL_HOURS_BEFORE", CANCEL_HOURS_BEFORE))


def community_cap():
    return int(setting("COMMUNITY_CAP", COMMUNITY_CAP))


def min_hours():
    return Decimal(str(setting("MIN_HOURS_PER_YEAR", MIN_HOURS_PER_YEAR)))


def points_for(hours, points_max=20):
    """Points for `hours` of confirmed service, rounded up, at most `points_max` (the points app passes its limit for one entry)."""
    return max(1, min(points_max, math.ceil(Decimal(hours) * Decimal(str(setting("POINTS_PER_HOUR", POINTS_PER_HOUR))))))


def can_cancel(starts_at, now):
    """A claim may be cancelled until cancel_hours() before the start (at exactly that moment still allowed)."""
    return now <= starts_at - datetime.timedelta(hours=cancel_hours())


def overlaps(a_start, a_end, b_start, b_end):
    """Two slots clash when they share any time; one ending when the other starts does not clash."""
    return a_start < b_end and b_start < a_end


def hours_error(hours):
    if hours is None:
        return "请填写服务时长"
    if hours <= 0:
        return "服务时长须大于 0"
    if hours > MAX_HOURS_PER_ENTRY:
        return f"单次服务时长不超过 {MAX_HOURS_PER_ENTRY} 小时"
    if hours * 2 != int(hours * 2):
        return "服务时长以半小时计"
    return None


def quarter_range(year, quarter):
    """(first day, last day) of the quarter, or of the year when quarter is 0."""
    if quarter == 0:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)
