"""Read-side queries: the scoped matter list, overdue disclosures and the oversight aggregates (all in SQL)."""

import datetime

from django.db.models import Case, CharField, Count, Q, Value, When

from . import rules
from .choices import Category, MatterState, Overdue, StepKind
from .models import Matter


def overdue_q(today, kind=None):
    """Matters whose disclosure is overdue on `today` (one kind, or any):
    - the resolution not published within GRASSROOTS_DECISIONS_RESOLUTION_DAYS of the vote;
    - the implementation not updated within GRASSROOTS_DECISIONS_PROGRESS_DAYS of the last disclosure;
    - the final result not published by the planned completion date."""
    qs = {
        Overdue.RESOLUTION: Q(state=MatterState.RESOLVED, resolved_on__lt=today - datetime.timedelta(days=rules.resolution_disclosure_days())),
        Overdue.PROGRESS: Q(state=MatterState.IMPLEMENTING, last_disclosed_on__lt=today - datetime.timedelta(days=rules.progress_disclosure_days())),
        Overdue.RESULT: Q(state=MatterState.IMPLEMENTING, planned_completion__lt=today),
    }
    if kind:
        return qs[kind]
    q = Q()
    for part in qs.values():
        q |= part
    return q


def with_overdue(qs, today):
    """Annotate `overdue` with the first overdue kind ("" when none)."""
    return qs.annotate(
        overdue=Case(
            *(When(overdue_q(today, k), then=Value(k.value)) for k in (Overdue.RESOLUTION, Overdue.RESULT, Overdue.PROGRESS)),
            default=Value(""), output_field=CharField(),
        )
    )


def overdue_label(value):
    return Overdue(value).label if value else ""


def stuck_q(today):
    """Matters waiting in one deliberation step (or after a failed vote) longer than GRASSROOTS_DECISIONS_STUCK_DAYS."""
    return Q(state__in=[MatterState.DELIBERATING, MatterState.FAILED], stage_since__lt=today - datetime.timedelta(days=rules.stuck_days()))


def matter_queryset(user, params, today):
    qs = with_overdue(Matter.objects.visible_to(user).select_related("org"), today)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q))
    if params.get("category") in Category.values:
        qs = qs.filter(category=params["category"])
    if params.get("state") in MatterState.values:
        qs = qs.filter(state=params["state"])
    if params.get("stage") in StepKind.values:
        qs = qs.filter(stage=params["stage"], state=MatterState.DELIBERATING)
    if params.get("overdue"):
        qs = qs.filter(overdue_q(today))
    return qs.order_by("-created_at", "-id")


def stage_label(state, stage):
    """What the oversight tables call a matter's stage: the step due while deliberating, else its state."""
    if state == MatterState.DELIBERATING:
        return f"待{StepKind(stage).label}"
    return MatterState(state).label


STAGE_ORDER = [f"待{StepKind(k).label}" for k in (StepKind.PROPOSAL, StepKind.CONSULTATION, StepKind.REVIEW, StepKind.RESOLUTION)] + [
    MatterState(s).label for s in (MatterState.FAILED, MatterState.RESOLVED, MatterState.IMPLEMENTING, MatterState.RESULT_PUBLISHED,
                                   MatterState.CLOSED, MatterState.ENDED)
]


def by_stage(qs):
    counts = dict.fromkeys(STAGE_ORDER, 0)
    for row in qs.order_by().values("state", "stage").annotate(n=Count("id")):
        label = stage_label(row["state"], row["stage"])
        counts[label] = counts.get(label, 0) + row["n"]
    return [(label, n) for label, n in counts.items()]


def by_category(qs):
    found = {r["category"]: r["n"] for r in qs.order_by().values("category").annotate(n=Count("id"))}
    return [(label, found.get(value, 0)) for value, label in Category.choices]


def overdue_villages(qs, today):
    """Villages with overdue matter disclosures: org, counts by kind."""
    rows = (
        qs.filter(overdue_q(today)).order_by().values("org_id", "org__name")
        .annotate(
            resolution=Count("id", filter=overdue_q(today, Overdue.RESOLUTION)),
            progress=Count("id", filter=overdue_q(today, Overdue.PROGRESS)),
            result=Count("id", filter=overdue_q(today, Overdue.RESULT)),
        )
        .order_by("org__name")
    )
    return list(rows)


def routine_overdue(paths, today):
    """The disclosure app's overdue routine disclosures (党务/村务/财务/居务公开) for the same subtrees."""
    from grassroots.disclosure.choices import Category as DisclosureCategory
    from grassroots.disclosure.schedule import overdue_routine

    labels = dict(DisclosureCategory.choices)
    return [{**r, "category_label": labels.get(r["category"], r["category"])} for r in overdue_routine(paths, today)]


def by_child(qs, org, today):
    """Matters per direct child of `org` (a township's villages, a district's townships): one GROUP BY on the
    prefix of org_path, with the open, stuck and overdue counts."""
    from django.db.models.functions import Substr

    from grassroots.orgs.models import Organization

    width = len(org.path) + Organization.steplen
    rows = {
        r["prefix"]: r
        for r in qs.order_by().annotate(prefix=Substr("org_path", 1, width)).values("prefix").annotate(
            total=Count("id"), open=Count("id", filter=Q(state__in=[s.value for s in (MatterState.DELIBERATING, MatterState.FAILED,
                                                                                     MatterState.RESOLVED, MatterState.IMPLEMENTING)])),
            stuck=Count("id", filter=stuck_q(today)), overdue=Count("id", filter=overdue_q(today)),
        )
    }
    children = Organization.objects.children_of(org).filter(path__in=rows).order_by("path")
    return [{"org": c, **rows[c.path]} for c in children]
