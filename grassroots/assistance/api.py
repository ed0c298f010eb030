"""REST API of assistance under /api/v1/assistance/, scoped like the pages and writing through the same services."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import coverage, services
from .models import Household, HouseholdLink, Leave, Pairing, Stationing

router = Router(tags=["驻村联户与结对帮扶"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CoverageRow(Schema):
    county: str
    units: int
    units_paired: int
    units_gap: int
    villages: int
    villages_paired: int
    needy: int
    needy_paired: int
    needy_gap: int


class Gap(Schema):
    id: int
    name: str
    county: str
    needs: str = ""


class CoverageOut(Schema):
    rows: list[CoverageRow]
    unpaired_units: list[Gap]
    unpaired_villages: list[Gap]


class PairingOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    village_id: int
    village_name: str
    started_on: datetime.date
    state: str
    ended_on: datetime.date | None


class PairingIn(Schema):
    partner_id: int
    village_id: int
    started_on: datetime.date
    contact_name: str = ""
    goals: str = ""


class StationingOut(Schema):
    id: int
    village_id: int
    village_name: str
    kind: str
    name: str
    sending_unit_name: str
    phone_masked: str
    started_on: datetime.date
    ends_on: datetime.date
    state: str


class AttendanceIn(Schema):
    month: datetime.date
    days: int
    note: str = ""


class AttendanceOut(Schema):
    month: datetime.date
    days: int
    required: int
    below: bool


class LeaveIn(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str


class LeaveOut(Schema):
    id: int
    days: int
    level: str
    approver_org_id: int
    state: str


class DecideIn(Schema):
    approve: bool
    note: str = ""


class HouseholdOut(Schema):
    id: int
    village_id: int
    kind: str
    head_name: str
    members_count: int
    id_number_masked: str
    phone_masked: str


class VisitIn(Schema):
    visited_on: datetime.date
    needs: str
    solved: str = ""
    resolved: bool = False


class VisitOut(Schema):
    id: int
    visited_on: datetime.date
    needs: str
    resolved: bool


def _pairing_out(rows):
    return [PairingOut(id=p.pk, partner_id=p.partner_id, partner_name=p.partner.name, village_id=p.village_id, village_name=p.village.name,
                       started_on=p.started_on, state=p.state, ended_on=p.ended_on) for p in rows]


def _stationing_out(rows):
    return [StationingOut(id=s.pk, village_id=s.village_id, village_name=s.village.name, kind=s.kind, name=s.name, sending_unit_name=s.sending_unit.name,
                          phone_masked=s.phone_masked, started_on=s.started_on, ends_on=s.ends_on, state=s.state) for s in rows]


def _readable_org(request, pk, field):
    org = Organization.objects.filter(scoping.path_q("path", scoping.read_paths(request.user)), pk=pk).first()
    if org is None:
        raise ValidationError({field: "找不到该党组织，或不在您的管理范围内"})
    return org


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="结对帮扶覆盖情况（分县，含两个方向的缺口）")
def coverage_api(request, org_id: int | None = None):
    if not scoping.reads_records(request.user):
        raise PermissionDenied("您没有查看结对覆盖情况的权限")
    root = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=org_id) if org_id else (
        Organization.objects.scope_roots(request.user).first())
    if root is None:
        raise PermissionDenied("没有可查看的党组织")
    return coverage.coverage(root)


@router.get("/pairings", summary="结对帮扶列表")
def pairings(request, page: int = 1, page_size: int = 50):
    qs = Pairing.objects.visible_to(request.user).select_related("partner", "village")
    return paginated(qs, page, page_size, _pairing_out)


@router.post("/pairings", response={201: PairingOut, **ERRORS}, summary="新建结对")
def create_pairing(request, payload: PairingIn):
    partner = _readable_org(request, payload.partner_id, "partner_id")
    village = _readable_org(request, payload.village_id, "village_id")
    p = services.create_pairing(request.user, partner, village, started_on=payload.started_on, contact_name=payload.contact_name, goals=payload.goals)
    return Status(201, _pairing_out([p])[0])


@router.get("/stationings", summary="驻村干部列表")
def stationings(request, page: int = 1, page_size: int = 50):
    qs = Stationing.objects.visible_to(request.user).select_related("village", "sending_unit")
    return paginated(qs, page, page_size, _stationing_out)


def _stationing(request, pk):
    return get_object_or_404(Stationing.objects.visible_to(request.user).select_related("village"), pk=pk)


@router.post("/stationings/{stationing_id}/attendance", response={200: AttendanceOut, **ERRORS}, summary="填报某月在村天数")
def attendance(request, stationing_id: int, payload: AttendanceIn):
    a = services.record_attendance(request.user, _stationing(request, stationing_id), month=payload.month, days=payload.days, note=payload.note)
    return AttendanceOut(month=a.month, days=a.days, required=a.required, below=a.below)


@router.post("/stationings/{stationing_id}/leaves", response={201: LeaveOut, **ERRORS}, summary="申请请假（按天数由乡镇或县级审批）")
def request_leave(request, stationing_id: int, payload: LeaveIn):
    leave = services.request_leave(request.user, _stationing(request, stationing_id), starts_on=payload.starts_on, ends_on=payload.ends_on,
                                   reason=payload.reason)
    return Status(201, LeaveOut(id=leave.pk, days=leave.days, level=leave.level, approver_org_id=leave.approver_org_id, state=leave.state))


@router.post("/leaves/{leave_id}/decide", response={200: LeaveOut, **ERRORS}, summary="审批请假")
def decide_leave(request, leave_id: int, payload: DecideIn):
    visible = Leave.objects.filter(scoping.path_q("approver_path", scoping.manage_paths(request.user))
                                   | scoping.path_q("org_path", scoping.record_paths(request.user)))
    leave = services.decide_leave(request.user, get_object_or_404(visible, pk=leave_id), approve=payload.approve, note=payload.note)
    return LeaveOut(id=leave.pk, days=leave.days, level=leave.level, approver_org_id=leave.approver_org_id, state=leave.state)


@router.get("/households", summary="联系户（个人信息已遮蔽）")
def households(request, page: int = 1, page_size: int = 50):
    qs = Household.objects.visible_to(request.user)
    return paginated(qs, page, page_size, lambda rows: [HouseholdOut(
        id=h.pk, village_id=h.village_id, kind=h.kind, head_name=h.head_name, members_count=h.members_count,
        id_number_masked=h.id_number_masked, phone_masked=h.phone_masked) for h in rows])


@router.post("/links/{link_id}/visits", response={201: VisitOut, **ERRORS}, summary="记录走访")
def visit(request, link_id: int, payload: VisitIn):
    link = get_object_or_404(HouseholdLink.objects.filter(household__in=Household.objects.visible_to(request.user))
                             .select_related("household__village", "stationing"), pk=link_id)
    v = services.record_visit(request.user, link, **payload.model_dump())
    return Status(201, VisitOut(id=v.pk, visited_on=v.visited_on, needs=v.needs, resolved=v.resolved))
