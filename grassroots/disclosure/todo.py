"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .schedule import overdue_routine


def lines(user, org, today):
    return [Todo("党务村务居务公开", "逾期未公开的例行公开", len(overdue_routine([org.path], today)), reverse("disclosure:manage_list"))]
