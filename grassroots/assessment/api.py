"""REST API of assessment under /api/v1/assessment/, scoped like the pages (read-only; ballots are cast through the
ballots API, changes through the pages, which call the same services)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from grassroots.core import scoping

from .choices import RoundState
from .models import AssessmentRound, Report

router = Router(tags=["述职评议考核"])


class RoundOut(Schema):
    id: int
    org_id: int
    year: int
    kind: str
    title: str
    state: str
    live_weight: Decimal
    ballot_round_id: int | None


class ReportOut(Schema):
    id: int
    person_name: str
    post: str
    subject_org_id: int
    state: str
    year_score: Decimal | None
    live_score: Decimal | None
    combined: Decimal | None
    grade: str
    follow_ups: list[str]


class RoundDetailOut(RoundOut):
    reports: list[ReportOut]


FIELDS = ("id", "org_id", "year", "kind", "title", "state", "live_weight", "ballot_round_id")


@router.get("/rounds", response=list[RoundOut], summary="述职评议（本人可见范围）")
def list_rounds(request):
    return list(AssessmentRound.objects.visible_to(request.user).values(*FIELDS)[:200])


@router.get("/rounds/{assessment_round_id}", response=RoundDetailOut, summary="一次述职评议及其结果（结果公布后）")
def round_detail(request, assessment_round_id: int):
    round = get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("org"), pk=assessment_round_id)
    reports = Report.objects.filter(round=round)
    if not scoping.can_manage_org(request.user, round.org) and round.state != RoundState.PUBLISHED:
        reports = reports.filter(user=request.user)
    data = {f: getattr(round, f) for f in FIELDS}
    data["reports"] = [{"id": r.pk, "person_name": r.person_name, "post": r.post, "subject_org_id": r.subject_org_id, "state": r.state,
                        "year_score": r.year_score, "live_score": r.live_score, "combined": r.combined, "grade": r.grade,
                        "follow_ups": r.follow_ups} for r in reports]
    return data


@router.get("/reports/{assessment_report_id}", response=ReportOut, summary="一份述职报告的得分与评价")
def report_detail(request, assessment_report_id: int):
    r = get_object_or_404(Report.objects.visible_to(request.user), pk=assessment_report_id)
    return {"id": r.pk, "person_name": r.person_name, "post": r.post, "subject_org_id": r.subject_org_id, "state": r.state,
            "year_score": r.year_score, "live_score": r.live_score, "combined": r.combined, "grade": r.grade, "follow_ups": r.follow_ups}
