"""The system administrators' page of periodic jobs (core/scheduling.py): each job, its schedule, last run and
outcome; one job's run history; run a job now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import audit, scheduling, scoping
from .models import AuditLog, JobRun
from .pagination import paginate


def _require_admin(user):
    if not scoping.is_system_admin(user):
        raise PermissionDenied("只有系统管理员可以查看定时任务")


@login_required
def job_list(request):
    _require_admin(request.user)
    return render(request, "core/jobs.html", {"statuses": scheduling.job_statuses()})


@login_required
def job_detail(request, name):
    _require_admin(request.user)
    job = scheduling.all_jobs().get(name)
    if job is None:
        raise Http404("未找到该定时任务")
    page = paginate(request, JobRun.objects.filter(job=name))
    return render(request, "core/job_detail.html", {"job": job, "page": page})


@login_required
@require_POST
def job_run(request, name):
    """Run the job now (through the worker, like a scheduled run)."""
    _require_admin(request.user)
    job = scheduling.all_jobs().get(name)
    if job is None:
        raise Http404("未找到该定时任务")
    run = scheduling.fire(name, manual=True, user=request.user)
    audit.record(AuditLog.Action.RUN, obj=run, note=f"手动运行定时任务 {job.label}")
    messages.success(request, f"已交给后台任务进程运行：{job.label}")
    return redirect("core:job_detail", name=name)
