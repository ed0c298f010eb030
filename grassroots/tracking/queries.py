"""Read-side questions about tasks: percent of a list, roll-up of many lists in one query, overdue counts per
organization, a list's timeline. Aggregation happens in SQL."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from .choices import EventKind, TaskState
from .models import ProgressReport, Task, TaskEvent

ONE_DECIMAL = Decimal("0.1")
# A done task counts as 100 % whatever its last report said; a cancelled one is left out.
_EFFECTIVE_PERCENT = Case(When(state=TaskState.DONE, then=Value(100)), default=F("percent"), output_field=IntegerField())


def _round(value):
    return None if value is None else Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def list_percent(task_list):
    """Mean percent of the list's tasks (done = 100, cancelled left out) as a Decimal to 0.1; None without tasks."""
    value = task_list.tasks.exclude(state=TaskState.CANCELLED).aggregate(p=Avg(_EFFECTIVE_PERCENT))["p"]
    return _round(value)


@dataclass
class Rollup:
    total: int  # tasks, cancelled left out
    done: int
    overdue: int
    submitted: int
    percent: Decimal | None


def rollup(task_lists, today=None):
    """{task_list id: Rollup} for many lists in one query (task_lists: a queryset or an iterable of lists/ids)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    ids = [getattr(t, "pk", t) for t in task_lists]
    rows = (
        Task.objects.filter(task_list_id__in=ids).exclude(state=TaskState.CANCELLED).values("task_list_id")
        .annotate(
            total=Count("id"), done=Count("id", filter=Q(state=TaskState.DONE)),
            overdue=Count("id", filter=Q(due_on__lt=today) & ~Q(state=TaskState.DONE)),
            submitted=Count("id", filter=Q(state=TaskState.SUBMITTED)), percent=Avg(_EFFECTIVE_PERCENT),
        )
        .order_by()
    )
    result = {i: Rollup(0, 0, 0, 0, None) for i in ids}
    for row in rows:
        result[row["task_list_id"]] = Rollup(row["total"], row["done"], row["overdue"], row["submitted"], _round(row["percent"]))
    return result


def overdue_counts(paths, today):
    """{organization id: overdue tasks} for tasks inside any of the subtrees `paths`, counted against the
    organization that must do them (the list's organization when a task has no assignee)."""
    if not paths:
        return {}
    q = Q()
    for p in paths:
        q |= Q(assignee_path__startswith=p, assignee_path__gt="") | Q(list_path__startswith=p)
    rows = (
        Task.objects.overdue(today).filter(q).annotate(org_id=Coalesce("assignee_org_id", "task_list__org_id"))
        .values("org_id").annotate(n=Count("id")).order_by()
    )
    return {row["org_id"]: row["n"] for row in rows}


@dataclass
class Entry:
    on: object  # a date
    kind: str  # "report" or an EventKind value
    label: str
    task: Task
    text: str
    percent: int | None
    actor: object
    files: list
    sort_id: int


def _entries(reports, events):
    items = [
        Entry(r.reported_on, "report", f"报送进度 {r.percent}%", r.task, r.text, r.percent, r.reported_by, list(r.files.all()), r.pk)
        for r in reports
    ]
    items += [Entry(e.on, e.kind, EventKind(e.kind).label, e.task, e.note, None, e.actor, [], e.pk) for e in events]
    items.sort(key=lambda e: (e.on, 0 if e.kind == EventKind.CREATED else 1, e.sort_id))
    return items


def timeline(task_list, tasks=None):
    """The list's reports and state changes, oldest first (three queries whatever the number of tasks); given
    `tasks` (the ones a reader may see), only theirs."""
    reports = ProgressReport.objects.filter(task__task_list=task_list).select_related("task", "reported_by").prefetch_related("files")
    events = TaskEvent.objects.filter(task__task_list=task_list).select_related("task", "actor")
    if tasks is not None:
        ids = [task.pk for task in tasks]
        reports, events = reports.filter(task_id__in=ids), events.filter(task_id__in=ids)
    return _entries(reports, events)


def task_timeline(task):
    reports = task.reports.select_related("task", "reported_by").prefetch_related("files")
    events = task.events.select_related("task", "actor")
    return _entries(reports, events)
