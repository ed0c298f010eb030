"""The member registry's API: list and search (the page's filters), record, create and change, reveal,
history, a member's own record and correction requests. Personal data only ever leaves masked, except
through the audited reveal."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.errors import field_errors
from grassroots.orgs.models import Organization

from . import services, stats
from .choices import RequestState
from .forms import CorrectionForm, MemberForm
from .models import CorrectionRequest, Member
from .search import filter_members, visible_members

router = Router(tags=["党员"])


class MemberOut(Schema):
    id: int
    name: str
    initials: str
    gender: str
    gender_label: str
    ethnicity: str
    ethnicity_label: str
    birth_date: datetime.date
    age: int
    id_number_masked: str
    phone_masked: str
    native_place: str
    education: str
    education_label: str
    degree: str
    degree_label: str
    occupation: str
    occupation_label: str
    work_unit: str
    residence: str
    in_service: bool
    status: str
    status_label: str
    joined_on: datetime.date
    full_on: datetime.date | None
    state: str
    state_label: str
    left_reason: str
    left_reason_label: str
    left_on: datetime.date | None
    left_document: str
    org_id: int
    org_name: str
    org_short_name: str


class MemberPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MemberOut]


class MemberFilters(Schema):
    q: str = ""
    within: int | None = None
    status: str = ""
    gender: str = ""
    ethnicity: str = ""
    age: str = ""
    education: str = ""
    occupation: str = ""
    joined_from: datetime.date | None = None
    joined_to: datetime.date | None = None
    state: str = ""
    sort: str = ""


class MemberIn(Schema):
    org_id: int
    name: str
    gender: str
    ethnicity: str = "01"
    birth_date: datetime.date
    id_number: str = ""
    phone: str = ""
    native_place: str = ""
    education: str = ""
    degree: str = ""
    occupation: str = ""
    work_unit: str = ""
    residence: str = ""
    in_service: bool = True
    status: str
    joined_on: datetime.date
    full_on: datetime.date | None = None
    state: str = "normal"
    left_reason: str = ""
    left_on: datetime.date | None = None
    left_document: str = ""


class MemberPatch(Schema):
    org_id: int | None = None
    name: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: datetime.date | None = None
    id_number: str | None = None
    phone: str | None = None
    native_place: str | None = None
    education: str | None = None
    degree: str | None = None
    occupation: str | None = None
    work_unit: str | None = None
    residence: str | None = None
    in_service: bool | None = None
    status: str | None = None
    joined_on: datetime.date | None = None
    full_on: datetime.date | None = None
    state: str | None = None
    left_reason: str | None = None
    left_on: datetime.date | None = None
    left_document: str | None = None


class RevealIn(Schema):
    field: str


class RevealOut(Schema):
    value: str


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    happened_on: datetime.date
    before: str
    after: str
    document: str
    note: str
    actor: str
    created_at: datetime.datetime


class CorrectionIn(Schema):
    field: str
    requested_value: str
    reason: str = ""


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class CorrectionOut(Schema):
    id: int
    member_id: int
    member_name: str
    field: str
    field_label: str
    current_value: str
    requested_value: str
    reason: str
    state: str
    state_label: str
    created_at: datetime.datetime
    decided_by: str
    decided_at: datetime.datetime | None
    decision_note: str


class CorrectionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CorrectionOut]


PLAIN = [
    "id", "name", "initials", "gender", "ethnicity", "birth_date", "id_number_masked", "phone_masked", "native_place", "education",
    "degree", "occupation", "work_unit", "residence", "in_service", "status", "joined_on", "full_on", "state", "left_reason",
    "left_on", "left_document", "org_id",
]
LABELLED = ["gender", "ethnicity", "education", "degree", "occupation", "status", "state", "left_reason"]


def member_items(members, today=None):
    """Output rows for members loaded with their organization (masked personal data only)."""
    today = today or timezone.localdate()
    return [
        {
            **{f: getattr(m, f) for f in PLAIN},
            **{f"{f}_label": getattr(m, f"get_{f}_display")() if getattr(m, f) else "" for f in LABELLED},
            "age": stats.age(m.birth_date, today),
            "org_name": m.org.name,
            "org_short_name": m.org.short_name,
        }
        for m in members
    ]


def _correction_out(c):
    return {
        "id": c.id, "member_id": c.member_id, "member_name": c.member.name, "field": c.field,
        "field_label": services.CORRECTABLE_FIELDS.get(c.field, c.field), "current_value": c.current_value,
        "requested_value": services.requested_display(c), "reason": c.reason, "state": c.state, "state_label": c.get_state_display(),
        "created_at": c.created_at, "decided_by": str(c.decided_by) if c.decided_by else "", "decided_at": c.decided_at,
        "decision_note": c.decision_note,
    }


def _visible(request, member_id):
    return get_object_or_404(visible_members(request.user).select_related("org"), pk=member_id)


def _api_field(name):
    """The organization is `org` in the form and the services, `org_id` in the API."""
    return "org_id" if name == "org" else name


def _form_errors(form):
    """The form's messages as the API's 422 body."""
    return ValidationError({_api_field(f): list(e) for f, e in form.errors.items()})


def _service_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError({_api_field(f): m for f, m in field_errors(exc).items()}) from None


def _validated(request, data, member=None):
    """Run the same form the pages use; its Chinese messages become the API's 422 body."""
    form = MemberForm(
        data={k: ("" if v is None else v) for k, v in data.items()},
        orgs=Organization.objects.manageable_by(request.user),
        member=member,
    )
    if not form.is_valid():
        raise _form_errors(form)
    return form


