"""Daily reminders of overdue development work: each branch with overdue items (talks not held within a month, reviews,
approvals, probation ending within 30 days or ended) notifies the users holding the secretary role on that branch,
once a day per branch."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core import notifications
from grassroots.core.models import Notification
from grassroots.core.roles import Role
from grassroots.orgs.models import Organization

from .models import Applicant

TITLE = "发展党员逾期和临期事项"


def send_reminders(today=None):
    """Returns the number of notifications created. One grouped query for the branches, one for the secretaries, one
    for today's already-sent reminders, and one insert per branch."""
    today = today or timezone.localdate()
    counts = dict(
        Applicant.objects.with_current_path().overdue(today).order_by().values("cur_path").annotate(n=Count("id")).values_list("cur_path", "n")
    )
    if not counts:
        return 0
    orgs = {o.path: o for o in Organization.objects.filter(path__in=counts)}
    secretaries = {}
    for a in RoleAssignment.objects.active().filter(role=Role.SECRETARY, org__path__in=counts).select_related("org"):
        secretaries.setdefault(a.org.path, set()).add(a.user_id)
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    sent = set(
        Notification.objects.filter(kind=Notification.Kind.DEVELOPMENT, title=TITLE, created_at__gte=start).values_list("recipient_id", "org_path")
    )
    created = 0
    for path, n in counts.items():
        org = orgs.get(path)
        users = [u for u in secretaries.get(path, ()) if (u, path) not in sent]
        if org is None or not users:
            continue
        link = f"{reverse('development:list')}?org={org.pk}&overdue=1"
        created += notifications.notify(users, title=TITLE, body=f"{org.short_name or org.name}有 {n} 项发展党员工作逾期或即将到期，请及时办理。",
                                        link=link, kind=Notification.Kind.DEVELOPMENT, org_path=path)
    return created
