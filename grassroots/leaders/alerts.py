"""Warning signals about village organizations (grassroots/core/alerting.py)."""

from django.db.models import Q
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert

from . import queries, rules
from .models import Review

KINDS = {
    "leaders.reserve_short": "后备人才不足",
    "leaders.term_expired": "两委任期已届满未换届",
    "leaders.incompetent_twice": "村干部连续两年评议不称职",
}


def alerts(paths, today):
    found = []
    paths_q = scoping.path_q("path", paths)
    needed = rules.reserves_per_village()
    for org in queries.reserve_shortfall(paths_q).only("pk", "path", "name"):
        found.append(Alert(org_id=org.pk, kind="leaders.reserve_short", label=KINDS["leaders.reserve_short"],
                           evidence=f"在库后备人才 {org.reserves} 名，应不少于 {needed} 名", url=reverse("leaders:reserve_list"),
                           count=needed - org.reserves))
    for org in queries.terms_due(paths_q, today, 0).filter(term_end__lt=today):
        found.append(Alert(org_id=org.pk, kind="leaders.term_expired", label=KINDS["leaders.term_expired"],
                           evidence=f"届满日期 {org.term_end:%Y-%m-%d}", url=reverse("leaders:election_list"), since=org.term_end))
    reviews = Review.objects.filter(scoping.path_q("org_path", paths) if paths else Q(pk__in=[]))
    for row in queries.flagged_for_adjustment(reviews):
        found.append(Alert(org_id=row["org_id"], kind="leaders.incompetent_twice", label=KINDS["leaders.incompetent_twice"],
                           evidence=f"{row['name']} {row['years']} 年度评议均为不称职", url=reverse("leaders:review_list")))
    return found
