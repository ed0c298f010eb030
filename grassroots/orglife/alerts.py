"""Warning signals of this app (core/alerting.py): 三会一课 not held as required this year, members six months
without organizational life, and a branch committee that the membership requires but is missing."""

from collections import Counter

from django.urls import reverse

from grassroots.core.alerting import Alert
from grassroots.orgs.models import Organization

from . import compliance, rules

KINDS = {
    "orglife.meetings_missing": "三会一课不经常",
    "orglife.six_months": "党员连续六个月未参加组织生活",
    "orglife.committee_gap": "支部委员会设置不符合规定",
}


def _roots(paths):
    if "" in paths:
        return list(Organization.objects.filter(depth=1))
    return list(Organization.objects.filter(path__in=paths))


def alerts(paths, today):
    found = []
    for root in _roots(paths):
        for b in compliance.compute(root, today.year, today, detail=False):
            if b.due and b.met < b.due:
                found.append(Alert(b.org.pk, "orglife.meetings_missing", KINDS["orglife.meetings_missing"],
                                   f"{today.year} 年三会一课应开 {b.due} 次，已开 {b.met} 次", reverse("orglife:compliance", args=[b.org.pk]),
                                   count=b.due - b.met))
        absent = Counter(compliance.six_month_absentees(root.path, today).values_list("org_id", flat=True))
        for org_id, n in absent.items():
            found.append(Alert(org_id, "orglife.six_months", KINDS["orglife.six_months"], f"{n} 名党员连续六个月未参加组织生活",
                               reverse("orglife:six_months", args=[org_id]), count=n))
        for gap in compliance.committee_gaps(root.path, today):
            if gap.gap == rules.COMMITTEE_MISSING:
                found.append(Alert(gap.org.pk, "orglife.committee_gap", KINDS["orglife.committee_gap"], gap.label,
                                   reverse("orglife:compliance", args=[gap.org.pk])))
    return found
