"""Periodic jobs. Each app lists its own in `jobs.py`:

    from grassroots.core.jobs import Job

    JOBS = [Job("dues.open_month", "开启当月党费收缴记录", cron="0 6 1 * *", command="dues_open_month")]

One process, `manage.py run_scheduler` (started by `make run`; in production a systemd service), fires each job
on its cron schedule (APScheduler's CronTrigger, Asia/Shanghai) and hands it to the django-tasks-db worker.
Firing inserts a `JobRun` row for the job and the minute; the row's unique key is the lock, so a second scheduler
process firing the same minute inserts nothing and enqueues nothing. The worker runs the job's management
command, and records duration and outcome; a job that raises is recorded as failed with its error, and every
system administrator is notified. The page /jobs/ lists each job with its last run.
"""

import io
import time
import traceback
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from .models import JobRun, Notification
from .registry import named_contributions


@dataclass(frozen=True)
class Job:
    name: str  # unique, "<app>.<what>"
    label: str  # what it does, in Chinese
    cron: str  # five crontab fields (minute hour day month weekday), Asia/Shanghai
    command: str  # the management command it runs
    args: tuple = ()


def all_jobs():
    """Every app's jobs by name, in INSTALLED_APPS order; a name used twice is a programming error."""
    return named_contributions("jobs", "JOBS", "periodic job")


def get_job(name):
    return all_jobs()[name]


def claim(job_name, scheduled_for, *, manual=False, user=None):
    """Insert the run for `job_name` at `scheduled_for` (to the minute, or to the microsecond for a manual run);
    None when another scheduler already claimed it."""
    if not manual:
        scheduled_for = scheduled_for.replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job_name, scheduled_for=scheduled_for, manual=manual, requested_by=user)
    except IntegrityError:
        return None


def trigger_for(job):
    return CronTrigger.from_crontab(job.cron, timezone=settings.TIME_ZONE)


def next_fire_time(job, now=None):
    return trigger_for(job).get_next_fire_time(None, now or timezone.now())


@task()
def run_job(run_id):
    """Run one claimed periodic job in the worker and record its outcome."""
    run = JobRun.objects.filter(pk=run_id).first()
    return execute(run).state if run is not None else "missing"


def fire(job_name, scheduled_for=None, *, manual=False, user=None):
    """Claim the run and enqueue it for the worker; returns the run, or None when it was already claimed."""
    run = claim(job_name, scheduled_for or timezone.now(), manual=manual, user=user)
    if run is not None:
        transaction.on_commit(lambda: run_job.enqueue(run.pk))
    return run


def execute(run):
    """Run the job of `run` now (called by the worker) and record how it went. Never raises for the job's own
    failure: that is recorded, and the system administrators are told."""
    if run.state != JobRun.State.QUEUED:  # already taken by another worker
        return run
    updated = JobRun.objects.filter(pk=run.pk, state=JobRun.State.QUEUED).update(state=JobRun.State.RUNNING, started_at=timezone.now())
    if not updated:
        return run
    run.refresh_from_db()
    started = time.monotonic()
    out = io.StringIO()
    try:
        job = get_job(run.job)
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except BaseException as exc:  # SystemExit from a command that reports failure by its exit code, too
        if isinstance(exc, KeyboardInterrupt):
            raise
        run.state = JobRun.State.FAILED
        run.error = (f"{type(exc).__name__}: {exc}\n" + traceback.format_exc())[-10_000:]
    else:
        run.state = JobRun.State.DONE
    run.outcome = out.getvalue()[-10_000:]
    run.finished_at = timezone.now()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.save(update_fields=["state", "error", "outcome", "finished_at", "duration_ms"])
    if run.state == JobRun.State.FAILED:
        notify_admins_of_failure(run)
    return run


def system_admins():
    """Active superusers and holders of the admin role (through the user's role_assignments relation)."""
    User = get_user_model()
    admin_role = models.Q(role_assignments__role="admin", role_assignments__revoked_at__isnull=True)
    return User.objects.filter(is_active=True).filter(models.Q(is_superuser=True) | admin_role).distinct()


def notify_admins_of_failure(run):
    from .notifications import notify

    label = all_jobs().get(run.job).label if run.job in all_jobs() else run.job
    first_line = (run.error.splitlines() or [""])[0]
    return notify(
        system_admins(), title=f"定时任务失败：{label}（{timezone.localtime(run.scheduled_for):%Y-%m-%d %H:%M}）",
        body=first_line[:500], link=reverse("core:job_detail", args=[run.job]), kind=Notification.Kind.JOB_FAILED,
    )


@dataclass
class JobStatus:
    job: Job
    last: JobRun | None
    next_run: object  # an aware datetime, or None


def job_statuses(now=None):
    """Each job with its last run and its next fire time, for the administrators' page (one query for the runs)."""
    jobs = all_jobs()
    latest_ids = JobRun.objects.filter(job__in=list(jobs)).values("job").annotate(last=models.Max("id")).values("last")
    last_by_job = {run.job: run for run in JobRun.objects.filter(pk__in=latest_ids)}
    return [JobStatus(job, last_by_job.get(name), next_fire_time(job, now)) for name, job in jobs.items()]
