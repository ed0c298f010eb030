"""Warning signal of this app (core/alerting.py): members six calendar months behind with their dues."""

from django.db.models import Count
from django.urls import reverse

from grassroots.core.alerting import Alert

from . import rules
from .arrears import members_unpaid_for

KINDS = {"dues.arrears": "党员连续六个月未交党费"}


def alerts(paths, today):
    """One query: the members of arrears.members_unpaid_for counted per organization."""
    rows = members_unpaid_for(rules.SIX_MONTHS, paths, today).values("org_id").annotate(n=Count("id")).order_by()
    return [Alert(r["org_id"], "dues.arrears", KINDS["dues.arrears"], f"{r['n']} 名党员连续六个月未交党费",
                  reverse("dues:arrears", args=[r["org_id"]]), count=r["n"]) for r in rows]
