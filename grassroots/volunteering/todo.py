"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from .choices import LogState, RegState
from .models import Registration, ServiceLog


def lines(user, org, today):
    desk = scoping.community_desk_paths(user)
    if not desk:
        return []
    in_scope = scoping.path_q("community_path", desk)
    url = reverse("volunteering:desk")
    return [
        Todo("社区报到", "待确认的在职党员报到", Registration.objects.filter(in_scope, community_path__startswith=org.path, state=RegState.PENDING).count(),
             url + "#pending"),
        Todo("社区报到", "待确认的服务时长", ServiceLog.objects.filter(in_scope, community_path__startswith=org.path, state=LogState.PENDING).count(),
             url + "#hours"),
    ]
