"""Warning signal of this app (core/alerting.py): a branch that has developed no member for a year or more.
`since` is the last admission (支部大会通过接收) or the branch's founding; rectification's screening applies its
own number of years (GRASSROOTS_RECTIFICATION_NO_DEVELOPMENT_YEARS) to it."""

from django.db.models import Max, Q
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert
from grassroots.members.rules import add_years
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization

KINDS = {"development.none_developed": "长期未发展党员"}
FLOOR_YEARS = 1  # below a year nothing is said: a branch may well admit once a year


def alerts(paths, today):
    """One query: active branches whose last admitted applicant (or founding) lies FLOOR_YEARS or more back."""
    floor = add_years(today, -FLOOR_YEARS)
    rows = (
        Organization.objects.filter(scoping.path_q("path", paths), is_active=True, kind__in=BRANCH_KINDS)
        .annotate(last=Max("applicants__admitted_on", filter=Q(applicants__admitted_on__lte=today)))
        .filter(Q(last__lte=floor) | Q(last__isnull=True))
        .values("pk", "last", "established_on")
    )
    found = []
    for r in rows:
        since = r["last"] or r["established_on"]
        if since and since > floor:
            continue
        evidence = f"自 {r['last']:%Y-%m-%d} 以来未发展党员" if r["last"] else "无发展党员记录"
        found.append(Alert(r["pk"], "development.none_developed", KINDS["development.none_developed"], evidence,
                           f"{reverse('development:list')}?org={r['pk']}", since=since))
    return found
