"""To-do lines of discipline for the home page: leads waiting in the discipline role's scope (one count each)."""

from django.urls import reverse

from grassroots.core.todos import Todo

from .choices import LeadState
from .models import Bulletin, Lead


def lines(user, org, today):
    leads = Lead.objects.visible_to(user).filter(org_path__startswith=org.path)
    if not leads.query.is_empty() and not user.is_authenticated:
        return []
    return [
        Todo("正风肃纪", "待核实的问题线索", leads.filter(state=LeadState.ACCEPTED).count(), reverse("discipline:leads") + "?state=accepted"),
        Todo("正风肃纪", "已办结未公开的通报", Bulletin.objects.visible_to(user).filter(org_path__startswith=org.path, published_at__isnull=True).count(),
             reverse("discipline:leads") + "?state=concluded"),
    ]
