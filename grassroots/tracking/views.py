"""Pages of the tracking engine: a list, a task (timeline, report form, the list's actions), my tasks, the overdue
tasks of the scope, the Excel ledger of a list and the download of a report's file. Every write calls a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.models import Organization

from . import queries, services
from .choices import TaskState
from .forms import ReasonForm, ReportForm, TaskForm
from .models import ReportFile, Task, TaskList


def _errors_to_form(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def _task(request, pk):
    return get_object_or_404(Task.objects.visible_to(request.user).select_related("task_list__org", "assignee_org", "responsible_user"), pk=pk)


def _list(request, pk):
    return get_object_or_404(TaskList.objects.visible_to(request.user).select_related("org"), pk=pk)


def _reads_whole_list(request, task_list):
    return scoping.covers(scoping.record_paths(request.user), task_list.org_path)


def _tasks_of(request, task_list):
    """The list's tasks the user sees: all of them for readers of the list's org, else only those visible."""
    qs = task_list.tasks.select_related("assignee_org", "responsible_user")
    if not _reads_whole_list(request, task_list):
        qs = qs.filter(pk__in=Task.objects.visible_to(request.user).values("pk"))
    return qs


def _assignable_orgs(task_list):
    return Organization.objects.filter(path__startswith=task_list.org_path).active().only("id", "name", "path")[:500]


@login_required
def list_detail(request, pk):
    task_list = _list(request, pk)
    today = timezone.localdate()
    tasks = list(_tasks_of(request, task_list))
    can_manage = services.can_manage_list(request.user, task_list)
    form = TaskForm(orgs=_assignable_orgs(task_list)) if can_manage else None
    return render(request, "tracking/list_detail.html", {
        "task_list": task_list, "tasks": tasks, "today": today, "can_manage": can_manage, "form": form,
        "percent": queries.list_percent(task_list), "roll": queries.rollup([task_list], today)[task_list.pk],
        "timeline": queries.timeline(task_list, None if _reads_whole_list(request, task_list) else tasks)[-30:][::-1],
    })


@login_required
@require_POST
def task_add(request, pk):
    task_list = _list(request, pk)
    if not services.can_manage_list(request.user, task_list):
        raise PermissionDenied("您没有管理该任务清单的权限")
    orgs = list(_assignable_orgs(task_list))
    form = TaskForm(request.POST, orgs=orgs)
    if form.is_valid():
        data = form.cleaned_data
        assignee = next((o for o in orgs if o.pk == data["assignee_org"]), None)
        try:
            services.add_task(request.user, task_list, title=data["title"], due_on=data["due_on"], detail=data["detail"],
                              assignee_org=assignee, responsible_name=data["responsible_name"], starts_on=data["starts_on"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "任务已下达")
            return redirect("tracking:list", task_list.pk)
    today = timezone.localdate()
    return render(request, "tracking/list_detail.html", {
        "task_list": task_list, "tasks": list(_tasks_of(request, task_list)), "today": today, "can_manage": True, "form": form,
        "percent": queries.list_percent(task_list), "roll": queries.rollup([task_list], today)[task_list.pk], "timeline": [],
    }, status=400)


def _task_context(request, task, report_form=None, reason_form=None):
    return {
        "task": task, "task_list": task.task_list, "today": timezone.localdate(),
        "can_report": services.can_report(request.user, task) and not task.finished,
        "can_manage": services.can_manage_list(request.user, task.task_list),
        "report_form": report_form or ReportForm(initial={"percent": task.percent, "reported_on": timezone.localdate()}),
        "reason_form": reason_form or ReasonForm(), "timeline": queries.task_timeline(task)[::-1],
    }


@login_required
def task_detail(request, pk):
    return render(request, "tracking/task_detail.html", _task_context(request, _task(request, pk)))


@login_required
@require_POST
def task_report(request, pk):
    task = _task(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_progress(request.user, task, percent=data["percent"], text=data["text"], reported_on=data["reported_on"],
                                     files=data["files"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "进度已报送")
            return redirect("tracking:task", task.pk)
    return render(request, "tracking/task_detail.html", _task_context(request, task, report_form=form), status=400)


ACTIONS = {
    "submit": ("已报请验收", lambda user, task, form: services.submit(user, task)),
    "return": ("已退回重办", lambda user, task, form: services.return_for_rework(user, task, form.cleaned_data["reason"])),
    "sign_off": ("已签字办结", lambda user, task, form: services.sign_off(user, task)),
    "cancel": ("任务已撤销", lambda user, task, form: services.cancel(user, task, form.cleaned_data["reason"])),
    "change_due": ("完成时限已调整", lambda user, task, form: services.change_due(user, task, form.cleaned_data["due_on"], form.cleaned_data["reason"])),
}


@login_required
@require_POST
def task_act(request, pk):
    task = _task(request, pk)
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        raise Http404("未知操作")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        action[1](request.user, task, form)
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return render(request, "tracking/task_detail.html", _task_context(request, task, reason_form=form), status=400)
    messages.success(request, action[0])
    return redirect("tracking:task", task.pk)


@login_required
def my_tasks(request):
    today = timezone.localdate()
    state = request.GET.get("state", "active")
    qs = Task.objects.reportable_by(request.user).select_related("task_list", "assignee_org").order_by("due_on", "id")
    if state == "active":
        qs = qs.active()
    elif state in TaskState.values:
        qs = qs.filter(state=state)
    signing = Task.objects.awaiting_sign_off_by(request.user).select_related("task_list", "assignee_org").order_by("due_on")[:50]
    return render(request, "tracking/my_tasks.html", {
        "page": paginate(request, qs), "query": query_without_page(request), "today": today, "state": state,
        "states": TaskState.choices, "signing": list(signing),
    })


def _scope_path(request):
    scope = scoping.current_scope(request)
    paths = scoping.record_paths(request.user)
    if scope is not None and scoping.covers(paths, scope.org.path):
        return scope.org.path
    return paths[0] if paths else None


@login_required
def overdue(request):
    path = _scope_path(request)
    if path is None:
        raise PermissionDenied("您没有查看任务督办情况的权限")
    today = timezone.localdate()
    qs = (Task.objects.visible_to(request.user).within(path).overdue(today)
          .select_related("task_list", "assignee_org").order_by("due_on", "id"))
    counts = queries.overdue_counts([path], today)
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=list(counts))}
    by_org = sorted(((orgs[k], n) for k, n in counts.items() if k in orgs), key=lambda x: -x[1])
    if request.GET.get("format") == "xlsx":
        audit.record(audit.Action.EXPORT, note="导出逾期任务", org_path=path)
        rows = ([t.task_list.title, t.title, t.assignee_org.name if t.assignee_org else "", t.responsible_name, t.due_on,
                 (today - t.due_on).days, t.percent, t.get_state_display()] for t in qs.iterator(chunk_size=500))
        return xlsx_response("逾期任务", "逾期任务", ["任务清单", "任务", "责任单位", "责任人", "完成时限", "逾期天数", "进度（%）", "状态"], rows)
    return render(request, "tracking/overdue.html", {"page": paginate(request, qs), "query": query_without_page(request), "today": today,
                                                      "by_org": by_org[:20]})


@login_required
def list_export(request, pk):
    task_list = _list(request, pk)
    today = timezone.localdate()
    audit.record(audit.Action.EXPORT, task_list, org_path=task_list.org_path, note=f"导出任务清单《{task_list.title}》")
    rows = (
        [t.position, t.title, t.detail, t.assignee_org.name if t.assignee_org else task_list.org.name, t.responsible_name, t.starts_on,
         t.due_on, t.percent if t.state != TaskState.DONE else 100, t.get_state_display(), t.last_reported_on, t.done_on,
         "是" if t.is_overdue(today) else ""]
        for t in _tasks_of(request, task_list)
    )
    return xlsx_response(task_list.title[:40], "任务清单", ["序号", "任务", "具体要求", "责任单位", "责任人", "开始日期", "完成时限",
                                                         "进度（%）", "状态", "最近报送", "办结日期", "逾期"], rows)


@login_required
def file_download(request, pk):
    row = get_object_or_404(ReportFile.objects.select_related("report__task"), pk=pk)
    _task(request, row.report.task_id)  # 404 unless the user sees the task
    return FileResponse(row.file.open("rb"), as_attachment=not row.content_type.startswith("image/"), filename=row.original_name,
                        content_type=row.content_type)
