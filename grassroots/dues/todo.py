"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from . import rules
from .arrears import members_unpaid_for


def lines(user, org, today):
    return [
        Todo("党费", "连续六个月未交纳党费的党员", members_unpaid_for(rules.SIX_MONTHS, [org.path], today).count(), reverse("dues:arrears", args=[org.pk])),
    ]
