"""Background work of core, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task


@task()
def run_job(run_id):
    """Run one claimed periodic job (core/scheduling.py) and record its outcome."""
    from . import scheduling
    from .models import JobRun

    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return scheduling.execute(run).state
