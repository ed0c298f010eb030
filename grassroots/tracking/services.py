"""Every change to task lists, tasks and progress reports goes through these functions (atomic, checked, audited).

Who may act:
- managers of the list's organization (scoping.can_manage_org) create the list, add, cancel and re-date tasks,
  return a submitted task and sign it off (签字办结; the only way a task is closed);
- the responsible user, managers of the assignee organization, stationed cadres and assisting-unit contacts
  covering the assignee organization, and the task's extra reporters report progress and submit.
"""

import datetime
import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.uploads import read_upload

from . import rules
from .choices import FINISHED, EventKind, TaskState
from .models import ProgressReport, ReportFile, Task, TaskEvent, TaskList, reporter_paths

TASK_FIELDS = ["title", "due_on", "state", "percent", "done_on", "signed_off_by", "assignee_org", "responsible_name", "responsible_user"]


# ---- who may act --------------------------------------------------------------------------------------------------


def can_manage_list(user, task_list):
    return scoping.can_manage_org(user, task_list.org)


def can_report(user, task):
    """May `user` report progress on `task` and submit it?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if task.responsible_user_id == user.pk or can_manage_list(user, task.task_list):
        return True
    if task.assignee_path and scoping.covers(reporter_paths(user), task.assignee_path):
        return True
    return task.extra_reporters.filter(pk=user.pk).exists()


def _require_manage(actor, task_list):
    if not can_manage_list(actor, task_list):
        raise PermissionDenied("您没有管理该任务清单的权限（须为下达单位的管理人员）")


def _require_report(actor, task):
    if not can_report(actor, task):
        raise PermissionDenied("您不是该任务的责任人或责任单位的管理人员，不能报送进度")


def _lock(task):
    return Task.objects.select_for_update(of=("self",)).select_related("task_list__org", "assignee_org").get(pk=task.pk)


def _require_unfinished(task):
    if task.state in FINISHED:
        raise ValidationError(f"任务{task.get_state_display()}，不能再变更")


def _kind(task_list):
    """The notification kind of the part app that owns the list ("rectification.case" -> RECTIFICATION)."""
    app = (task_list.source or "").split(".", 1)[0].upper()
    return getattr(notifications.Kind, app, notifications.Kind.REMINDER)


def list_managers(task_list):
    """Users holding a managing role on the list's organization itself (the people who sign off)."""
    from grassroots.accounts.models import RoleAssignment
    from grassroots.core.roles import MANAGING_ROLES

    return list(
        RoleAssignment.objects.filter(revoked_at__isnull=True, org=task_list.org, role__in=MANAGING_ROLES)
        .values_list("user_id", flat=True).distinct()
    )


def _event(task, kind, actor, note="", on=None):
    return TaskEvent.objects.create(task=task, kind=kind, on=on or timezone.localdate(), note=note, actor=actor)


def _clean_text(value, field, label, max_length):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 个字"})
    return value


# ---- task lists and tasks -----------------------------------------------------------------------------------------


@transaction.atomic
def create_list(actor, org, *, title, source, source_id, source_url=""):
    _require_manage(actor, org_list_stub(org))
    title = _clean_text(title, "title", "任务清单名称", 200)
    if not source:
        raise ValidationError({"source": "请注明任务来源"})
    task_list = TaskList.objects.create(
        org=org, org_path=org.path, title=title, source=source, source_id=source_id, source_url=source_url or "", created_by=actor,
    )
    audit.record(audit.Action.CREATE, task_list, after={"title": title, "source": source, "source_id": source_id},
                 org_path=org.path, note=f"建立任务清单《{title}》", actor=actor)
    return task_list


def org_list_stub(org):
    """An unsaved list of `org`, so the permission check reads the same for a new list as for an existing one."""
    return TaskList(org=org, org_path=org.path)


