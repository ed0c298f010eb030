"""Background work of organizational life, run by `manage.py db_worker` (django-tasks-db).

There is no scheduler in the stack: cron (or a systemd timer) runs `manage.py orglife_reminders --enqueue`
once a day, which enqueues `send_reminders`."""

from django.tasks import task

from . import reminders


@task()
def send_reminders():
    return reminders.send_reminders()
