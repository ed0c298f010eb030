"""Warning signal of this app (core/alerting.py): members the organization has lost contact with (失联党员)."""

from django.db.models import Count, Min
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from .choices import CaseState
from .models import LostContactCase

KINDS = {"relations.lost_contact": "存在失联党员"}


def alerts(paths, today):
    """One query: open lost-contact cases per organization, with the earliest."""
    rows = (
        LostContactCase.objects.filter(scoping.path_q("org_path", paths), state=CaseState.OPEN, opened_on__lte=today)
        .values("org_id").annotate(n=Count("id"), since=Min("opened_on")).order_by()
    )
    return [Alert(r["org_id"], "relations.lost_contact", KINDS["relations.lost_contact"],
                  f"{r['n']} 名党员失联（最早自 {r['since']:%Y-%m-%d}）", reverse("relations:lost_list"), since=r["since"], count=r["n"])
            for r in rows]
