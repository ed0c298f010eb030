"""REST API of assessment under /api/v1/assessment/, scoped like the pages and writing through the same services: the
rounds and reports, the person's report (save or submit), the superior's comment, opening the appraisal and
publishing. Ballots are cast through the ballots API (one per representative, anonymous)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut

from . import services
from .choices import RoundState
from .models import AssessmentRound, Report

router = Router(tags=["述职评议考核"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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


class ReportIn(Schema):
    ideas: str | None = None
    measures: str | None = None
    results: str | None = None
    shortcomings: str | None = None
    plans: str | None = None
    integrity: str | None = None
    submit: bool = False


class CommentIn(Schema):
    text: str
    year_score: Decimal


FIELDS = ("id", "org_id", "year", "kind", "title", "state", "live_weight", "ballot_round_id")


@router.get("/rounds", response=list[RoundOut], summary="述职评议（本人可见范围）")
def list_rounds(request):
    return list(AssessmentRound.objects.visible_to(request.user).values(*FIELDS)[:200])


def _round_out(request, round):
    reports = Report.objects.filter(round=round)
    if not scoping.can_manage_org(request.user, round.org) and round.state != RoundState.PUBLISHED:
        reports = reports.filter(user=request.user)
    data = {f: getattr(round, f) for f in FIELDS}
    data["reports"] = [_report_out(r) for r in reports]
    return data


def _report_out(r):
    return {"id": r.pk, "person_name": r.person_name, "post": r.post, "subject_org_id": r.subject_org_id, "state": r.state,
            "year_score": r.year_score, "live_score": r.live_score, "combined": r.combined, "grade": r.grade, "follow_ups": r.follow_ups}


@router.get("/rounds/{assessment_round_id}", response=RoundDetailOut, summary="一次述职评议及其结果（结果公布后）")
def round_detail(request, assessment_round_id: int):
    round = get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("org"), pk=assessment_round_id)
    return _round_out(request, round)


@router.get("/reports/{assessment_report_id}", response=ReportOut, summary="一份述职报告的得分与评价")
def report_detail(request, assessment_report_id: int):
    return _report_out(get_object_or_404(Report.objects.visible_to(request.user), pk=assessment_report_id))


def _report(request, pk):
    return get_object_or_404(Report.objects.visible_to(request.user), pk=pk)


@router.post("/reports/{assessment_report_id}", response={200: ReportOut, **ERRORS}, summary="撰写（submit=true 时提交）述职报告")
def save_report(request, assessment_report_id: int, payload: ReportIn):
    data = payload.model_dump()
    submit = data.pop("submit")
    return _report_out(services.save_report(request.user, _report(request, assessment_report_id), submit=submit, **data))


@router.post("/reports/{assessment_report_id}/comment", response={200: ReportOut, **ERRORS}, summary="上级党组织点评并给出年度考核得分")
def comment(request, assessment_report_id: int, payload: CommentIn):
    return _report_out(services.comment(request.user, _report(request, assessment_report_id), text=payload.text, year_score=payload.year_score))


def _managed_round(request, pk):
    return get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("org"), pk=pk)


@router.post("/rounds/{assessment_round_id}/open", response={200: RoundDetailOut, **ERRORS}, summary="开始代表评议（无记名，每人一票）")
def open_appraisal(request, assessment_round_id: int):
    round, _tokens = services.open_appraisal(request.user, _managed_round(request, assessment_round_id))
    return _round_out(request, AssessmentRound.objects.get(pk=round.pk))


@router.post("/rounds/{assessment_round_id}/publish", response={200: RoundDetailOut, **ERRORS}, summary="截止评议并公布结果")
def publish(request, assessment_round_id: int):
    round = services.publish_results(request.user, _managed_round(request, assessment_round_id))
    return _round_out(request, AssessmentRound.objects.get(pk=round.pk))
