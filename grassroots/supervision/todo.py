"""To-do lines of supervision for the home page (grassroots/core/todos.py): one SQL count each."""

from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from .choices import InterventionKind, InterventionState
from .models import Intervention, Receipt


def lines(user, org, today):
    manage = scoping.manage_paths(user)
    unsigned = Receipt.objects.unsigned().filter(org_path__startswith=org.path).filter(scoping.path_q("org_path", manage)).count() if manage else 0
    orders = Intervention.objects.visible_to(user).filter(org_path__startswith=org.path, kind=InterventionKind.ORDER,
                                                         state=InterventionState.OPEN, due_on__lt=today).count()
    url = reverse("supervision:home") + f"?org={org.pk}"
    return [
        Todo("督导与通知", "待签收的通知", unsigned, url),
        Todo("督导与通知", "逾期未整改的限期整改", orders, reverse("supervision:org_history", args=[org.pk])),
    ]
