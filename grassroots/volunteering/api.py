"""REST API of volunteering under /api/v1/volunteering/, scoped like the pages."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.members.models import Member

from . import services
from .choices import Basis, Grade
from .models import Claim, Evaluation, Registration, ServiceLog, Slot, community_paths
from .views import _claimable_slots, _unit_org, statistics_rows, unit_registrations

router = Router(tags=["在职党员到社区报到"])


class RegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str
    unit_id: int
    unit_name: str
    community_id: int
    community_name: str
    basis: str
    state: str
    registered_on: datetime.date
    confirmed_on: datetime.date | None
    expires_on: datetime.date | None


class RegistrationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RegistrationOut]


class RegisterIn(Schema):
    member_id: int
    community_id: int
    basis: Basis
    skills: str = ""
    pledge: str = ""


class DecideIn(Schema):
    accept: bool
    note: str = ""


class ClaimOut(Schema):
    id: int
    slot_id: int
    state: str


class HoursIn(Schema):
    served_on: datetime.date
    hours: Decimal
    content: str


class LogOut(Schema):
    id: int
    member_id: int
    served_on: datetime.date
    hours: Decimal
    content: str
    state: str


class EvaluationIn(Schema):
    year: int
    quarter: int = 0
    grade: Grade
    comment: str = ""
    whole_unit: bool = False


class EvaluationOut(Schema):
    id: int
    unit_id: int
    member_id: int | None
    year: int
    quarter: int
    grade: str
    hours: Decimal
    community_id: int | None = None
    comment: str = ""


class SlotOut(Schema):
    id: int
    post_id: int
    post_title: str
    category: str
    place: str
    community_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    taken: int


class StatRow(Schema):
    org_id: int
    org_name: str
    registered: int
    hours: float


def _reg_out(r):
    return {"id": r.pk, "member_id": r.member_id, "member_name": r.member.name, "unit_id": r.unit_id, "unit_name": r.unit.name,
            "community_id": r.community_id, "community_name": r.community.name, "basis": r.basis, "state": r.state,
            "registered_on": r.registered_on, "confirmed_on": r.confirmed_on, "expires_on": r.expires_on}


def _log_out(log):
    return {"id": log.pk, "member_id": log.member_id, "served_on": log.served_on, "hours": log.hours, "content": log.content, "state": log.state}


def _desk_reg(request, registration_id):
    return get_object_or_404(Registration.objects.filter(scoping.path_q("community_path", community_paths(request.user))).select_related("member", "community", "unit"),
                             pk=registration_id)


@router.get("/registrations", response={200: RegistrationPage, 403: ErrorOut}, summary="本组织及下级党员的社区报到")
def list_registrations(request, org_id: int | None = None, q: str = "", state: str = "", page: int = 1, page_size: int = 50):
    request.GET = request.GET.copy()
    if org_id:
        request.GET["org"] = str(org_id)
    org = _unit_org(request)
    return paginated(unit_registrations(request.user, org, {"q": q, "state": state}), page, page_size, lambda rows: [_reg_out(r) for r in rows])


@router.post("/registrations", response={201: RegistrationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="到社区报到（本人或本单位党员）")
def create_registration(request, payload: RegisterIn):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("org"), pk=payload.member_id)
    community = get_object_or_404(services.communities(), pk=payload.community_id)
    reg = services.register(request.user, member, community, payload.dict(), by_unit=member.user_id != request.user.pk)
    return Status(201, _reg_out(reg))


@router.post("/registrations/{registration_id}/decide", response={200: RegistrationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="社区确认（回执）或不接收报到")
def decide_registration(request, registration_id: int, payload: DecideIn):
    reg = services.decide_registration(request.user, _desk_reg(request, registration_id), accept=payload.accept, note=payload.note)
    return _reg_out(reg)


@router.post("/slots/{slot_id}/claim", response={201: ClaimOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="认领岗位时段（本人）")
def claim_slot(request, slot_id: int):
    slot = get_object_or_404(_claimable_slots(request.user), pk=slot_id)
    member = get_object_or_404(Member.objects.in_register(), user=request.user)
    c = services.claim_slot(request.user, member, slot)
    return Status(201, {"id": c.pk, "slot_id": c.slot_id, "state": c.state})


@router.post("/claims/{claim_id}/cancel", response={200: ClaimOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="取消认领")
def cancel_claim(request, claim_id: int):
    c = services.cancel_claim(request.user, get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_id))
    return {"id": c.pk, "slot_id": c.slot_id, "state": c.state}


@router.post("/registrations/{registration_id}/hours", response={201: LogOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="登记服务时长（社区登记即确认；本人申报待确认）")
def record_hours(request, registration_id: int, payload: HoursIn):
    reg = get_object_or_404(Registration.objects.visible_to(request.user).select_related("member", "community"), pk=registration_id)
    log = services.record_hours(request.user, reg.member, reg.community, payload.dict())
    return Status(201, _log_out(log))


@router.post("/hours/{log_id}/decide", response={200: LogOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="社区确认本人申报的服务时长")
def decide_hours(request, log_id: int, payload: DecideIn):
    log = get_object_or_404(ServiceLog.objects.filter(scoping.path_q("community_path", community_paths(request.user))), pk=log_id)
    return _log_out(services.decide_hours(request.user, log, approve=payload.accept, note=payload.note))


@router.post("/registrations/{registration_id}/evaluate", response={201: EvaluationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="社区评价报到党员（或其单位），反馈至所在党组织")
def evaluate(request, registration_id: int, payload: EvaluationIn):
    reg = _desk_reg(request, registration_id)
    ev = services.evaluate(request.user, reg.community, reg.unit, payload.dict(), member=None if payload.whole_unit else reg.member)
    return Status(201, {"id": ev.pk, "unit_id": ev.unit_id, "member_id": ev.member_id, "year": ev.year, "quarter": ev.quarter, "grade": ev.grade,
                        "hours": ev.hours})


@router.get("/members/{member_id}/hours", response={200: list[LogOut], 404: ErrorOut}, summary="党员某年的服务记录")
def member_hours(request, member_id: int, year: int | None = None):
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=member_id)
    qs = ServiceLog.objects.filter(member=member)
    if year:
        qs = qs.filter(year=year)
    return [_log_out(x) for x in qs[:500]]


@router.get("/statistics", response={200: list[StatRow], 403: ErrorOut}, summary="各下级组织报到人数与服务时长")
def statistics(request, org_id: int | None = None, year: int | None = None):
    request.GET = request.GET.copy()
    if org_id:
        request.GET["org"] = str(org_id)
    org = _unit_org(request)
    from django.utils import timezone

    rows = statistics_rows(request.user, org, year or timezone.localdate().year)
    return [{"org_id": r["org"].pk, "org_name": r["org"].name, "registered": r["registered"], "hours": r["hours"]} for r in rows]


@router.get("/slots", response={200: list[SlotOut]}, summary="可认领的岗位时段（本人报到社区；社区报到台看本社区）")
def list_slots(request):
    from django.db.models import Q
    from django.utils import timezone

    desk = Slot.objects.filter(scoping.path_q("post__community_path", list(scoping.community_desk_paths(request.user))
                                              + list(scoping.manage_paths(request.user))))
    mine = _claimable_slots(request.user).filter(post__is_open=True)
    qs = Slot.objects.filter(Q(pk__in=desk.values("pk")) | Q(pk__in=mine.values("pk")), starts_at__gt=timezone.now())
    return [{"id": s.pk, "post_id": s.post_id, "post_title": s.post.title, "category": s.post.category.name, "place": s.post.place,
             "community_id": s.post.community_id, "starts_at": s.starts_at, "ends_at": s.ends_at, "capacity": s.capacity, "taken": s.taken}
            for s in qs.select_related("post__category").order_by("starts_at")[:500]]


@router.get("/evaluations", response={200: list[EvaluationOut]}, summary="社区对报到党员和单位的评价（反馈单位，供民主评议）")
def list_evaluations(request, year: int | None = None, member_id: int | None = None):
    qs = Evaluation.objects.visible_to(request.user)
    if year:
        qs = qs.filter(year=year)
    if member_id:
        qs = qs.filter(member_id=member_id)
    return [{"id": e.pk, "unit_id": e.unit_id, "member_id": e.member_id, "year": e.year, "quarter": e.quarter, "grade": e.grade,
             "hours": e.hours, "community_id": e.community_id, "comment": e.comment} for e in qs[:500]]
