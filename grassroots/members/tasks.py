"""Background work of the member registry, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from . import exports, imports


@task()
def import_members(job_id):
    """Check an uploaded member ledger and, if every row is good, apply it (members/imports.py)."""
    imports.run_import(job_id)


@task()
def export_roster(job_id):
    """Write a large roster export (members/exports.py)."""
    exports.run_roster_export(job_id)
