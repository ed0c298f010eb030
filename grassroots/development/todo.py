"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .models import Applicant


def lines(user, org, today):
    return [
        Todo("发展党员", "逾期未办的发展环节", Applicant.objects.visible_to(user).within_path(org.path).overdue(today).count(),
             f"{reverse('development:list')}?org={org.pk}&overdue=1"),
    ]
