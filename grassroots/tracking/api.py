"""REST API of tracking under /api/v1/tracking/, scoped like the pages (every write calls a service)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core.api_support import paginated

from . import queries, services
from .models import Task, TaskList

router = Router(tags=["任务与进度"])


class TaskOut(Schema):
    id: int
    task_list_id: int
    task_list_title: str
    title: str
    detail: str
    assignee_org_id: int | None
    assignee_org_name: str
    responsible_name: str
    starts_on: datetime.date | None
    due_on: datetime.date
    state: str
    state_label: str
    percent: int
    overdue: bool
    last_reported_on: datetime.date | None
    done_on: datetime.date | None
    url: str


class TaskPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TaskOut]


class EntryOut(Schema):
    on: datetime.date
    kind: str
    label: str
    task_id: int
    text: str
    percent: int | None
    actor: str
    files: list[str]


class TaskDetailOut(TaskOut):
    timeline: list[EntryOut]


class ListOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    source: str
    source_id: int | None
    source_url: str
    total: int
    done: int
    overdue: int
    submitted: int
    percent: Decimal | None
    tasks: list[TaskOut]


def _task_out(t, today):
    return {
        "id": t.pk, "task_list_id": t.task_list_id, "task_list_title": t.task_list.title, "title": t.title, "detail": t.detail,
        "assignee_org_id": t.assignee_org_id, "assignee_org_name": t.assignee_org.name if t.assignee_org else "",
        "responsible_name": t.responsible_name, "starts_on": t.starts_on, "due_on": t.due_on, "state": t.state,
        "state_label": t.get_state_display(), "percent": 100 if t.state == "done" else t.percent, "overdue": t.is_overdue(today),
        "last_reported_on": t.last_reported_on, "done_on": t.done_on, "url": reverse("tracking:task", args=[t.pk]),
    }


def _entry_out(e):
    return {"on": e.on, "kind": e.kind, "label": e.label, "task_id": e.task.pk, "text": e.text, "percent": e.percent,
            "actor": (e.actor.full_name or e.actor.username) if e.actor else "", "files": [f.original_name for f in e.files]}


def _task(request, task_id):
    return get_object_or_404(Task.objects.visible_to(request.auth).select_related("task_list__org", "assignee_org"), pk=task_id)


def _detail(task):
    today = timezone.localdate()
    return {**_task_out(task, today), "timeline": [_entry_out(e) for e in queries.task_timeline(task)]}


class TaskFilter(Schema):
    mine: bool = False
    overdue: bool = False
    state: str = ""
    page: int = 1
    page_size: int = 50


@router.get("/tasks", response=TaskPage, summary="任务列表（mine=true：需要我报送的任务）")
def list_tasks(request, filters: Query[TaskFilter]):
    today = timezone.localdate()
    qs = Task.objects.reportable_by(request.auth) if filters.mine else Task.objects.visible_to(request.auth)
    if filters.overdue:
        qs = qs.overdue(today)
    if filters.state:
        qs = qs.filter(state=filters.state)
    qs = qs.select_related("task_list", "assignee_org").order_by("due_on", "id")
    return paginated(qs, filters.page, filters.page_size, lambda rows: [_task_out(t, today) for t in rows])


@router.get("/lists/{task_list_id}", response=ListOut, summary="任务清单及其任务")
def get_list(request, task_list_id: int):
    task_list = get_object_or_404(TaskList.objects.visible_to(request.auth).select_related("org"), pk=task_list_id)
    today = timezone.localdate()
    roll = queries.rollup([task_list], today)[task_list.pk]
    tasks = task_list.tasks.filter(pk__in=Task.objects.visible_to(request.auth).values("pk")).select_related("task_list", "assignee_org")
    return {
        "id": task_list.pk, "org_id": task_list.org_id, "org_name": task_list.org.name, "title": task_list.title, "source": task_list.source,
        "source_id": task_list.source_id, "source_url": task_list.source_url, "total": roll.total, "done": roll.done, "overdue": roll.overdue,
        "submitted": roll.submitted, "percent": roll.percent, "tasks": [_task_out(t, today) for t in tasks],
    }


@router.get("/tasks/{tracked_task_id}", response=TaskDetailOut, summary="任务详情与进展记录")
def get_task(request, tracked_task_id: int):
    return _detail(_task(request, tracked_task_id))


class TaskIn(Schema):
    title: str
    due_on: datetime.date
    detail: str = ""
    assignee_org_id: int | None = None
    responsible_name: str = ""
    starts_on: datetime.date | None = None


@router.post("/lists/{task_list_id}/tasks", response={201: TaskDetailOut}, summary="下达任务")
def add_task(request, task_list_id: int, payload: TaskIn):
    from django.core.exceptions import ValidationError

    from grassroots.orgs.models import Organization

    task_list = get_object_or_404(TaskList.objects.visible_to(request.auth).select_related("org"), pk=task_list_id)
    assignee = None
    if payload.assignee_org_id is not None:
        assignee = Organization.objects.filter(pk=payload.assignee_org_id, path__startswith=task_list.org_path).first()
        if assignee is None:
            raise ValidationError({"assignee_org_id": "找不到该责任单位，或它不在下达单位的管辖范围内"})
    task = services.add_task(request.auth, task_list, title=payload.title, due_on=payload.due_on, detail=payload.detail, assignee_org=assignee,
                             responsible_name=payload.responsible_name, starts_on=payload.starts_on)
    return Status(201, _detail(task))


class ReportIn(Schema):
    percent: int
    text: str = ""
    reported_on: datetime.date | None = None


@router.post("/tasks/{tracked_task_id}/reports", response={201: TaskDetailOut}, summary="报送进度（附件请在页面上传）")
def report(request, tracked_task_id: int, payload: ReportIn):
    task = _task(request, tracked_task_id)
    services.report_progress(request.auth, task, percent=payload.percent, text=payload.text, reported_on=payload.reported_on or timezone.localdate())
    task.refresh_from_db()
    return Status(201, _detail(task))


class ReasonIn(Schema):
    reason: str


class DueIn(Schema):
    due_on: datetime.date
    reason: str


class EmptyIn(Schema):
    pass


@router.post("/tasks/{tracked_task_id}/submit", response=TaskDetailOut, summary="报请验收")
def submit(request, tracked_task_id: int, payload: EmptyIn):
    return _detail(services.submit(request.auth, _task(request, tracked_task_id)))


@router.post("/tasks/{tracked_task_id}/return", response=TaskDetailOut, summary="退回重办")
def return_for_rework(request, tracked_task_id: int, payload: ReasonIn):
    return _detail(services.return_for_rework(request.auth, _task(request, tracked_task_id), payload.reason))


@router.post("/tasks/{tracked_task_id}/sign-off", response=TaskDetailOut, summary="签字办结")
def sign_off(request, tracked_task_id: int, payload: EmptyIn):
    return _detail(services.sign_off(request.auth, _task(request, tracked_task_id)))


@router.post("/tasks/{tracked_task_id}/cancel", response=TaskDetailOut, summary="撤销任务")
def cancel(request, tracked_task_id: int, payload: ReasonIn):
    return _detail(services.cancel(request.auth, _task(request, tracked_task_id), payload.reason))


@router.post("/tasks/{tracked_task_id}/due", response=TaskDetailOut, summary="调整完成时限")
def change_due(request, tracked_task_id: int, payload: DueIn):
    return _detail(services.change_due(request.auth, _task(request, tracked_task_id), payload.due_on, payload.reason))
