"""Warning signal of this app (core/alerting.py): the secretary post of a village or community organization is
vacant. The orgs app owns the posts; the signal lives here so orgs stays free of screening concerns."""

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.alerting import Alert
from grassroots.orgs.choices import Category, Kind, PostTitle
from grassroots.orgs.models import Organization, Post

KINDS = {"rectification.secretary_vacant": "书记职位空缺"}
UNIT_CATEGORIES = (Category.RURAL, Category.COMMUNITY)


def alerts(paths, today):
    """Active village/community organizations (not Party groups) with no secretary in post on `today`; `since` is
    the day the last secretary left (or the organization's founding; None when neither is known). One query."""
    current = Post.objects.filter(org=OuterRef("pk"), title=PostTitle.SECRETARY, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    rows = (
        Organization.objects.filter(scoping.path_q("path", paths), is_active=True, category__in=UNIT_CATEGORIES)
        .exclude(kind=Kind.GROUP)
        .annotate(has_secretary=Exists(current), last_left=Max("posts__ended_on", filter=Q(posts__title=PostTitle.SECRETARY, posts__ended_on__lte=today)))
        .filter(has_secretary=False)
        .values("pk", "last_left", "established_on")
    )
    found = []
    for r in rows:
        since = r["last_left"] or r["established_on"]
        days = (today - since).days if since else None
        evidence = f"书记空缺 {days} 天（自 {since:%Y-%m-%d}）" if since else "无书记任职记录"
        found.append(Alert(org_id=r["pk"], kind="rectification.secretary_vacant", label=KINDS["rectification.secretary_vacant"],
                           evidence=evidence, url=reverse("orgs:detail", args=[r["pk"]]), since=since, count=days or 0))
    return found
