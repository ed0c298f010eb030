"""Warning signals of discipline (grassroots/core/alerting.py): organizations with leads found true (属实 or
部分属实) once concluded. The signal names only the count, never the lead or the reporter, so rectification's
screening may read it without reading leads."""

from django.db.models import Count, Max

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from .choices import Finding, LeadState
from .models import Lead

KINDS = {"discipline.concluded_true": "问题线索经查属实"}


def alerts(paths, today):
    rows = (Lead.objects.filter(scoping.path_q("org_path", paths), state__in=[LeadState.CONCLUDED, LeadState.BULLETIN],
                                finding__in=[Finding.TRUE, Finding.PARTLY])
            .values("org_id").annotate(n=Count("id"), last=Max("concluded_on")).order_by())
    return [Alert(org_id=r["org_id"], kind="discipline.concluded_true", label=KINDS["discipline.concluded_true"],
                  evidence=f"已办结线索 {r['n']} 件经查属实或部分属实", since=r["last"], count=r["n"]) for r in rows]
