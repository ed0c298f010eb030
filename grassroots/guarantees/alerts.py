"""Warning signals of the basic guarantees (grassroots/core/alerting.py): a village or community whose latest verified
yearly check found shortfalls. One query over the subtrees."""

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from .choices import ReportState
from .models import Report

KINDS = {"guarantees.shortfall": "基础保障未达标"}


def alerts(paths, today):
    found = {}
    rows = (Report.objects.filter(scoping.path_q("org_path", paths), state=ReportState.VERIFIED, failing__gt=0, campaign__year__gte=today.year - 1)
            .order_by("org_id", "-campaign__year").values("id", "org_id", "failing", "gap_total", "campaign__year", "verified_on"))
    for r in rows:
        if r["org_id"] not in found:
            found[r["org_id"]] = Alert(org_id=r["org_id"], kind="guarantees.shortfall", label="基础保障未达标",
                                       evidence=f"{r['campaign__year']}年核查 {r['failing']} 项未达标，资金缺口 {r['gap_total']} 元",
                                       url=f"/guarantees/report/{r['id']}/", since=r["verified_on"], count=r["failing"])
    return list(found.values())
