"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section


def has_tasks(user):
    """Shown to users who must report on a task or sign one off (one EXISTS query each)."""
    from .models import Task

    if not scoping.everyone(user):
        return False
    return Task.objects.reportable_by(user).exists() or (scoping.manages(user) and Task.objects.awaiting_sign_off_by(user).exists())


ITEMS = [
    MenuItem("我的任务", "tracking:mine", Section.OVERSIGHT, show=has_tasks,
             active_on=("tracking:mine", "tracking:task*", "tracking:list*", "tracking:file"), order=5),
    MenuItem("逾期任务", "tracking:overdue", Section.OVERSIGHT, show=scoping.reads_records, active_on=("tracking:overdue",), order=6),
]
