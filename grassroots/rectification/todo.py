"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .models import Case, Obligation


def lines(user, org, today):
    cases = Case.objects.visible_to(user).filter(org_path__startswith=org.path)
    overdue = Obligation.objects.filter(case__in=cases.values("pk"), met_on__isnull=True, due_on__lt=today).exclude(case__stage=Case.Stage.CLOSED)
    return [
        Todo("整顿软弱涣散", "逾期未销号的整顿台账", cases.open().filter(due_on__lt=today).count(), f"{reverse('rectification:home')}?org={org.pk}&overdue=1"),
        Todo("整顿软弱涣散", "逾期未落实的规定整改事项（配强书记、调整、整顿班子）", overdue.count(), f"{reverse('rectification:home')}?org={org.pk}"),
    ]
