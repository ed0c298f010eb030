"""Reminders of routine disclosures: to the village's secretaries a few days before a period's disclosure is
due, and, once it is overdue, to them and to the township (the managers of the parent organization)."""

from django.urls import reverse

from grassroots.accounts.models import RoleAssignment
from grassroots.core.models import Notification
from grassroots.core.notifications import Kind, notify
from grassroots.core.roles import Role

from . import schedule
from .choices import Category


def _users(org_ids, roles):
    return {
        org_id: set(ids)
        for org_id, ids in _group(RoleAssignment.objects.active().filter(org_id__in=org_ids, role__in=roles).values_list("org_id", "user_id"))
    }


def _group(pairs):
    result = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return result.items()


def send(today):
    """Send what is due today (idempotent: one notification per person, period and kind). Returns the count."""
    from grassroots.orgs.models import Organization

    soon = schedule.due_soon([""], today)
    overdue = schedule.overdue_routine([""], today)
    orgs = {r["org"].pk: r["org"] for r in soon + overdue}
    parent_paths = {o.parent_path for o in orgs.values() if o.parent_path}
    parents = {o.path: o for o in Organization.objects.filter(path__in=parent_paths)}
    village_users = _users(orgs.keys(), (Role.SECRETARY,))
    township_users = _users([p.pk for p in parents.values()], (Role.SECRETARY, Role.ORG_DEPT))
    lines = []
    for rows, late in ((soon, False), (overdue, True)):
        for r in rows:
            org = r["org"]
            label = Category(r["category"]).label
            if late:
                title = f"{org.short_name or org.name}{r['period_label']}{label}已逾期（应于 {r['due_on']:%Y-%m-%d} 前公开）"
            else:
                title = f"{org.short_name or org.name}{r['period_label']}{label}将于 {r['due_on']:%Y-%m-%d} 到期，请按时公开"
            recipients = set(village_users.get(org.pk, ()))
            parent = parents.get(org.parent_path)
            if late and parent is not None:
                recipients |= township_users.get(parent.pk, set())
            lines.append((org, label, r["period_label"], title[:200], recipients))
    # What earlier runs sent, in one query (the title names the unit, the period and the due date).
    already = set(Notification.objects.filter(kind=Kind.DISCLOSURE, title__in={line[3] for line in lines})
                  .values_list("recipient_id", "title"))
    sent = 0
    for org, label, period_label, title, recipients in lines:
        sent += notify(
            {uid for uid in recipients if (uid, title) not in already}, title=title, body=f"{org.name}：{period_label}{label}",
            kind=Kind.DISCLOSURE, link=reverse("disclosure:unit", args=[org.pk]), org_path=org.path,
        )
    return sent


def published_late(disclosure):
    """A disclosure posted after its deadline: tell the village's secretaries and the township (called by the
    publishing service inside its transaction)."""
    from grassroots.orgs.models import Organization

    org = disclosure.org
    parent = Organization.objects.filter(path=org.parent_path).first() if org.parent_path else None
    recipients = set(_users([org.pk], (Role.SECRETARY,)).get(org.pk, ()))
    if parent is not None:
        recipients |= _users([parent.pk], (Role.SECRETARY, Role.ORG_DEPT)).get(parent.pk, set())
    return notify(
        recipients, kind=Kind.DISCLOSURE, org_path=org.path, link=reverse("disclosure:detail", args=[disclosure.pk]),
        title=f"{org.short_name or org.name}逾期公开：《{disclosure.title}》应于 {disclosure.deadline:%Y-%m-%d} 前公开",
        body=f"{disclosure.get_category_display()}于 {disclosure.posted_on:%Y-%m-%d} 张贴，晚于应公开日期。",
    )