def _org_for_write(request, org_id):
    org = Organization.objects.visible_to(request.user).filter(pk=org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织，或它不在您的管理范围内"})
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织党员的权限")
    return org


@router.get("/", response={200: MemberPage, 422: ErrorOut}, summary="党员列表（查找与筛选）")
def list_members(request, filters: Query[MemberFilters], page: int = 1, page_size: int = 50):
    """The same search and filters as the member list page: `q` is part of a name, a pinyin-initials prefix,
    or a full ID number or phone; `state` empty means on the register, `all` includes those who left."""
    qs, applied = filter_members(request.user, filters.model_dump(exclude_defaults=True))
    if applied.errors:
        raise ValidationError(applied.errors)
    return paginated(qs, page, page_size, member_items)


@router.get("/me", response={200: MemberOut, 403: ErrorOut}, summary="本人的党员信息")
def my_record(request):
    member = Member.objects.filter(user=request.user).select_related("org").first()
    if member is None:
        raise PermissionDenied("您的账号没有关联党员档案")
    return member_items([member])[0]


@router.post("/me/corrections", response={201: CorrectionOut, 403: ErrorOut, 422: ErrorOut}, summary="申请更正本人信息")
def request_correction(request, payload: CorrectionIn):
    member = Member.objects.filter(user=request.user).select_related("org").first()
    if member is None:
        raise PermissionDenied("您的账号没有关联党员档案")
    form = CorrectionForm(data=payload.model_dump())
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    req = services.request_correction(request.user, member, data["field"], data["requested_value"], data["reason"])
    return Status(201, _correction_out(req))


def _corrections_qs(user, paths):
    return CorrectionRequest.objects.filter(scoping.path_q("member__org_path", paths)).select_related("member", "decided_by")


@router.get("/corrections", response={200: CorrectionPage, 403: ErrorOut}, summary="待审核的信息更正申请")
def list_corrections(request, state: str = Query(RequestState.PENDING, description="pending、approved、rejected 或 all"), page: int = 1, page_size: int = 50):
    paths = scoping.manage_paths(request.user)
    if not paths:
        raise PermissionDenied("您没有审核更正申请的权限")
    qs = _corrections_qs(request.user, paths)
    if state in RequestState.values:
        qs = qs.filter(state=state)
    return paginated(qs, page, page_size, lambda rows: [_correction_out(c) for c in rows])


@router.post(
    "/corrections/{int:request_id}/decide", response={200: CorrectionOut, 403: ErrorOut, 422: ErrorOut}, summary="审核信息更正申请"
)
def decide_correction(request, request_id: int, payload: DecisionIn):
    req = get_object_or_404(_corrections_qs(request.user, scoping.record_paths(request.user)), pk=request_id)
    req = services.decide_correction(request.user, req, payload.approve, payload.note)
    return _correction_out(CorrectionRequest.objects.select_related("member", "decided_by").get(pk=req.pk))


@router.get("/{int:member_id}", response=MemberOut, summary="党员详情")
def get_member(request, member_id: int):
    return member_items([_visible(request, member_id)])[0]


@router.post("/", response={201: MemberOut, 403: ErrorOut, 422: ErrorOut}, summary="新增党员")
def create_member(request, payload: MemberIn):
    data = payload.model_dump()
    org = _org_for_write(request, data.pop("org_id"))
    form = _validated(request, {**data, "org": org.code})
    member = _service_call(services.create_member, request.user, org, form.service_data())
    return Status(201, member_items([Member.objects.select_related("org").get(pk=member.pk)])[0])


@router.patch("/{int:member_id}", response={200: MemberOut, 403: ErrorOut, 422: ErrorOut}, summary="修改党员信息")
def update_member(request, member_id: int, payload: MemberPatch):
    """Only the fields sent change; an ID number or phone sent empty is left as it is."""
    member = _visible(request, member_id)
    if not scoping.can_manage_org(request.user, member.org):
        raise PermissionDenied("您没有管理该党员信息的权限")
    changes = payload.model_dump(exclude_unset=True)
    org = member.org
    if "org_id" in changes:
        org = _org_for_write(request, changes.pop("org_id"))
        changes["org"] = org
    current = {f: getattr(member, f) for f in services.RECORD_FIELDS}
    form = _validated(request, {**current, **changes, "org": org.code}, member=member)
    data = form.service_data()
    wanted = {k: data[k] for k in changes if k in data}
    _service_call(services.update_member, request.user, member, wanted)
    return member_items([Member.objects.select_related("org").get(pk=member.pk)])[0]


@router.post("/{int:member_id}/reveal", response={200: RevealOut, 403: ErrorOut, 422: ErrorOut}, summary="查看完整的身份证号或电话（记入审计日志）")
def reveal(request, member_id: int, payload: RevealIn):
    return {"value": services.reveal(request.user, _visible(request, member_id), payload.field)}


@router.get("/{int:member_id}/events", response=list[EventOut], summary="党员档案记录")
def member_events(request, member_id: int):
    member = _visible(request, member_id)
    return [
        {
            "id": e.id, "kind": e.kind, "kind_label": e.get_kind_display(), "happened_on": e.happened_on, "before": e.before,
            "after": e.after, "document": e.document, "note": e.note, "actor": str(e.actor) if e.actor else "", "created_at": e.created_at,
        }
        for e in member.events.select_related("actor")
    ]


# The roster/import and data-quality/statistics endpoints live in their own files, under the same /members prefix.
from .ledger_api import router as ledger_router  # noqa: E402
from .quality_api import router as quality_router  # noqa: E402

router.add_router("", ledger_router)
router.add_router("", quality_router)
