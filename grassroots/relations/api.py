"""REST API of transfers, floating and lost-contact members, scoped exactly like the pages."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from grassroots.core.api_support import ErrorOut, paginated
from grassroots.members.models import Member
from grassroots.orgs.models import Organization

from . import services, views
from .choices import CaseState, FloatingReason, SearchMethod, TransferReason, TransferState
from .models import FloatingRecord, LostContactCase, Transfer

router = Router(tags=["组织关系"])


def _responses(schema, code=200):
    return {code: schema, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TransferOut(Schema):
    id: int
    kind: str
    kind_label: str
    letter_number: str
    member_id: int
    member_name: str
    member_status: str
    joined_on: datetime.date
    from_org_id: int | None
    from_name: str
    to_org_id: int | None
    to_name: str
    reason: TransferReason
    issued_on: datetime.date
    valid_days: int
    valid_until: datetime.date
    state: str
    state_label: str
    expiring: bool
    receipt_overdue: bool
    decided_on: datetime.date | None
    receipt_on: datetime.date | None
    receipt_due: datetime.date | None
    receipt_late_days: int | None  # days late once the receipt is back (0: on time); stays after it arrives
    reject_reason: str
    placed_in_id: int | None
    reissue_of_id: int | None


class TransferPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TransferOut]


def _transfer_out(t, today=None):
    today = today or timezone.localdate()
    state = t.current_state(today)
    return {
        "id": t.pk, "kind": t.kind, "kind_label": t.get_kind_display(), "letter_number": t.letter_number, "member_id": t.member_id,
        "member_name": t.member.name, "member_status": t.member.status, "joined_on": t.member.joined_on, "from_org_id": t.from_org_id,
        "from_name": t.from_name, "to_org_id": t.to_org_id, "to_name": t.to_name, "reason": t.reason, "issued_on": t.issued_on,
        "valid_days": t.valid_days, "valid_until": t.valid_until, "state": state, "state_label": t.current_state_label(today),
        "expiring": t.is_expiring(today), "receipt_overdue": t.receipt_overdue(today), "decided_on": t.decided_on,
        "receipt_on": t.receipt_on, "receipt_due": t.receipt_due, "receipt_late_days": t.receipt_late_days, "reject_reason": t.reject_reason, "placed_in_id": t.placed_in_id, "reissue_of_id": t.reissue_of_id,
    }


def _transfer(request, transfer_id):
    return get_object_or_404(Transfer.objects.visible_to(request.user).select_related("member", "from_org", "to_org"), pk=transfer_id)


def _member(request, member_id):
    member = Member.objects.visible_to(request.user).select_related("org").filter(pk=member_id).first()
    if member is None:
        raise ValidationError({"member_id": "找不到该党员，或该党员不在您的管理范围内"})
    return member


def _org(org_id, field, queryset=None):
    if org_id is None:
        return None
    org = (queryset if queryset is not None else Organization.objects.active()).filter(pk=org_id).first()
    if org is None:
        raise ValidationError({field: "找不到该党组织，或该党组织不在您的管理范围内"})
    return org


@router.get("/transfers", response=TransferPage, summary="组织关系转接列表")
def list_transfers(
    request, tab: str = Query("all", description="all / outgoing（转出）/ incoming（转入）/ external（平台外）"),
    state: TransferState | None = None, q: str = "", page: int = 1, page_size: int = 50,
):
    qs = views.transfer_queryset(request.user, {"tab": tab, "state": state or "", "q": q})
    today = timezone.localdate()
    return paginated(qs, page, page_size, lambda rows: [_transfer_out(t, today) for t in rows])


class IssueIn(Schema):
    member_id: int
    to_org_id: int | None = None
    to_external: str = ""
    reason: TransferReason
    issued_on: datetime.date | None = None
    valid_days: int | None = None
    note: str = ""


@router.post("/transfers", response=_responses(TransferOut, 201), summary="开具介绍信")
def issue(request, payload: IssueIn):
    member = _member(request, payload.member_id)
    transfer = services.issue_transfer(
        request.user, member, reason=payload.reason, to_org=_org(payload.to_org_id, "to_org_id"), to_external=payload.to_external,
        issued_on=payload.issued_on, valid_days=payload.valid_days, note=payload.note,
    )
    return Status(201, _transfer_out(transfer))


class IncomingIn(Schema):
    org_id: int
    name: str
    gender: str
    ethnicity: str = "01"
    birth_date: datetime.date
    id_number: str = ""
    phone: str = ""
    status: str
    joined_on: datetime.date
    full_on: datetime.date | None = None
    from_external: str
    letter_number: str
    issued_on: datetime.date
    valid_days: int | None = None
    reason: TransferReason


@router.post("/transfers/incoming", response=_responses(TransferOut, 201), summary="登记从平台外转入的党员")
def incoming(request, payload: IncomingIn):
    org = _org(payload.org_id, "org_id", Organization.objects.manageable_by(request.user).active())
    member_data = payload.model_dump(include={"name", "gender", "ethnicity", "birth_date", "id_number", "phone", "status", "joined_on", "full_on"})
    member_data["state"] = "normal"
    transfer = services.register_incoming(
        request.user, org, member_data, from_external=payload.from_external, letter_number=payload.letter_number,
        issued_on=payload.issued_on, reason=payload.reason, valid_days=payload.valid_days,
    )
    return Status(201, _transfer_out(transfer))


@router.get("/transfers/{transfer_id}", response=_responses(TransferOut), summary="转接详情")
def get_transfer(request, transfer_id: int):
    return _transfer_out(_transfer(request, transfer_id))


class AcceptIn(Schema):
    place_in_id: int | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str


class ReissueIn(Schema):
    valid_days: int | None = None


class ReceiptIn(Schema):
    received_on: datetime.date


@router.post("/transfers/{transfer_id}/accept", response=_responses(TransferOut), summary="接收（党员转入本组织）")
def accept(request, transfer_id: int, payload: AcceptIn):
    transfer = _transfer(request, transfer_id)
    place_in = _org(payload.place_in_id, "place_in_id")
    return _transfer_out(services.accept_transfer(request.user, transfer, place_in=place_in, note=payload.note))


@router.post("/transfers/{transfer_id}/reject", response=_responses(TransferOut), summary="退回介绍信（须写明理由）")
def reject(request, transfer_id: int, payload: ReasonIn):
    return _transfer_out(services.reject_transfer(request.user, _transfer(request, transfer_id), reason=payload.reason))


@router.post("/transfers/{transfer_id}/cancel", response=_responses(TransferOut), summary="撤回介绍信")
def cancel(request, transfer_id: int, payload: ReasonIn):
    return _transfer_out(services.cancel_transfer(request.user, _transfer(request, transfer_id), reason=payload.reason))


@router.post("/transfers/{transfer_id}/reissue", response=_responses(TransferOut, 201), summary="重新开具过期或被退回的介绍信")
def reissue(request, transfer_id: int, payload: ReissueIn):
    return Status(201, _transfer_out(services.reissue_transfer(request.user, _transfer(request, transfer_id), valid_days=payload.valid_days)))


@router.post("/transfers/{transfer_id}/receipt", response=_responses(TransferOut), summary="登记平台外接收方返回的回执")
def receipt(request, transfer_id: int, payload: ReceiptIn):
    return _transfer_out(services.record_receipt(request.user, _transfer(request, transfer_id), received_on=payload.received_on))


class DestinationOut(Schema):
    id: int
    name: str


@router.get("/orgs/{org_id}/destinations", response=_responses(list[DestinationOut]), summary="接收党组织查找（只含名称）")
def destinations(request, org_id: int, q: str = ""):
    sender = get_object_or_404(Organization.objects.manageable_by(request.user), pk=org_id)
    orgs = views._org_search(q, Organization.objects.active().exclude(pk=sender.pk).exclude(kind="group"))
    return [{"id": o.pk, "name": o.name} for o in orgs]


# ---- floating ------------------------------------------------------------------------------------------


class FloatingOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    org_name: str
    left_on: datetime.date
    destination: str
    reason: FloatingReason
    contact_phone_masked: str
    contact_address: str
    certificate_number: str
    activity_org_id: int | None
    activity_org_name: str
    returned_on: datetime.date | None
    transfer_required: bool


class FloatingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[FloatingOut]


def _floating_out(r, today=None):
    today = today or timezone.localdate()
    return {
        "id": r.pk, "member_id": r.member_id, "member_name": r.member.name, "org_id": r.org_id, "org_name": r.org.name, "left_on": r.left_on,
        "destination": r.destination, "reason": r.reason, "contact_phone_masked": r.contact_phone_masked, "contact_address": r.contact_address,
        "certificate_number": r.certificate_number, "activity_org_id": r.activity_org_id, "activity_org_name": r.activity_org_display,
        "returned_on": r.returned_on, "transfer_required": r.transfer_required(today),
    }


def _floating(request, record_id):
    return get_object_or_404(FloatingRecord.objects.visible_to(request.user).select_related("member", "org", "activity_org"), pk=record_id)


@router.get("/floating", response=FloatingPage, summary="流动党员列表")
def list_floating(request, show: str = Query("open", description="open / returned / all"), q: str = "", flag: str = "",
                  page: int = 1, page_size: int = 50):
    today = timezone.localdate()
    qs = views.floating_queryset(request.user, {"show": show, "q": q, "flag": flag})
    return paginated(qs, page, page_size, lambda rows: [_floating_out(r, today) for r in rows])


@router.get("/floating/{record_id}", response=_responses(FloatingOut), summary="流动党员详情")
def get_floating(request, record_id: int):
    return _floating_out(_floating(request, record_id))


class FloatingIn(Schema):
    member_id: int
    left_on: datetime.date
    destination: str
    reason: FloatingReason
    contact_phone: str = ""
    contact_address: str = ""
    certificate_number: str = ""
    activity_org_id: int | None = None
    activity_org_name: str = ""
    note: str = ""


class FloatingPatch(Schema):
    destination: str | None = None
    contact_phone: str | None = None
    contact_address: str | None = None
    certificate_number: str | None = None
    activity_org_id: int | None = None
    activity_org_name: str | None = None
    note: str | None = None


class ReturnIn(Schema):
    returned_on: datetime.date


@router.post("/floating", response=_responses(FloatingOut, 201), summary="登记流动党员")
def create_floating(request, payload: FloatingIn):
    member = _member(request, payload.member_id)
    data = payload.model_dump(exclude={"member_id", "activity_org_id"})
    data["activity_org"] = _org(payload.activity_org_id, "activity_org_id")
    return Status(201, _floating_out(services.register_floating(request.user, member, data)))


@router.patch("/floating/{record_id}", response=_responses(FloatingOut), summary="修改流动党员信息")
def patch_floating(request, record_id: int, payload: FloatingPatch):
    record = _floating(request, record_id)
    data = payload.model_dump(exclude_unset=True)
    if "activity_org_id" in data:
        data["activity_org"] = _org(data.pop("activity_org_id"), "activity_org_id")
    return _floating_out(services.update_floating(request.user, record, data))


@router.post("/floating/{record_id}/return", response=_responses(FloatingOut), summary="登记返回")
def floating_return(request, record_id: int, payload: ReturnIn):
    return _floating_out(services.record_return(request.user, _floating(request, record_id), returned_on=payload.returned_on))


# ---- lost contact ----------------------------------------------------------------------------------------


class AttemptOut(Schema):
    id: int
    tried_on: datetime.date
    method: SearchMethod
    searcher: str
    result: str
    found: bool


class CaseOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    org_name: str
    last_contact_on: datetime.date
    opened_on: datetime.date
    state: CaseState
    state_label: str
    suspend_possible_on: datetime.date
    suspended_on: datetime.date | None
    suspend_document: str
    self_left_possible_on: datetime.date | None
    closed_on: datetime.date | None
    close_document: str
    attempt_count: int


class CaseDetailOut(CaseOut):
    attempts: list[AttemptOut]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseOut]


def _case_out(c, attempts=None):
    data = {
        "id": c.pk, "member_id": c.member_id, "member_name": c.member.name, "org_id": c.org_id, "org_name": c.org.name,
        "last_contact_on": c.last_contact_on, "opened_on": c.opened_on, "state": c.state, "state_label": c.get_state_display(),
        "suspend_possible_on": c.suspend_possible_on, "suspended_on": c.suspended_on, "suspend_document": c.suspend_document,
        "self_left_possible_on": c.self_left_possible_on, "closed_on": c.closed_on, "close_document": c.close_document,
        "attempt_count": getattr(c, "attempt_count", None) if attempts is None else len(attempts),
    }
    if attempts is not None:
        data["attempts"] = [
            {"id": a.pk, "tried_on": a.tried_on, "method": a.method, "searcher": a.searcher, "result": a.result, "found": a.found} for a in attempts
        ]
    return data


def _case(request, case_id):
    return get_object_or_404(LostContactCase.objects.visible_to(request.user).select_related("member", "org"), pk=case_id)


def _case_detail(case):
    case = LostContactCase.objects.select_related("member", "org").get(pk=case.pk)
    return _case_out(case, list(case.attempts.all()))


@router.get("/lost", response=CasePage, summary="失联党员列表")
def list_lost(request, show: str = Query("open", description="open / closed / all"), q: str = "", page: int = 1, page_size: int = 50):
    qs = views.lost_queryset(request.user, {"show": show, "q": q})
    return paginated(qs, page, page_size, lambda rows: [_case_out(c) for c in rows])


@router.get("/lost/{case_id}", response=_responses(CaseDetailOut), summary="失联党员详情与寻找记录")
def get_lost(request, case_id: int):
    return _case_detail(_case(request, case_id))


class LostIn(Schema):
    member_id: int
    last_contact_on: datetime.date
    opened_on: datetime.date | None = None
    note: str = ""


class AttemptIn(Schema):
    tried_on: datetime.date
    method: SearchMethod
    searcher: str
    result: str
    found: bool = False


class DecisionIn(Schema):
    decided_on: datetime.date
    document: str


class RestoreIn(Schema):
    restored_on: datetime.date
    note: str = ""


@router.post("/lost", response=_responses(CaseDetailOut, 201), summary="登记失联党员")
def create_lost(request, payload: LostIn):
    member = _member(request, payload.member_id)
    case = services.open_lost_contact(request.user, member, last_contact_on=payload.last_contact_on, opened_on=payload.opened_on, note=payload.note)
    return Status(201, _case_detail(case))


@router.post("/lost/{case_id}/searches", response=_responses(CaseDetailOut, 201), summary="登记寻找情况")
def add_search(request, case_id: int, payload: AttemptIn):
    case = _case(request, case_id)
    services.log_search(request.user, case, **payload.model_dump())
    return Status(201, _case_detail(case))


@router.post("/lost/{case_id}/suspend", response=_responses(CaseDetailOut), summary="停止党籍（失联满 6 个月且经查找无果）")
def suspend(request, case_id: int, payload: DecisionIn):
    return _case_detail(services.suspend_membership(request.user, _case(request, case_id), **payload.model_dump()))


@router.post("/lost/{case_id}/self-left", response=_responses(CaseDetailOut), summary="按自行脱党处理（停止党籍满 2 年）")
def self_left(request, case_id: int, payload: DecisionIn):
    return _case_detail(services.remove_as_self_left(request.user, _case(request, case_id), **payload.model_dump()))


@router.post("/lost/{case_id}/restore", response=_responses(CaseDetailOut), summary="恢复联系")
def restore(request, case_id: int, payload: RestoreIn):
    return _case_detail(services.restore_contact(request.user, _case(request, case_id), **payload.model_dump()))
