"""REST API of rectification under /api/v1/rectification/, scoped like the pages (Case.objects.visible_to)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization
from grassroots.tracking.queries import rollup

from . import queries, services
from .models import Case
from .views import visible_screenings

router = Router(tags=["软弱涣散党组织整顿"])


class CaseOut(Schema):
    id: int
    org_id: int
    org: str
    township: str | None
    year: int
    stage: str
    stage_label: str
    problems: list[str]
    contact_leader: str
    assisting_unit_id: int | None
    due_on: datetime.date
    closed_on: datetime.date | None
    watch_until: datetime.date | None
    reopen_count: int
    reopen_reason: str
    percent: float | None
    measures: int
    measures_overdue: int


class CaseIn(Schema):
    org_id: int
    year: int
    problems: list[str]
    due_on: datetime.date
    problem_text: str = ""


class SupportIn(Schema):
    contact_leader: str | None = None
    assisting_unit_id: int | None = None


class CandidateOut(Schema):
    id: int
    org_id: int
    org: str
    source: str
    included: bool
    problems: list[str]
    reason: str
    evidence: list[dict]


class CountsOut(Schema):
    total: int
    open: int
    polling: int
    remedial: int
    closed: int
    overdue: int
    reopened: int


def _out(case, ups):
    r = ups.get(case.task_list_id)
    return {
        "id": case.pk, "org_id": case.org_id, "org": case.org.name, "township": str(case.township) if case.township_id else None,
        "year": case.year, "stage": case.stage, "stage_label": case.get_stage_display(), "problems": case.problems,
        "contact_leader": case.contact_leader, "assisting_unit_id": case.assisting_unit_id, "due_on": case.due_on, "closed_on": case.closed_on,
        "watch_until": case.watch_until, "reopen_count": case.reopen_count, "reopen_reason": case.reopen_reason,
        "percent": float(r.percent) if r and r.percent is not None else None, "measures": r.total if r else 0, "measures_overdue": r.overdue if r else 0,
    }


def _page(rows):
    rows = list(rows)
    ups = rollup([c.task_list_id for c in rows])
    return [_out(c, ups) for c in rows]


@router.get("/cases", response=dict, summary="整顿台账列表")
def list_cases(request, year: int | None = None, stage: Case.Stage | None = None, org_id: int | None = Query(None, description="只列出该组织及其下级"),
               page: int = 1, page_size: int = 50):
    qs = Case.objects.visible_to(request.user).select_related("org", "township").order_by("org_path", "id")
    if year:
        qs = qs.filter(year=year)
    if stage:
        qs = qs.filter(stage=stage)
    if org_id is not None:
        org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.read_paths(request.user))), pk=org_id)
        qs = qs.filter(org_path__startswith=org.path)
    return paginated(qs, page, page_size, _page)


@router.get("/cases/{rcase_id}", response={200: CaseOut, 404: ErrorOut}, summary="整顿台账详情")
def get_case(request, rcase_id: int):
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("org", "township"), pk=rcase_id)
    return _page([case])[0]


@router.get("/counts", response={200: CountsOut, 403: ErrorOut, 404: ErrorOut}, summary="按阶段统计（逾期、重新整顿）")
def counts(request, org_id: int | None = Query(None, description="统计该组织及其下级；不填为本人可查看的最上级组织"), year: int | None = None):
    readable = Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))) if scoping.record_paths(request.user) else Organization.objects.none()
    org = get_object_or_404(readable, pk=org_id) if org_id is not None else readable.order_by("depth", "path").first()
    if org is None:
        raise PermissionDenied("您没有查看整顿统计的权限")
    c = queries.stage_counts(queries.cases_in(request.user, org, year), timezone.localdate())
    return {k: c[k] for k in ("total", "open", "polling", "remedial", "closed", "overdue", "reopened")}


@router.post("/cases", response={201: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="直接列入整顿（不经年度排查）")
def create_case(request, payload: CaseIn):
    org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user))), pk=payload.org_id)
    case = services.open_case(request.user, org, year=payload.year, problems=payload.problems, due_on=payload.due_on, problem_text=payload.problem_text)
    return Status(201, _page([case])[0])


@router.post("/cases/{rcase_id}/support", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="明确联系领导和帮扶单位（整顿未销号时不得脱钩）")
def set_support(request, rcase_id: int, payload: SupportIn):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=rcase_id)
    kwargs = {}
    if payload.contact_leader is not None:
        kwargs["contact_leader"] = payload.contact_leader
    if "assisting_unit_id" in payload.model_fields_set:
        kwargs["assisting_unit"] = get_object_or_404(Organization, pk=payload.assisting_unit_id) if payload.assisting_unit_id else None
    services.set_support(request.user, case, **kwargs)
    return _page([Case.objects.select_related("org", "township").get(pk=case.pk)])[0]


@router.get("/screenings/{rscreening_id}/candidates", response=list[CandidateOut], summary="排查对象及预警依据")
def candidates(request, rscreening_id: int):
    s = get_object_or_404(visible_screenings(request.user), pk=rscreening_id)
    rows = s.candidates.filter(scoping.path_q("org_path", scoping.record_paths(request.user))).select_related("org")
    return [{"id": c.pk, "org_id": c.org_id, "org": c.org.name, "source": c.source, "included": c.included, "problems": c.problems,
             "reason": c.reason, "evidence": c.evidence} for c in rows]