@transaction.atomic
def add_task(actor, task_list, *, title, due_on, detail="", assignee_org=None, responsible_name="", responsible_user=None,
             starts_on=None, extra_reporters=()):
    _require_manage(actor, task_list)
    title = _clean_text(title, "title", "任务内容", 300)
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "请填写完成时限"})
    if starts_on and starts_on > due_on:
        raise ValidationError({"due_on": "完成时限不能早于开始日期"})
    if assignee_org is not None and not (assignee_org.path.startswith(task_list.org_path) or scoping.can_manage_org(actor, assignee_org)
                                         or scoping.covers(scoping.read_paths(actor), assignee_org.path)):
        raise ValidationError({"assignee_org": "责任单位须在下达单位的管辖范围内"})
    position = (task_list.tasks.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    task = Task.objects.create(
        task_list=task_list, list_path=task_list.org_path, title=title, detail=(detail or "").strip(), due_on=due_on, starts_on=starts_on,
        assignee_org=assignee_org, assignee_path=assignee_org.path if assignee_org else "", responsible_name=(responsible_name or "").strip()[:50],
        responsible_user=responsible_user, position=position,
    )
    if extra_reporters:
        task.extra_reporters.set(list(extra_reporters))
    _event(task, EventKind.CREATED, actor, note=f"完成时限 {due_on:%Y-%m-%d}")
    audit.record(audit.Action.CREATE, task, after=audit.snapshot(task, TASK_FIELDS), org_path=task_list.org_path,
                 note=f"下达任务「{title}」", actor=actor)
    if responsible_user is not None and responsible_user != actor:
        notifications.notify([responsible_user], title=f"新任务：{title}", body=f"{task_list.title}，完成时限 {due_on:%Y-%m-%d}",
                             link=reverse("tracking:task", args=[task.pk]), kind=_kind(task_list), org_path=task_list.org_path)
    return task


def _check_file(uploaded):
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", None) or 0
    head, sha256 = (b"", "") if size > rules.file_max_bytes() else read_upload(uploaded, rules.HEAD_BYTES)
    message = rules.file_error(name, size, head)
    if message:
        raise ValidationError({"files": f"《{name}》：{message}"})
    return name, size, sha256


@transaction.atomic
def report_progress(actor, task, *, percent, text, reported_on, files=()):
    """Report progress (a percent, what was done, photos and documents). The percent may not go down without a
    note; a finished (done or cancelled) task takes no report; reporting 100 % does not close it (that is the
    list's sign-off)."""
    task = _lock(task)
    _require_report(actor, task)
    _require_unfinished(task)
    today = timezone.localdate()
    if not isinstance(reported_on, datetime.date):
        raise ValidationError({"reported_on": "请填写报送日期"})
    if reported_on > today:
        raise ValidationError({"reported_on": "报送日期不能晚于今天"})
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise ValidationError({"percent": "完成进度须为 0 到 100 的整数"}) from None
    message = rules.percent_error(percent, task.percent, text)
    if message:
        raise ValidationError({"percent" if "0 到 100" in message else "text": message})
    files = [f for f in files if f]
    if len(files) > rules.files_per_report():
        raise ValidationError({"files": f"每次最多上传 {rules.files_per_report()} 个文件"})
    checked = [(f, *_check_file(f)) for f in files]
    before = audit.snapshot(task, ["percent", "state"])
    report = ProgressReport.objects.create(task=task, reported_on=reported_on, percent=percent, text=(text or "").strip(), reported_by=actor)
    stored = []
    try:
        for uploaded, name, size, sha256 in checked:
            row = ReportFile(report=report, original_name=name, size=size, sha256=sha256,
                             content_type=rules.FILE_SIGNATURES[rules.extension(name)][0])
            row.file.save(f"{uuid.uuid4().hex}.{rules.extension(name)}", uploaded, save=False)
            stored.append((row.file.storage, row.file.name))
            row.save()
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    task.percent = percent
    task.last_reported_on = max(reported_on, task.last_reported_on or reported_on)
    task.save(update_fields=["percent", "last_reported_on"])
    audit.record(audit.Action.REPORT, task, before=before, after={"percent": percent, "files": [c[1] for c in checked]},
                 org_path=task.list_path, note=f"报送进度 {percent}%", actor=actor)
    return report


@transaction.atomic
def submit(actor, task):
    """The reporter asks the list's organization to sign the task off (报请验收)."""
    task = _lock(task)
    _require_report(actor, task)
    if task.state not in (TaskState.OPEN, TaskState.RETURNED):
        raise ValidationError(f"任务{task.get_state_display()}，不能报请验收")
    before = audit.snapshot(task, ["state"])
    task.state = TaskState.SUBMITTED
    task.save(update_fields=["state"])
    _event(task, EventKind.SUBMITTED, actor, note=f"进度 {task.percent}%")
    audit.record(audit.Action.SUBMIT, task, before=before, after={"state": task.state}, org_path=task.list_path, note="报请验收", actor=actor)
    notifications.notify(list_managers(task.task_list), title=f"待签字办结：{task.title}", body=task.task_list.title,
                         link=reverse("tracking:task", args=[task.pk]), kind=_kind(task.task_list), org_path=task.list_path)
    return task


@transaction.atomic
def return_for_rework(actor, task, reason):
    task = _lock(task)
    _require_manage(actor, task.task_list)
    if task.state != TaskState.SUBMITTED:
        raise ValidationError("只有已报请验收的任务才能退回")
    reason = _clean_text(reason, "reason", "退回理由", 500)
    task.state = TaskState.RETURNED
    task.save(update_fields=["state"])
    _event(task, EventKind.RETURNED, actor, note=reason)
    audit.record(audit.Action.REJECT, task, before={"state": TaskState.SUBMITTED}, after={"state": task.state},
                 org_path=task.list_path, note=f"退回重办：{reason}", actor=actor)
    notifications.notify([task.responsible_user], title=f"任务被退回：{task.title}", body=reason,
                         link=reverse("tracking:task", args=[task.pk]), kind=_kind(task.task_list), org_path=task.list_path)
    return task


@transaction.atomic
def sign_off(actor, task):
    """Close a submitted task: only a manager of the list's organization signs off (签字办结)."""
    task = _lock(task)
    if not can_manage_list(actor, task.task_list):
        raise PermissionDenied(f"办结须由下达单位（{task.task_list.org}）的管理人员签字确认，您不能办结该任务")
    _require_unfinished(task)
    if task.state != TaskState.SUBMITTED:
        raise ValidationError("任务尚未报请验收，不能签字办结：请责任单位先报送进度并报请验收")
    task.state = TaskState.DONE
    task.percent = 100
    task.done_on = timezone.localdate()
    task.signed_off_by = actor
    task.save(update_fields=["state", "percent", "done_on", "signed_off_by"])
    _event(task, EventKind.SIGNED_OFF, actor)
    audit.record(audit.Action.SIGN, task, before={"state": TaskState.SUBMITTED}, after={"state": task.state, "done_on": task.done_on.isoformat()},
                 org_path=task.list_path, note="签字办结", actor=actor)
    return task


@transaction.atomic
def cancel(actor, task, reason):
    task = _lock(task)
    _require_manage(actor, task.task_list)
    _require_unfinished(task)
    reason = _clean_text(reason, "reason", "撤销理由", 500)
    before = audit.snapshot(task, ["state"])
    task.state = TaskState.CANCELLED
    task.save(update_fields=["state"])
    _event(task, EventKind.CANCELLED, actor, note=reason)
    audit.record(audit.Action.CANCEL, task, before=before, after={"state": task.state}, org_path=task.list_path, note=f"撤销任务：{reason}", actor=actor)
    return task


@transaction.atomic
def change_due(actor, task, due_on, reason):
    task = _lock(task)
    _require_manage(actor, task.task_list)
    _require_unfinished(task)
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "请填写新的完成时限"})
    if task.starts_on and due_on < task.starts_on:
        raise ValidationError({"due_on": "完成时限不能早于开始日期"})
    if due_on == task.due_on:
        raise ValidationError({"due_on": "新的完成时限与原时限相同"})
    reason = _clean_text(reason, "reason", "调整理由", 500)
    old = task.due_on
    task.due_on = due_on
    task.save(update_fields=["due_on"])
    _event(task, EventKind.DUE_CHANGED, actor, note=f"{old:%Y-%m-%d} → {due_on:%Y-%m-%d}：{reason}")
    audit.record(audit.Action.UPDATE, task, before={"due_on": old.isoformat()}, after={"due_on": due_on.isoformat()},
                 org_path=task.list_path, note=f"调整完成时限：{reason}", actor=actor)
    return task


def require_all_signed_off(task_list):
    """For the part app closing what the list belongs to (a case, a notice): refused while any task is neither
    signed off nor cancelled."""
    pending = task_list.tasks.exclude(state__in=FINISHED).count()
    if pending:
        raise ValidationError(f"任务清单《{task_list.title}》尚有 {pending} 项任务未经签字办结，不能结束")
