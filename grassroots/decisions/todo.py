"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .models import Matter
from .queries import overdue_q


def lines(user, org, today):
    overdue = Matter.objects.visible_to(user).filter(org_path__startswith=org.path).filter(overdue_q(today))
    return [Todo("四议两公开", "公开逾期的事项", overdue.count(), f"{reverse('decisions:matter_list')}?overdue=1")]
