"""Routine disclosures on a schedule: which periods each village or community owes, which are done, due or
overdue (periods in Asia/Shanghai; pass `timezone.localdate()` as today)."""

import datetime
from dataclasses import dataclass

from grassroots.core import scoping

from . import rules
from .models import Disclosure, Schedule

# How many past periods of one schedule are checked (two years of months; older gaps are history).
LOOKBACK_PERIODS = 24


@dataclass
class PeriodStatus:
    schedule: Schedule
    start: object
    end: object
    key: str
    label: str
    due_on: object
    done: bool
    state: str  # done / open (period not ended) / due (ended, not yet overdue) / overdue

    @property
    def state_label(self):
        return {"done": "已公开", "open": "本期进行中", "due": "待公开", "overdue": "逾期未公开"}[self.state]

    def as_dict(self):
        return {
            "org": self.schedule.org, "category": self.schedule.category, "due_on": self.due_on, "period_key": self.key,
            "period_label": self.label, "schedule": self.schedule,
        }


def periods(schedule, today):
    """The schedule's periods from the one containing starts_on up to the current one, newest first."""
    result = []
    start, end = rules.period_of(schedule.frequency, today)
    while end >= schedule.starts_on and len(result) < LOOKBACK_PERIODS:
        result.append((start, end))
        start, end = rules.previous_period(schedule.frequency, start)
    return result


def _done_keys(schedules):
    org_ids = {s.org_id for s in schedules}
    if not org_ids:
        return set()
    return set(
        Disclosure.objects.filter(org_id__in=org_ids, category__in={s.category for s in schedules}).exclude(period_key="")
        .values_list("org_id", "category", "period_key")
    )


def statuses(schedules, today):
    """Every owed period of every schedule, newest first per schedule (one query for what is done)."""
    schedules = list(schedules)
    done = _done_keys(schedules)
    rows = []
    for schedule in schedules:
        for start, end in periods(schedule, today):
            key = rules.period_key(schedule.frequency, start)
            due = rules.due_on(end, schedule.due_days)
            is_done = (schedule.org_id, schedule.category, key) in done
            if is_done:
                state = "done"
            elif today <= end:
                state = "open"
            elif rules.is_overdue(due, today):
                state = "overdue"
            else:
                state = "due"
            rows.append(PeriodStatus(schedule, start, end, key, rules.period_label(schedule.frequency, start), due, is_done, state))
    return rows


def latest_statuses(schedules, today):
    """Per schedule, the period that matters now: the oldest overdue one, else the last ended one, else the current."""
    by_schedule = {}
    for row in statuses(schedules, today):
        by_schedule.setdefault(row.schedule.pk, []).append(row)
    result = []
    for rows in by_schedule.values():
        overdue = [r for r in rows if r.state == "overdue"]
        ended = [r for r in rows if r.state != "open"]
        result.append(overdue[-1] if overdue else ended[0] if ended else rows[0])
    return result


def _schedules(paths):
    return Schedule.objects.filter(scoping.path_q("org_path", paths), is_active=True).select_related("org").order_by("org_path", "category")


def overdue_routine(paths, today):
    """Routine disclosures past their due date and not published, for the schedules inside `paths` (org
    path prefixes; [""] for all): dicts {org, category, due_on, period_key, period_label, schedule}."""
    return [r.as_dict() for r in statuses(_schedules(paths), today) if r.state == "overdue"]


def due_soon(paths, today, days=None):
    """Periods ended (or ending) whose due date is within `days` (rules.reminder_days) and not yet published."""
    days = rules.reminder_days() if days is None else days
    result = []
    for r in statuses(_schedules(paths), today):
        if not r.done and 0 <= (r.due_on - today).days <= days and today >= r.end - datetime.timedelta(days=days):
            result.append(r.as_dict())
    return result
