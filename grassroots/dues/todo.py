"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from . import stats


def lines(user, org, today):
    # the kept count for the city, a district or a township (dues/rollups.py), counted live below them
    return [
        Todo("党费", "连续六个月未交纳党费的党员", stats.six_months_count(org, today), reverse("dues:arrears", args=[org.pk])),
    ]
