"""Daily reminders: for every branch, requirements still open whose period ends within the reminder window
go to the users holding the secretary role on that branch (once per requirement and period)."""

import datetime

from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core.roles import Role
from grassroots.orgs.models import Organization

from . import compliance, notices, rules
from .compliance import NOT_YET_DUE
from .models import Reminder


def send_reminders(today=None):
    """Create the reminders due today; returns how many were created. Two queries per root for the
    requirements, one for the secretaries, one bulk insert."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=rules.reminder_days())
    due = []
    for root in Organization.objects.filter(depth=1):
        for bc in compliance.compute(root, today.year, today=today):
            for item in bc.items:
                if item.owed and item.status in NOT_YET_DUE and item.first <= today <= item.last <= horizon:
                    due.append((bc.org, item))
    if not due:
        return 0
    secretaries = {}
    for a in RoleAssignment.objects.active().filter(role=Role.SECRETARY, org__in={org.pk for org, _ in due}):
        secretaries.setdefault(a.org_id, []).append(a.user_id)
    rows = []
    for org, item in due:
        text = f"{org.short_name or org.name}：{item.org_name}{item.period_label}的{item.kind_label}尚未登记，期限 {item.last:%Y-%m-%d}"
        for user_id in secretaries.get(org.pk, ()):
            rows.append(
                Reminder(org=org, org_path=org.path, user_id=user_id, kind=item.kind, target_org_id=item.org_id,
                         period_end=item.last, message=text[:300])
            )
    ends = {r.period_end for r in rows}
    before = Reminder.objects.filter(period_end__in=ends).count()
    notices.reminders_sent(rows)  # only for the reminders not sent before
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)  # the unique constraint keeps it to one per period
    return Reminder.objects.filter(period_end__in=ends).count() - before
