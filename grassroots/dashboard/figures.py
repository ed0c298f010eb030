"""Key counts for the home dashboard, for one organization's subtree."""

from grassroots.members import stats
from grassroots.orgs import summaries
from grassroots.orgs.choices import Kind


def dashboard_data(org):
    """One read of the kept figures for the city, a district or a township (grassroots/members/rollups.py)."""
    flat = summaries.figures(stats.FIGURES, org.path)
    kinds = dict(Kind.choices)
    by_kind = {kinds[k]: n for k, n in sorted(stats.orgs_by_kind(org.path, flat).items())}
    ages = stats.by_age_band(org.path, flat=flat)
    counts = stats.counts_from_figures(flat)
    return {
        "org": org,
        "orgs_total": sum(by_kind.values()),
        "orgs_by_kind": by_kind,
        "counts": counts,
        "count_rows": stats.labelled(counts),
        "chart": {
            "by_category": [{"name": n, "value": v} for n, v in stats.by_category(org.path, flat)],
            "by_age": {"labels": [label for label, _ in ages], "values": [n for _, n in ages]},
        },
    }
