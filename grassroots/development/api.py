"""REST API of member development, scoped like the pages: applicants, their steps, the voting roll and the board."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import services
from .models import Applicant, Stage, StepRecord
from .views import BOARD_STAGES, applicants_in, board_counts, filter_applicants

router = Router(tags=["发展党员"])


class ApplicantIn(Schema):
    org_id: int
    name: str
    gender: str
    ethnicity: str = "01"
    birth_date: datetime.date
    id_number: str = ""
    phone: str = ""
    education: str = ""
    work_unit: str = ""
    applied_on: datetime.date
    documents: str = ""
    note: str = ""


class ApplicantPatch(Schema):
    reason: str
    name: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: datetime.date | None = None
    id_number: str | None = None
    phone: str | None = None
    education: str | None = None
    work_unit: str | None = None


class ApplicantOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date
    id_number_masked: str
    phone_masked: str
    org_id: int
    org_name: str
    rule_set: str
    stage: Stage
    stage_label: str
    applied_on: datetime.date
    activist_on: datetime.date | None
    candidate_on: datetime.date | None
    admitted_on: datetime.date | None
    approved_on: datetime.date | None
    probation_ends_on: datetime.date | None
    full_on: datetime.date | None
    member_id: int | None
    next_step: str
    overdue: list[str]


class StepOut(Schema):
    id: int
    code: str
    number: int
    title: str
    date: datetime.date
    actor_name: str
    documents: str
    note: str
    data: dict
    passed: bool
    warning: str
    corrects_id: int | None
    reason: str
    attachments: list[str]

    @staticmethod
    def resolve_attachments(obj):
        return [a.original_name for a in obj.attachments.all()]


class ApplicantDetailOut(ApplicantOut):
    steps: list[StepOut]
    allowed_steps: list[str]


class ApplicantPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ApplicantOut]


class StepIn(Schema):
    code: str
    date: datetime.date
    note: str = ""
    documents: str = ""
    contacts: list[int] | None = None
    sponsors: list[int] | None = None
    training_days: int | None = None
    training_hours: int | None = None
    present_ids: list[int] | None = None
    present: int | None = None
    votes_for: int | None = None
    against: int | None = None
    abstain: int | None = None
    extension_reason: str = ""
    months: int | None = None
    reason: str = ""


class CorrectIn(Schema):
    date: datetime.date
    note: str | None = None
    documents: str | None = None
    reason: str


class RollOut(Schema):
    id: int
    name: str


class BoardRow(Schema):
    org_id: int
    name: str
    counts: dict[str, int]


class BoardOut(Schema):
    org_id: int
    counts: dict[str, int]
    overdue: int
    children: list[BoardRow]


def _out(a, today=None):
    today = today or timezone.localdate()
    return {
        **{f: getattr(a, f) for f in ApplicantOut.model_fields if hasattr(a, f) and f not in ("org_name", "overdue")},
        "org_name": a.org.name, "stage_label": a.get_stage_display(), "overdue": a.overdue_reasons(today),
    }


def _visible_org(request, org_id):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=org_id)


def _visible_applicant(request, dev_applicant_id):
    return get_object_or_404(Applicant.objects.visible_to(request.user).select_related("org", "member__org"), pk=dev_applicant_id)


@router.get("/applicants", response=ApplicantPage, summary="发展党员名单（入党申请人至正式党员）")
def list_applicants(
    request, org_id: int | None = None, stage: Stage | None = None, q: str = Query("", description="姓名或拼音首字母"),
    overdue: bool = False, page: int = 1, page_size: int = 50,
):
    qs = Applicant.objects.visible_to(request.user).select_related("org")
    if org_id is not None:
        qs = qs.within_path(_visible_org(request, org_id).path)
    today = timezone.localdate()
    qs = filter_applicants(qs, stage=stage or "", q=q, overdue=overdue, today=today)
    return paginated(qs, page, page_size, lambda rows: [_out(a, today) for a in rows])


@router.post("/applicants", response={201: ApplicantOut, 403: ErrorOut, 422: ErrorOut}, summary="登记入党申请")
def create_applicant(request, payload: ApplicantIn):
    org = _visible_org(request, payload.org_id)
    applicant = services.apply(request.user, org, payload.model_dump(exclude={"org_id"}))
    return Status(201, _out(applicant))


@router.patch("/applicants/{dev_applicant_id}", response={200: ApplicantOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="修改申请人个人信息（成为党员前；须填写理由）")
def update_applicant(request, dev_applicant_id: int, payload: ApplicantPatch):
    data = {k: v for k, v in payload.model_dump(exclude={"reason"}).items() if v is not None}
    return _out(services.update_applicant(request.user, _visible_applicant(request, dev_applicant_id), data, reason=payload.reason))


@router.get("/applicants/{dev_applicant_id}", response=ApplicantDetailOut, summary="发展过程（全部步骤记录）")
def get_applicant(request, dev_applicant_id: int):
    a = _visible_applicant(request, dev_applicant_id)
    return {
        **_out(a), "steps": list(a.steps.prefetch_related("attachments").order_by("date", "id")), "allowed_steps": [s.code for s in services.allowed_steps(a)],
    }


@router.get("/applicants/{dev_applicant_id}/roll", response=list[RollOut], summary="支部党员大会表决名单（有表决权的正式党员）")
def voting_roll(request, dev_applicant_id: int, date: datetime.date | None = None):
    a = _visible_applicant(request, dev_applicant_id)
    return list(services.voting_roll(services.current_org(a), date or timezone.localdate()).values("id", "name"))


@router.post("/applicants/{dev_applicant_id}/steps", response={201: StepOut, 403: ErrorOut, 422: ErrorOut}, summary="登记一个步骤（或延长预备期、取消资格、撤回申请）")
def record_step(request, dev_applicant_id: int, payload: StepIn):
    a = _visible_applicant(request, dev_applicant_id)
    data = payload.model_dump(exclude={"code", "date", "note", "documents"}, exclude_none=True)
    record = services.record_step(request.user, a, payload.code, date=payload.date, note=payload.note, documents=payload.documents, data=data)
    return Status(201, record)


@router.post("/steps/{dev_record_id}/correct", response={201: StepOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="更正一条步骤记录（原记录保留）")
def correct_step(request, dev_record_id: int, payload: CorrectIn):
    record = get_object_or_404(StepRecord, pk=dev_record_id)
    _visible_applicant(request, record.applicant_id)
    new = services.correct_step(request.user, record, date=payload.date, note=payload.note, documents=payload.documents, reason=payload.reason)
    return Status(201, new)


@router.get("/board/{org_id}", response=BoardOut, summary="发展党员工作台：各阶段人数、下级组织、逾期事项数")
def board(request, org_id: int):
    org = _visible_org(request, org_id)
    totals, children = board_counts(request.user, org)
    return {
        "org_id": org.pk, "counts": totals, "overdue": applicants_in(request.user, org).overdue(timezone.localdate()).count(),
        "children": [
            {"org_id": c["org"].pk, "name": c["org"].name, "counts": dict(zip(BOARD_STAGES, c["counts"], strict=True))} for c in children
        ],
    }

