"""Warning signals of supervision (grassroots/core/alerting.py): organizations with an open 限期整改, and with
notices left unsigned after the third reminder."""

from django.db.models import Count, Min
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from . import rules
from .choices import InterventionKind, InterventionState
from .models import Intervention, Receipt

KINDS = {"supervision.open_order": "有未验收销号的限期整改", "supervision.unsigned_notices": "通知经三次催办仍未签收"}


def alerts(paths, today):
    found = []
    rows = (Intervention.objects.filter(scoping.path_q("org_path", paths), kind=InterventionKind.ORDER)
            .exclude(state=InterventionState.CLOSED).values("org_id").annotate(n=Count("id"), since=Min("issued_on")).order_by())
    for r in rows:
        found.append(Alert(org_id=r["org_id"], kind="supervision.open_order", label=KINDS["supervision.open_order"],
                           evidence=f"限期整改 {r['n']} 项未验收（最早 {r['since']:%Y-%m-%d} 下达）", since=r["since"], count=r["n"],
                           url=reverse("supervision:org_history", args=[r["org_id"]])))
    rows = (Receipt.objects.unsigned().filter(scoping.path_q("org_path", paths), reminders__gte=rules.MAX_REMINDERS)
            .values("org_id").annotate(n=Count("id")).order_by())
    for r in rows:
        found.append(Alert(org_id=r["org_id"], kind="supervision.unsigned_notices", label=KINDS["supervision.unsigned_notices"],
                           evidence=f"{r['n']} 份通知经三次催办仍未签收", count=r["n"], url=reverse("supervision:org_history", args=[r["org_id"]])))
    return found
