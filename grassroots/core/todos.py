"""The home page's to-do panel: for the current scope, the open work the domain apps have found. Each line
is one count in SQL from the app's own rule, with a link to the page where the work is done. Loaded after the
page (htmx), so a city-wide scope never slows the dashboard itself."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone


@dataclass
class Todo:
    area: str
    label: str
    count: int
    url: str


def todo_items(user, org, today=None):
    """The to-do lines for `org`'s subtree as `user` sees it; lines with nothing to do are left out."""
    from grassroots.decisions.models import Matter
    from grassroots.decisions.queries import overdue_q
    from grassroots.development.models import Applicant
    from grassroots.disclosure.schedule import overdue_routine
    from grassroots.dues import rules as dues_rules
    from grassroots.dues.arrears import members_unpaid_for
    from grassroots.points.models import PointEntry
    from grassroots.relations.choices import TransferState
    from grassroots.relations.models import Transfer
    from grassroots.talks import worklist

    today = today or timezone.localdate()
    path = org.path
    items = [
        Todo("发展党员", "逾期未办的发展环节", Applicant.objects.visible_to(user).within_path(path).overdue(today).count(),
             f"{reverse('development:list')}?org={org.pk}&overdue=1"),
        Todo("组织关系转接", "待本组织接收的介绍信",
             Transfer.objects.visible_to(user).filter(to_org_path__startswith=path, state=TransferState.ISSUED, valid_until__gte=today).count(),
             f"{reverse('relations:transfer_list')}?tab=incoming&state=issued"),
        Todo("党费", "连续六个月未交纳党费的党员", members_unpaid_for(dues_rules.SIX_MONTHS, [path], today).count(), reverse("dues:arrears", args=[org.pk])),
        Todo("谈心谈话", "有问题提示而尚未谈话的党员", worklist.flag_counts(worklist.flagged_members(path, today))["total"],
             f"{reverse('talks:worklist')}?org={org.pk}"),
        Todo("积分", "待审核的积分申报",
             PointEntry.objects.visible_to(user).filter(org_path__startswith=path, state=PointEntry.State.PENDING).count(),
             reverse("points:org", args=[org.pk])),
        Todo("四议两公开", "公开逾期的事项", Matter.objects.visible_to(user).filter(org_path__startswith=path).filter(overdue_q(today)).count(),
             f"{reverse('decisions:matter_list')}?overdue=1"),
        Todo("党务村务居务公开", "逾期未公开的例行公开", len(overdue_routine([path], today)), reverse("disclosure:manage_list")),
    ]
    return [item for item in items if item.count]
