"""What the public portal shows of the decisions app: a published matter's page, and the opinions on a disclosure."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .choices import OpinionKind, StepState
from .models import Matter, Opinion


def _opinion_dict(o):
    return {
        "kind": o.kind, "kind_label": o.get_kind_display(), "text": o.text, "author_label": "村务监督委员会", "created_at": o.created_at,
        "answer": o.answer, "answered_at": o.answered_at,
    }


def opinions_for_disclosure(disclosure):
    """The supervisory committee's opinions and objections on one published disclosure, oldest first, as
    the public page shows them: dicts with kind ("opinion"/"objection"), kind_label, text, author_label,
    created_at, answer, answered_at."""
    return [_opinion_dict(o) for o in Opinion.objects.filter(disclosure=disclosure).order_by("created_at", "id")]


@never_cache
def matter_page(request, pk):
    """A matter on the portal from the moment its resolution is published (before that: 404): its confirmed steps in
    order (every round, the failed ones too), votes as counts (never names), objections and their answers, and links
    to its disclosures' public pages. No JavaScript."""
    matter = get_object_or_404(Matter.objects.select_related("org").filter(public_since__isnull=False), pk=pk)
    steps = list(
        matter.steps.filter(state=StepState.CONFIRMED).select_related("disclosure").prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.filter(kind=OpinionKind.OBJECTION), to_attr="objections")
        ).order_by("round", "seq")
    )
    rounds = {}
    for s in steps:
        rounds.setdefault(s.round, []).append(s)
    disclosure_objections = Opinion.objects.filter(disclosure__source_url=matter.public_url(), kind=OpinionKind.OBJECTION).select_related("disclosure")
    return render(request, "decisions/public_matter.html", {
        "matter": matter, "rounds": sorted(rounds.items()), "disclosure_objections": disclosure_objections,
    })


@never_cache
def matter_index(request):
    """Published matters, newest first; ?org=<pk> keeps one unit and its subtree. No JavaScript."""
    from grassroots.core.pagination import paginate, query_without_page
    from grassroots.orgs.models import Organization

    qs = Matter.objects.filter(public_since__isnull=False).select_related("org").order_by("-public_since", "-id")
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_object_or_404(Organization.objects.filter(is_active=True), pk=int(request.GET["org"]))
        qs = qs.filter(org_path__startswith=org.path)
    return render(request, "decisions/public_index.html", {"page": paginate(request, qs), "org": org, "query": query_without_page(request)})

