"""The numbers of stationing and assistance. None of them is a national regulation with a fixed figure: they are local
practice, so each is a Django setting read with a dated default (listed in README.md)."""

import datetime

from django.conf import settings

from grassroots.orgs.choices import Category

# Organizations whose units must pair with a village (机关和企事业单位党组织). Default 2026-12: agencies,
# institutions, schools and state enterprises, as 《关于向重点乡村持续选派驻村第一书记和工作队的意见》(中办, 2021-05)
# names the sending units; a locality that also pairs private enterprises (万企兴万村) adds "private_enterprise".
PARTNER_CATEGORIES = tuple(getattr(settings, "GRASSROOTS_ASSISTANCE_PARTNER_CATEGORIES", (
    Category.AGENCY, Category.INSTITUTION, Category.SCHOOL, Category.STATE_ENTERPRISE,
)))


def term_years_bounds():
    """A stationing term: 1 to 3 years. Default 2026-12 from the 2021 opinion (第一书记任期一般为2年; 1–3 years in
    provincial rules)."""
    return getattr(settings, "GRASSROOTS_ASSISTANCE_TERM_YEARS", (1, 3))


# Minimum days in the village per month, as (valid from, days) so a changed local rule keeps old months right.
# Default 20 days: common provincial practice (“每月驻村不少于20天”), read 2026-12.
MIN_DAYS_DEFAULT = ((datetime.date(2021, 5, 1), 20),)


def min_days(month):
    """Minimum days in the village for the month starting `month`."""
    table = getattr(settings, "GRASSROOTS_ASSISTANCE_MIN_DAYS", MIN_DAYS_DEFAULT)
    days = table[0][1]
    for since, value in sorted(table):
        if month >= since:
            days = value
    return days


def township_leave_max_days():
    """Leave of up to this many days is approved by the township; longer leave by the county's organization
    department. Default 3 days (common county rule “3天以内乡镇党委审批，3天以上县委组织部审批”), read 2026-12."""
    return getattr(settings, "GRASSROOTS_ASSISTANCE_TOWNSHIP_LEAVE_DAYS", 3)


def leave_level(days):
    from .choices import LeaveLevel

    return LeaveLevel.TOWNSHIP if days <= township_leave_max_days() else LeaveLevel.COUNTY


def excellent_percent():
    """优秀 share cap of the yearly assessment of stationed cadres, in percent of the cadres assessed in a county.
    Default 20 %: 公务员考核规定 (2020) keeps 优秀 “一般掌握在本机关参加年度考核的公务员总人数的20%以内”."""
    return getattr(settings, "GRASSROOTS_ASSISTANCE_EXCELLENT_PERCENT", 20)


def excellent_allowed(excellent, total):
    """Integer check: excellent / total <= percent / 100."""
    return excellent * 100 <= excellent_percent() * total


def valid_term(years):
    low, high = term_years_bounds()
    return low <= years <= high


def month_start(day):
    return day.replace(day=1)


def days_in_month(month):
    nxt = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (nxt - month).days
