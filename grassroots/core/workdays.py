"""Working days (工作日) for time limits counted in them, such as the 5-working-day public notice of member
development. Monday to Friday, minus the public holidays and plus the make-up working days (调休上班) of the
State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知), which a deployment enters as
settings each year: the platform ships no calendar of its own rather than guess one."""

import datetime

from django.conf import settings


def _dates(name):
    return {datetime.date.fromisoformat(str(d)) for d in getattr(settings, name, ())}


def is_working_day(day, holidays=None, makeup=None):
    holidays = _dates("GRASSROOTS_PUBLIC_HOLIDAYS") if holidays is None else holidays
    makeup = _dates("GRASSROOTS_MAKEUP_WORKDAYS") if makeup is None else makeup
    if day in makeup:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(day, n):
    """The day that is `n` working days after `day`."""
    holidays, makeup = _dates("GRASSROOTS_PUBLIC_HOLIDAYS"), _dates("GRASSROOTS_MAKEUP_WORKDAYS")
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays, makeup):
            n -= 1
    return day
