"""Reminders of terms coming to an end: sent to the village secretary and the township at each lead time
(rules.reminder_days(), e.g. 180, 90 and 30 days before the term ends) while no election has started."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from grassroots.core import notifications
from grassroots.core.roles import Role

from . import queries, rules
from .choices import Stage
from .models import Election


def recipients(org):
    """Secretaries of the village and the secretaries and organization department of its township."""
    from grassroots.accounts.models import RoleAssignment

    q = Q(role=Role.SECRETARY, org=org)
    if org.parent_path:
        q |= Q(role__in=[Role.SECRETARY, Role.ORG_DEPT], org__path=org.parent_path)
    return list(RoleAssignment.objects.active().filter(q).values_list("user_id", flat=True))


def send(today):
    """One notification per village and recipient on each lead day. Returns how many were sent."""
    sent = 0
    for days in rules.reminder_days():
        ends = today + datetime.timedelta(days=days)
        due = (queries.villages(Q(term_end=ends))
               .exclude(Exists(Election.objects.filter(org=OuterRef("pk")).exclude(stage=Stage.CLOSED))))
        for org in due:
            sent += notifications.notify(
                recipients(org), title=f"{org.short_name or org.name}两委任期将于 {ends:%Y-%m-%d} 届满（还有 {days} 天）",
                body="请按区（县）换届工作方案做好换届准备：制定方案、资格联审、提名候选人、选举和报备。",
                link=reverse("leaders:election_create"), kind=notifications.Kind.LEADERS, org_path=org.path)
    return sent
