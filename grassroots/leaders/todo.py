"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.db.models import Q
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from . import queries, rules
from .choices import Stage
from .models import Election


def lines(user, org, today):
    paths = scoping.record_paths(user)
    if not paths:
        return []
    paths_q = scoping.path_q("path", paths) & Q(path__startswith=org.path)
    overview = f"{reverse('leaders:overview')}?org={org.pk}"
    waiting = Election.objects.visible_to(user).within(org.path).filter(stage=Stage.REPORT)
    return [
        Todo("带头人队伍", f"两委任期 {max(rules.reminder_days())} 天内届满、尚未启动换届", queries.terms_due(paths_q, today, max(rules.reminder_days())).count(), overview),
        Todo("带头人队伍", f"后备人才不足 {rules.reserves_per_village()} 名的村（社区）", queries.reserve_shortfall(paths_q).count(), reverse("leaders:reserve_list")),
        Todo("带头人队伍", "待报备结束的换届选举", waiting.count(), f"{reverse('leaders:election_list')}?stage=report"),
    ]
