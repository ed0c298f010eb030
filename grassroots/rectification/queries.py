"""Read-side questions of the oversight pages, the ledger, the report upward and the API (aggregates in SQL)."""

from django.db.models import Count, Q

from grassroots.tracking.queries import overdue_counts, rollup

from . import rules
from .models import Case


def cases_in(user, org, year=None):
    qs = Case.objects.visible_to(user).filter(org_path__startswith=org.path)
    if year:
        qs = qs.filter(year=year)
    return qs


def stage_counts(qs, today):
    """Counts by stage, overdue (past the case's deadline and not closed) and reopened; one query."""
    row = qs.aggregate(
        total=Count("id"),
        **{s: Count("id", filter=Q(stage=s)) for s in Case.Stage.values},
        overdue=Count("id", filter=Q(due_on__lt=today) & ~Q(stage=Case.Stage.CLOSED)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
    )
    row["stages"] = [(label, row[value]) for value, label in Case.Stage.choices]
    return row


def ledger_rows(qs, today, limit=None):
    """Cases with org, township, assisting unit and their measures' roll-up: two queries whatever the count."""
    qs = qs.select_related("org", "township", "assisting_unit", "task_list").order_by("org_path", "id")
    cases = list(qs[:limit] if limit else qs)
    ups = rollup([c.task_list_id for c in cases], today)
    for c in cases:
        c.rollup = ups[c.task_list_id]
        c.is_overdue = c.is_open and c.due_on < today
    return cases


def problem_counts(qs, version):
    """[(label, number of cases)] per criterion of the rule set."""
    counts = {}
    for problems in qs.values_list("problems", flat=True):
        for p in problems:
            counts[p] = counts.get(p, 0) + 1
    return [(label, counts.get(key, 0)) for key, label in rules.rule_set_named(version).choices()]


def by_township(cases):
    rows = {}
    for c in cases:
        name = str(c.township) if c.township_id else "县（区）直属"
        r = rows.setdefault(name, {"name": name, "total": 0, "closed": 0, "open": 0, "overdue": 0, "reopened": 0})
        r["total"] += 1
        r["closed" if c.stage == Case.Stage.CLOSED else "open"] += 1
        r["overdue"] += int(c.is_overdue)
        r["reopened"] += int(c.reopen_count > 0)
    return list(rows.values())


def overdue_measures(org, today):
    return sum(overdue_counts([org.path], today).values())
