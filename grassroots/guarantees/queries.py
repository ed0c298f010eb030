"""The district and city dashboard: where the guarantees fail, per child organization and per item, with the money
gap summed (Decimal). Two GROUP BY queries whatever the number of villages."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from . import rules
from .choices import ReportState
from .models import Figure


def townships(org):
    """The townships/streets in `org`'s subtree: the non-rural, non-community organizations directly above a
    village or community (the tree has no level field; a township is what leads villages and communities). Two
    queries."""
    from grassroots.orgs.choices import Category
    from grassroots.orgs.models import Organization

    units = Category.RURAL, Category.COMMUNITY
    paths = Organization.objects.filter(path__startswith=org.path, is_active=True, category__in=units, depth__gt=org.depth + 0).values_list("path", flat=True)
    parents = {p[: -Organization.steplen] for p in paths}
    return list(Organization.objects.filter(path__in=parents, is_active=True, depth__gt=org.depth).exclude(category__in=units).order_by("path"))


def dashboard(reports, children):
    """reports: a Report queryset already scoped; children: the scope's child organizations.
    Returns (rows per child, rows per item, totals)."""
    rows = []
    by_child = {c.path: {"org": c, "reports": 0, "verified": 0, "failing": 0, "gap": Decimal("0.00")} for c in children}
    agg = (reports.values("org_path").annotate(n=Count("id"), verified=Count("id", filter=Q(state=ReportState.VERIFIED)),
                                               failing=Count("id", filter=Q(failing__gt=0)), gap=Sum("gap_total")).order_by())
    for r in agg:
        for path, row in by_child.items():
            if r["org_path"].startswith(path):
                row["reports"] += r["n"]
                row["verified"] += r["verified"]
                row["failing"] += r["failing"]
                row["gap"] += r["gap"] or Decimal(0)
                break
    rows = list(by_child.values())
    items = dict(Figure.objects.filter(report__in=reports, met=False).values_list("item").annotate(n=Count("id")).order_by())
    gaps = dict(Figure.objects.filter(report__in=reports, met=False, item__in=[k for k in rules.ITEMS if rules.item_kind(k) == rules.KIND_MONEY])
                .values_list("item").annotate(g=Sum("gap")).order_by())
    per_item = [{"item": k, "label": rules.item_label(k), "failing": items.get(k, 0), "gap": gaps.get(k)} for k in rules.ITEMS]
    totals = {"reports": sum(r["reports"] for r in rows), "verified": sum(r["verified"] for r in rows),
              "failing": sum(r["failing"] for r in rows), "gap": sum((r["gap"] for r in rows), Decimal("0.00"))}
    chart = {"orgs": [r["org"].short_name or r["org"].name for r in rows], "failing": [r["failing"] for r in rows],
             "gap": [str(r["gap"]) for r in rows], "items": [i["label"][:10] for i in per_item], "item_failing": [i["failing"] for i in per_item]}
    return rows, per_item, totals, chart
