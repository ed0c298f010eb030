"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .choices import TransferState
from .models import Transfer


def lines(user, org, today):
    incoming = Transfer.objects.visible_to(user).filter(to_org_path__startswith=org.path, state=TransferState.ISSUED, valid_until__gte=today)
    return [
        Todo("组织关系转接", "待本组织接收的介绍信", incoming.count(), f"{reverse('relations:transfer_list')}?tab=incoming&state=issued"),
    ]
