"""The one scheduler process (`manage.py run_scheduler`): APScheduler fires each registered job on its cron
schedule and `core.scheduling.fire` claims the minute and enqueues the run for the django-tasks-db worker."""

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.db import close_old_connections, connection

from . import scheduling as jobs

log = logging.getLogger(__name__)


def fire_from_scheduler(name):
    if not connection.in_atomic_block:  # (a test's transaction: closing would end it)
        close_old_connections()  # a long-lived process: do not reuse a connection the database has dropped
    run = jobs.fire(name)
    log.info("job %s %s", name, "enqueued" if run else "already claimed by another scheduler")


def build_scheduler():
    scheduler = BlockingScheduler(timezone=settings.TIME_ZONE, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for name, job in jobs.all_jobs().items():
        scheduler.add_job(fire_from_scheduler, jobs.trigger_for(job), args=[name], id=name, name=job.label)
    return scheduler
