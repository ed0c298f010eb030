"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .models import PointEntry


def lines(user, org, today):
    pending = PointEntry.objects.visible_to(user).filter(org_path__startswith=org.path, state=PointEntry.State.PENDING)
    return [Todo("积分", "待审核的积分申报", pending.count(), reverse("points:org", args=[org.pk]))]
