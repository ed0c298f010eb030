"""Key counts for the home dashboard, for one organization's subtree."""

from django.db.models import Count

from grassroots.members import stats
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization


def dashboard_data(org):
    kinds = dict(Kind.choices)
    org_rows = (
        Organization.objects.within(org).active().values("kind").annotate(n=Count("id")).order_by("kind")
    )
    by_kind = {kinds[r["kind"]]: r["n"] for r in org_rows}
    ages = stats.by_age_band(org.path)
    counts = stats.subtree_counts(org.path)
    return {
        "org": org,
        "orgs_total": sum(by_kind.values()),
        "orgs_by_kind": by_kind,
        "counts": counts,
        "count_rows": stats.labelled(counts),
        "chart": {
            "by_category": [{"name": n, "value": v} for n, v in stats.by_category(org.path)],
            "by_age": {"labels": [label for label, _ in ages], "values": [n for _, n in ages]},
        },
    }
