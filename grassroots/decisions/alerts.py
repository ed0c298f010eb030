"""Warning signals of this app (core/alerting.py): 四议两公开 matters stuck in a step, and matters whose
disclosure is overdue."""

from django.db.models import Count, Min
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from .models import Matter
from .queries import overdue_q, stuck_q

KINDS = {"decisions.stuck": "四议两公开事项久拖未决", "decisions.disclosure_overdue": "决议或实施结果公开逾期"}


def alerts(paths, today):
    """Two queries: stuck matters and overdue disclosures, counted per village."""
    scoped = Matter.objects.filter(scoping.path_q("org_path", paths))
    found = []
    for kind, q, text in (("decisions.stuck", stuck_q(today), "件事项久拖未决"), ("decisions.disclosure_overdue", overdue_q(today), "件事项公开逾期")):
        for r in scoped.filter(q).values("org_id").annotate(n=Count("id"), since=Min("stage_since")).order_by():
            found.append(Alert(r["org_id"], kind, KINDS[kind], f"{r['n']} {text}", f"{reverse('decisions:matter_list')}?org={r['org_id']}",
                               since=r["since"], count=r["n"]))
    return found
