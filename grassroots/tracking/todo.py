"""This app's lines in the home page's to-do panel (grassroots/core/todos.py): one COUNT each."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .models import Task


def lines(user, org, today):
    overdue = Task.objects.visible_to(user).within(org.path).overdue(today)
    signing = Task.objects.awaiting_sign_off_by(user).filter(list_path__startswith=org.path)
    return [
        Todo("任务督办", "逾期未办结的任务", overdue.count(), reverse("tracking:overdue")),
        Todo("任务督办", "待我签字办结的任务", signing.count(), reverse("tracking:mine")),
    ]
