"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from . import worklist


def lines(user, org, today):
    return [
        Todo("谈心谈话", "有问题提示而尚未谈话的党员", worklist.kept_flag_counts(org, today)["total"],
             f"{reverse('talks:worklist')}?org={org.pk}"),
    ]
