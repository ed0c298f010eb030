"""Every change to transfers, floating and lost-contact members goes through these functions: checked against
the scope and the regulation (rules.py), audited, and notifying the other side where it has to act."""

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core import audit, crypto, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import MANAGING_ROLES, Role
from grassroots.members import services as member_services
from grassroots.members.choices import LeftReason, State
from grassroots.members.models import Member
from grassroots.orgs.models import Organization

from . import rules
from .choices import CaseState, TransferKind, TransferReason, TransferState
from .models import FloatingRecord, LostContactCase, SearchAttempt, Transfer

OUT_OF_SCOPE = "该党组织不在您的管理范围内"
TRANSFER_AUDIT = [
    "kind", "member", "from_org", "from_external", "to_org", "to_external", "reason", "letter_number", "issued_on", "valid_days",
    "state", "decided_on", "reject_reason", "placed_in", "receipt_on", "reissue_of", "note",
]
FLOATING_AUDIT = [
    "member", "org", "left_on", "destination", "reason", "contact_phone_masked", "contact_address", "certificate_number",
    "activity_org", "activity_org_name", "returned_on", "note",
]
CASE_AUDIT = ["member", "org", "last_contact_on", "opened_on", "state", "suspended_on", "suspend_document", "closed_on", "close_document", "note"]
# A member whose relationship may move: on the register and not suspended.
MOVABLE_STATES = {State.NORMAL, State.FLOATING}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_manage(actor, org, message=OUT_OF_SCOPE):
    if org is None or not scoping.can_manage_org(actor, org):
        raise PermissionDenied(message)


def _today(day=None):
    return day or timezone.localdate()


def managers_of(org):
    """Who is told about a transfer on behalf of `org`: the managers holding a role on the organization itself,
    else those of the nearest ancestor that has any (a branch without an account reaches its committee)."""
    if org is None:
        return []
    paths = [*org.ancestor_paths(), org.path]
    rows = list(
        RoleAssignment.objects.active()
        .filter(org__path__in=paths, role__in=MANAGING_ROLES)
        .exclude(role=Role.ADMIN)
        .values_list("user_id", "org__path")
    )
    for path in reversed(paths):
        users = [uid for uid, p in rows if p == path]
        if users:
            return users
    return []


def _notify_transfer(transfer, orgs, title, body=""):
    users = [uid for org in orgs for uid in managers_of(org)]
    if users:
        notifications.notify(
            users, title=title, body=body, link=reverse("relations:transfer_detail", args=[transfer.pk]),
            kind=notifications.Kind.TRANSFER, org_path=transfer.from_org_path or transfer.to_org_path,
        )


# ---- transfers -----------------------------------------------------------------------------------------------


def issuer_path(org):
    """The organization that issues the letter for a member of `org`: the org itself, or a Party group's branch."""
    return org.parent_path if org.kind == "group" else org.path


def _next_letter(org, year):
    """The next 〔year〕第n号 of `org`. The caller holds a lock on the organization row."""
    last = Transfer.objects.filter(from_org=org, letter_year=year).aggregate(m=Max("letter_seq"))["m"] or 0
    return last + 1


@transaction.atomic
def issue_transfer(actor, member, *, reason, to_org=None, to_external="", issued_on=None, valid_days=None, note="", reissue_of=None):
    """The sending organization issues a letter of introduction. The member stays in the sending organization
    (which stays responsible) until the receiving one accepts."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org, "您没有管理该党员的权限")
    today = _today()
    issued_on = issued_on or today
    valid_days = rules.default_valid_days() if valid_days is None else valid_days
    to_external = (to_external or "").strip()
    errors = {}
    if reason not in TransferReason.values:
        errors["reason"] = "请选择转接原因"
    message = rules.valid_days_error(valid_days)
    if message:
        errors["valid_days"] = message
    if issued_on > today:
        errors["issued_on"] = "开具日期不能晚于今天"
    if to_org is None and not to_external:
        errors["to_org"] = "请选择接收党组织，或填写平台外接收党组织名称"
    elif to_org is not None and to_external:
        errors["to_external"] = "平台内接收党组织与平台外名称只填一项"
    elif to_org is not None:
        if not to_org.is_active:
            errors["to_org"] = "接收党组织已撤销"
        elif to_org.pk == member.org_id or to_org.path == issuer_path(member.org):
            errors["to_org"] = "接收党组织不能是党员现在所在的党组织"
    if member.state not in MOVABLE_STATES:
        errors["member"] = f"该党员党籍状态为“{member.get_state_display()}”，不能转接组织关系"
    if Transfer.objects.filter(member=member, state=TransferState.ISSUED).exclude(pk=getattr(reissue_of, "pk", None)).exists():
        errors["member"] = "该党员已有待接收的介绍信，请先撤回或等待处理"
    if errors:
        raise ValidationError(errors)
    # A Party group issues no letters: its branch does. Locking the issuer serializes its letter numbers.
    sender = Organization.objects.select_for_update().get(path=issuer_path(member.org))
    seq = _next_letter(sender, issued_on.year)
    transfer = Transfer.objects.create(
        kind=TransferKind.INTERNAL if to_org is not None else TransferKind.OUTGOING_EXTERNAL, member=member,
        from_org=sender, from_org_path=sender.path, to_org=to_org, to_org_path=to_org.path if to_org else "",
        to_external=to_external[:200], reason=reason, letter_year=issued_on.year, letter_seq=seq,
        letter_number=rules.letter_number(issued_on.year, seq), issued_on=issued_on, valid_days=valid_days,
        note=(note or "").strip()[:500], reissue_of=reissue_of, created_by=_user(actor),
    )
    audit.record(audit.Action.CREATE, transfer, after=audit.snapshot(transfer, TRANSFER_AUDIT), org_path=sender.path, actor=actor,
                 note=f"开具介绍信{transfer.letter_number}")
    if to_org is not None:
        _notify_transfer(transfer, [to_org], f"组织关系转入待接收：{member.name}（{sender.name}，{transfer.letter_number}）",
                         f"介绍信有效期至 {transfer.valid_until:%Y-%m-%d}")
    return transfer


def _locked(transfer):
    return Transfer.objects.select_for_update(of=("self",)).select_related("member", "from_org", "to_org").get(pk=transfer.pk)


@transaction.atomic
def accept_transfer(actor, transfer, *, place_in=None, accepted_on=None, note=""):
    """The receiving organization accepts: the member moves (into `place_in`, an organization inside the receiving
    one, or the receiving organization itself), the history keeps the letter number, the receipt is dated."""
    transfer = _locked(transfer)  # a second accept waits here, then finds the letter no longer open
    if transfer.kind != TransferKind.INTERNAL:
        raise ValidationError({"__all__": "只有平台内的转接需要接收"})
    _require_manage(actor, transfer.to_org, "只有接收党组织可以接收该党员的组织关系")
    today = _today()
    accepted_on = accepted_on or today
    if transfer.state != TransferState.ISSUED:
        raise ValidationError({"__all__": f"该介绍信已{transfer.get_state_display().removeprefix('已')}，不能再接收"})
    if accepted_on > today or accepted_on < transfer.issued_on:
        raise ValidationError({"accepted_on": "接收日期应在开具日期与今天之间"})
    if rules.is_expired(transfer.issued_on, transfer.valid_days, accepted_on):
        raise ValidationError({"__all__": f"介绍信已于 {transfer.valid_until:%Y-%m-%d} 过期，请转出党组织重新开具"})
    if not transfer.member.org_path.startswith(transfer.from_org_path):
        raise ValidationError({"__all__": "该党员已不在转出党组织，介绍信不能再使用，请转出党组织撤回"})
    if transfer.member.state not in MOVABLE_STATES:
        raise ValidationError({"__all__": f"该党员党籍状态为“{transfer.member.get_state_display()}”，不能接收"})
    place_in = place_in or transfer.to_org
    if not place_in.path.startswith(transfer.to_org.path):
        raise ValidationError({"place_in": "编入的党组织应是接收党组织或其下属组织"})  # so the actor manages it too
    before = audit.snapshot(transfer, TRANSFER_AUDIT)
    member_services.transfer_member(
        actor, transfer.member, place_in, happened_on=accepted_on, document=transfer.letter_number,
        note=f"组织关系转接：{transfer.from_name} → {place_in.name}",
    )
    _end_floating(actor, transfer, place_in, accepted_on)
    transfer.state = TransferState.ACCEPTED
    transfer.decided_on = transfer.receipt_on = accepted_on  # the platform's receipt (回执) goes back at once
    transfer.decided_by = _user(actor)
    transfer.placed_in = place_in
    if note:
        transfer.note = (transfer.note + "；" + note.strip())[:500].lstrip("；")
    transfer.save()
    audit.record(audit.Action.TRANSFER, transfer, before=before, after=audit.snapshot(transfer, TRANSFER_AUDIT),
                 org_path=transfer.to_org_path, actor=actor, note=f"接收组织关系{transfer.letter_number}")
    _notify_transfer(transfer, [transfer.from_org], f"{transfer.to_org.name}已接收{transfer.member.name}的组织关系（回执）",
                     f"介绍信 {transfer.letter_number}，接收日期 {accepted_on:%Y-%m-%d}")
    return transfer


def _end_floating(actor, transfer, place_in, accepted_on):
    """A floating member whose relationship is transferred is no longer floating: the record ends with the transfer
    and the member's state is "正常" in the receiving organization."""
    record = FloatingRecord.objects.select_for_update().filter(member=transfer.member_id, returned_on__isnull=True).first()
    if record is None:
        return
    before = audit.snapshot(record, FLOATING_AUDIT)
    record.returned_on, record.ended_by_transfer = accepted_on, transfer
    record.save(update_fields=["returned_on", "ended_by_transfer"])
    audit.record(audit.Action.UPDATE, record, before=before, after=audit.snapshot(record, FLOATING_AUDIT), org_path=record.org_path,
                 actor=actor, note=f"组织关系已转至{place_in.name}（{transfer.letter_number}），流动登记结束")
    member = Member.objects.get(pk=transfer.member_id)
    if member.state == State.FLOATING:
        member_services.update_member(actor, member, {"state": State.NORMAL}, note=f"组织关系已转至{place_in.name}")


@transaction.atomic
def reject_transfer(actor, transfer, *, reason):
    """The receiving organization refuses, with a reason (refusing without one is not allowed)."""
    transfer = _locked(transfer)
    if transfer.kind != TransferKind.INTERNAL:
        raise ValidationError({"__all__": "只有平台内的转接需要接收或退回"})
    _require_manage(actor, transfer.to_org, "只有接收党组织可以退回介绍信")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时请写明理由"})
    if transfer.state != TransferState.ISSUED:
        raise ValidationError({"__all__": f"该介绍信已{transfer.get_state_display().removeprefix('已')}，不能再退回"})
    before = audit.snapshot(transfer, TRANSFER_AUDIT)
    transfer.state = TransferState.REJECTED
    transfer.reject_reason = reason[:500]
    transfer.decided_on = _today()
    transfer.decided_by = _user(actor)
    transfer.save()
    audit.record(audit.Action.REJECT, transfer, before=before, after=audit.snapshot(transfer, TRANSFER_AUDIT),
                 org_path=transfer.to_org_path, actor=actor, note=f"退回介绍信{transfer.letter_number}：{reason}")
    _notify_transfer(transfer, [transfer.from_org], f"{transfer.to_org.name}退回了{transfer.member.name}的介绍信", f"理由：{reason}")
    return transfer


@transaction.atomic
def cancel_transfer(actor, transfer, *, reason):
    """The sending organization withdraws a letter not yet accepted."""
    transfer = _locked(transfer)
    _require_manage(actor, transfer.from_org, "只有转出党组织可以撤回介绍信")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤回理由"})
    if transfer.state != TransferState.ISSUED:
        raise ValidationError({"__all__": f"该介绍信已{transfer.get_state_display().removeprefix('已')}，不能撤回"})
    before = audit.snapshot(transfer, TRANSFER_AUDIT)
    transfer.state = TransferState.CANCELLED
    transfer.note = (f"撤回：{reason}；" + transfer.note)[:500]
    transfer.decided_on = _today()
    transfer.decided_by = _user(actor)
    transfer.save()
    audit.record(audit.Action.CANCEL, transfer, before=before, after=audit.snapshot(transfer, TRANSFER_AUDIT),
                 org_path=transfer.from_org_path, actor=actor, note=f"撤回介绍信{transfer.letter_number}：{reason}")
    if transfer.to_org_id:
        _notify_transfer(transfer, [transfer.to_org], f"{transfer.from_org.name}撤回了{transfer.member.name}的介绍信", f"理由：{reason}")
    return transfer


@transaction.atomic
def reissue_transfer(actor, transfer, *, valid_days=None, issued_on=None):
    """An expired (or rejected) letter is re-issued with a new number; the old one is kept and points to the new."""
    transfer = _locked(transfer)
    _require_manage(actor, transfer.from_org, "只有转出党组织可以重新开具介绍信")
    today = _today()
    if transfer.current_state(today) == TransferState.EXPIRED and transfer.state == TransferState.ISSUED:
        _mark_expired(transfer)
    if transfer.state not in (TransferState.EXPIRED, TransferState.REJECTED):
        raise ValidationError({"__all__": "只有已过期或被退回的介绍信可以重新开具"})
    if Transfer.objects.filter(reissue_of=transfer).exists():
        raise ValidationError({"__all__": "该介绍信已经重新开具过"})
    if not transfer.member.org_path.startswith(transfer.from_org_path):
        raise ValidationError({"__all__": "该党员已不在转出党组织，不能重新开具"})
    return issue_transfer(
        actor, transfer.member, reason=transfer.reason, to_org=transfer.to_org, to_external=transfer.to_external,
        issued_on=issued_on, valid_days=valid_days if valid_days is not None else transfer.valid_days,
        note=f"重新开具（原介绍信{transfer.letter_number}已{transfer.get_state_display().removeprefix('已')}）", reissue_of=transfer,
    )


@transaction.atomic
def record_receipt(actor, transfer, *, received_on):
    """The paper receipt (回执) of a transfer across the platform's edge. Outgoing: it came back from the receiving
    side, the transfer is complete and the member leaves this register (state 已转出, record and history kept). Incoming: this platform's
    receiving organization sent it back to the sending side."""
    transfer = _locked(transfer)
    if transfer.kind == TransferKind.OUTGOING_EXTERNAL:
        _require_manage(actor, transfer.from_org, "只有转出党组织可以登记回执")
        if transfer.state != TransferState.ISSUED:
            raise ValidationError({"__all__": "该转接已办结或已撤回"})
        earliest = transfer.issued_on
    elif transfer.kind == TransferKind.INCOMING_EXTERNAL:
        _require_manage(actor, transfer.to_org, "只有接收党组织可以登记回执")
        if transfer.receipt_on is not None:
            raise ValidationError({"__all__": "已登记过回执"})
        earliest = transfer.decided_on
    else:
        raise ValidationError({"__all__": "平台内转接在接收时自动生成回执"})
    if received_on is None or received_on > _today() or received_on < earliest:
        raise ValidationError({"received_on": f"回执日期应在 {earliest:%Y-%m-%d} 与今天之间"})
    before = audit.snapshot(transfer, TRANSFER_AUDIT)
    transfer.receipt_on = received_on
    if transfer.kind == TransferKind.OUTGOING_EXTERNAL:
        transfer.state, transfer.decided_on, transfer.decided_by = TransferState.COMPLETED, received_on, _user(actor)
    transfer.save()
    if transfer.kind == TransferKind.OUTGOING_EXTERNAL:  # the relationship now sits outside the platform
        member_services.update_member(
            actor, transfer.member, {"state": State.TRANSFERRED_OUT},
            note=f"组织关系转出至{transfer.to_external}（介绍信{transfer.letter_number}，{received_on:%Y-%m-%d}收到回执）",
        )
    late = f"，逾期{transfer.receipt_late_days}天（应于{transfer.receipt_due:%Y-%m-%d}前）" if transfer.receipt_late else ""
    audit.record(audit.Action.CONFIRM, transfer, before=before, after=audit.snapshot(transfer, TRANSFER_AUDIT),
                 org_path=transfer.from_org_path or transfer.to_org_path, actor=actor, note=f"登记回执{transfer.letter_number}{late}")
    return transfer


@transaction.atomic
def register_incoming(actor, org, member_data, *, from_external, letter_number, issued_on, reason, valid_days=None):
    """A member transferred in from outside the platform: the receiving organization registers the member
    (members.services.create_member) and records the paper letter's number."""
    _require_manage(actor, org)
    errors = {}
    from_external, letter_number = (from_external or "").strip(), (letter_number or "").strip()
    if not from_external:
        errors["from_external"] = "请填写转出党组织名称"
    if not letter_number:
        errors["letter_number"] = "请填写纸质介绍信编号"
    if reason not in TransferReason.values:
        errors["reason"] = "请选择转接原因"
    if issued_on is None or issued_on > _today():
        errors["issued_on"] = "请填写不晚于今天的开具日期"
    valid_days = rules.default_valid_days() if valid_days is None else valid_days
    if rules.valid_days_error(valid_days):
        errors["valid_days"] = rules.valid_days_error(valid_days)
    if errors:
        raise ValidationError(errors)
    member = member_services.create_member(actor, org, member_data)
    today = _today()
    transfer = Transfer.objects.create(
        kind=TransferKind.INCOMING_EXTERNAL, member=member, from_external=from_external[:200], to_org=org, to_org_path=org.path,
        reason=reason, letter_number=letter_number[:60], issued_on=issued_on, valid_days=valid_days, state=TransferState.ACCEPTED,
        decided_on=today, decided_by=_user(actor), placed_in=org, created_by=_user(actor),
    )
    audit.record(audit.Action.TRANSFER, transfer, after=audit.snapshot(transfer, TRANSFER_AUDIT), org_path=org.path, actor=actor,
                 note=f"从平台外转入，介绍信{letter_number}")
    return transfer


def _mark_expired(transfer):
    before = audit.snapshot(transfer, TRANSFER_AUDIT)
    transfer.state = TransferState.EXPIRED
    transfer.save(update_fields=["state"])
    audit.record(audit.Action.UPDATE, transfer, before=before, after=audit.snapshot(transfer, TRANSFER_AUDIT),
                 org_path=transfer.from_org_path, note=f"介绍信{transfer.letter_number}超过有效期未接收")


def run_reminders(today=None):
    """Mark letters past their validity expired and tell both sides; remind both sides of letters expiring within
    the reminder window and of outgoing letters whose paper receipt is overdue. Once a day per letter."""
    today = _today(today)
    counts = {"expired": 0, "expiring": 0, "receipt_overdue": 0}
    awaiting = Q(state=TransferState.ISSUED) | Q(kind=TransferKind.INCOMING_EXTERNAL, state=TransferState.ACCEPTED, receipt_on__isnull=True)
    for transfer in Transfer.objects.filter(awaiting).exclude(last_reminded_on=today).select_related("member", "from_org", "to_org"):
        with transaction.atomic():
            locked = _locked(transfer)
            if not (locked.state == TransferState.ISSUED or locked.awaits_receipt()) or locked.last_reminded_on == today:
                continue
            sides = [o for o in (locked.from_org, locked.to_org) if o is not None]
            if locked.state == TransferState.ISSUED and locked.current_state(today) == TransferState.EXPIRED:
                _mark_expired(locked)
                _notify_transfer(locked, sides, f"介绍信已过期：{locked.member.name}（{locked.letter_number}）",
                                 f"有效期至 {locked.valid_until:%Y-%m-%d}，未办理接收。转出党组织可重新开具。")
                counts["expired"] += 1
            elif locked.kind == TransferKind.INTERNAL and locked.is_expiring(today):
                _notify_transfer(locked, sides, f"介绍信即将过期：{locked.member.name}（{locked.letter_number}）",
                                 f"有效期至 {locked.valid_until:%Y-%m-%d}，请接收党组织及时办理。")
                counts["expiring"] += 1
            elif locked.receipt_overdue(today):
                _notify_transfer(locked, sides, f"回执逾期未{'返回' if locked.kind == TransferKind.OUTGOING_EXTERNAL else '寄出'}："
                                 f"{locked.member.name}（{locked.letter_number}）", f"回执应于 {locked.receipt_due:%Y-%m-%d} 前返回转出党组织。")
                counts["receipt_overdue"] += 1
            else:
                continue
            Transfer.objects.filter(pk=locked.pk).update(last_reminded_on=today)
    counts["floating_six_months"] = _remind_floating(today)
    return counts


def _remind_floating(today):
    """Tell the branch once when a floating member has been away 6 months: the relationship should be transferred."""
    cutoff = rules.add_months(today, -rules.AWAY_MONTHS_REQUIRING_TRANSFER)
    due = list(
        FloatingRecord.objects.filter(returned_on__isnull=True, transfer_reminded_on__isnull=True, left_on__lte=cutoff)
        .select_related("member", "org")
    )
    for record in due:
        users = managers_of(record.org)
        if users:
            notifications.notify(
                users, title=f"流动党员{record.member.name}外出已满 {rules.AWAY_MONTHS_REQUIRING_TRANSFER} 个月，应转接组织关系",
                body=f"{record.left_on:%Y-%m-%d} 外出至{record.destination}。外出地点相对固定的，应当转接组织关系。",
                link=reverse("relations:floating_detail", args=[record.pk]), kind=notifications.Kind.REMINDER, org_path=record.org_path,
            )
    FloatingRecord.objects.filter(pk__in=[r.pk for r in due]).update(transfer_reminded_on=today)
    return len(due)


# ---- floating members ---------------------------------------------------------------------------------------


def _phone_error(phone):
    """A Chinese message when a contact phone is not 7 to 20 digits (hyphens allowed), else None."""
    digits = phone.replace("-", "")
    if phone and not (digits.isdigit() and 7 <= len(digits) <= 20):
        return "请填写有效的电话号码"
    return None


def _activity_org(value):
    return value if isinstance(value, Organization) or value is None else Organization.objects.get(pk=value)


@transaction.atomic
def register_floating(actor, member, data):
    """A member goes away (流动党员): the record, and the member's state "流动" through the member service."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org, "您没有管理该党员的权限")
    errors = {}
    left_on = data.get("left_on")
    if left_on is None:
        errors["left_on"] = "请填写外出日期"
    elif left_on > _today():
        errors["left_on"] = "外出日期不能晚于今天"
    if not (data.get("destination") or "").strip():
        errors["destination"] = "请填写流入地"
    if not data.get("reason"):
        errors["reason"] = "请选择外出原因"
    phone = (data.get("contact_phone") or "").strip()
    if _phone_error(phone):
        errors["contact_phone"] = _phone_error(phone)
    activity_org = _activity_org(data.get("activity_org"))
    if activity_org is not None and (data.get("activity_org_name") or "").strip():
        errors["activity_org_name"] = "平台内党组织与平台外名称只填一项"
    if member.state != State.NORMAL:
        errors["member"] = f"该党员党籍状态为“{member.get_state_display()}”，不能登记为流动党员"
    if errors:
        raise ValidationError(errors)
    record = FloatingRecord.objects.create(
        member=member, org=member.org, org_path=member.org_path, left_on=left_on, destination=data["destination"].strip()[:200],
        reason=data["reason"], contact_phone_encrypted=crypto.encrypt(phone), contact_phone_masked=crypto.mask_phone(phone),
        contact_address=(data.get("contact_address") or "").strip()[:200],
        certificate_number=(data.get("certificate_number") or "").strip()[:60], activity_org=activity_org,
        activity_org_path=activity_org.path if activity_org else "",
        activity_org_name=(data.get("activity_org_name") or "").strip()[:200], note=(data.get("note") or "").strip()[:500],
        created_by=_user(actor),
    )
    member_services.update_member(actor, member, {"state": State.FLOATING}, note=f"外出流动：{record.destination}")
    audit.record(audit.Action.CREATE, record, after=audit.snapshot(record, FLOATING_AUDIT), org_path=record.org_path, actor=actor)
    return record


@transaction.atomic
def update_floating(actor, record, data):
    """Change where a floating member is, how to reach them, the certificate and where they take part."""
    record = FloatingRecord.objects.select_for_update(of=("self",)).select_related("org").get(pk=record.pk)
    _require_manage(actor, record.org)
    if record.returned_on:
        raise ValidationError({"__all__": "该党员已返回，记录不能再修改"})
    before = audit.snapshot(record, FLOATING_AUDIT)
    for field in ("destination", "contact_address", "certificate_number", "activity_org_name", "note"):
        if field in data:
            setattr(record, field, (data[field] or "").strip()[:500 if field == "note" else 200])
    if not record.destination:
        raise ValidationError({"destination": "请填写流入地"})
    if "activity_org" in data:
        record.activity_org = _activity_org(data["activity_org"])
        record.activity_org_path = record.activity_org.path if record.activity_org else ""
    if record.activity_org_id and record.activity_org_name:
        raise ValidationError({"activity_org_name": "平台内党组织与平台外名称只填一项"})
    if data.get("contact_phone"):
        phone = data["contact_phone"].strip()
        if _phone_error(phone):
            raise ValidationError({"contact_phone": _phone_error(phone)})
        record.contact_phone_encrypted, record.contact_phone_masked = crypto.encrypt(phone), crypto.mask_phone(phone)
    record.save()
    audit.record(audit.Action.UPDATE, record, before=before, after=audit.snapshot(record, FLOATING_AUDIT), org_path=record.org_path, actor=actor)
    return record


@transaction.atomic
def record_return(actor, record, *, returned_on):
    """The floating member came back: the record closes and the member's state is "正常" again."""
    record = FloatingRecord.objects.select_for_update(of=("self",)).select_related("member", "org").get(pk=record.pk)
    _require_manage(actor, record.member.org, "您没有管理该党员的权限")
    if record.returned_on:
        raise ValidationError({"__all__": "已登记返回"})
    if returned_on is None or returned_on > _today() or returned_on < record.left_on:
        raise ValidationError({"returned_on": "返回日期应在外出日期与今天之间"})
    before = audit.snapshot(record, FLOATING_AUDIT)
    record.returned_on = returned_on
    record.save(update_fields=["returned_on"])
    if record.member.state == State.FLOATING:
        member_services.update_member(actor, record.member, {"state": State.NORMAL}, note="流动党员返回")
    audit.record(audit.Action.UPDATE, record, before=before, after=audit.snapshot(record, FLOATING_AUDIT), org_path=record.org_path,
                 actor=actor, note="登记返回")
    return record


def reveal_contact(actor, record):
    """The full contact phone for the member's managers; audited."""
    if not scoping.can_manage_org(actor, record.org):
        raise PermissionDenied("您的角色不能查看完整的联系电话")
    audit.record(audit.Action.REVEAL, record, org_path=record.org_path, actor=actor, note="查看流动党员完整联系电话")
    return crypto.decrypt(record.contact_phone_encrypted)


# ---- lost contact -----------------------------------------------------------------------------------------


@transaction.atomic
def open_lost_contact(actor, member, *, last_contact_on, opened_on=None, note=""):
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org, "您没有管理该党员的权限")
    today = _today()
    opened_on = opened_on or today
    errors = {}
    if last_contact_on is None:
        errors["last_contact_on"] = "请填写最后联系日期"
    elif last_contact_on > opened_on:
        errors["last_contact_on"] = "最后联系日期不能晚于登记日期"
    if opened_on > today:
        errors["opened_on"] = "登记日期不能晚于今天"
    if member.state not in (State.NORMAL, State.FLOATING):
        errors["member"] = f"该党员党籍状态为“{member.get_state_display()}”，不能登记为失联"
    if errors:
        raise ValidationError(errors)
    case = LostContactCase.objects.create(
        member=member, org=member.org, org_path=member.org_path, last_contact_on=last_contact_on, opened_on=opened_on,
        note=(note or "").strip()[:500], created_by=_user(actor),
    )
    member_services.update_member(actor, member, {"state": State.LOST_CONTACT}, note="登记为失联党员")
    audit.record(audit.Action.CREATE, case, after=audit.snapshot(case, CASE_AUDIT), org_path=case.org_path, actor=actor)
    return case


def _locked_case(case):
    return LostContactCase.objects.select_for_update(of=("self",)).select_related("member", "org").get(pk=case.pk)


@transaction.atomic
def log_search(actor, case, *, tried_on, method, searcher, result, found=False):
    """One search attempt. A successful one does not close the case by itself: restore_contact does."""
    case = _locked_case(case)
    _require_manage(actor, case.org)
    errors = {}
    if tried_on is None or tried_on > _today():
        errors["tried_on"] = "请填写不晚于今天的寻找日期"
    elif tried_on < case.last_contact_on:
        errors["tried_on"] = "寻找日期不能早于最后联系日期"
    if not method:
        errors["method"] = "请选择寻找方式"
    if not (searcher or "").strip():
        errors["searcher"] = "请填写寻找人"
    if not (result or "").strip():
        errors["result"] = "请填写寻找结果"
    if case.state not in (CaseState.OPEN, CaseState.SUSPENDED):
        errors["__all__"] = "该失联党员已结案"
    if errors:
        raise ValidationError(errors)
    attempt = SearchAttempt.objects.create(
        case=case, tried_on=tried_on, method=method, searcher=searcher.strip()[:100], result=result.strip()[:500], found=bool(found),
        created_by=_user(actor),
    )
    audit.record(audit.Action.CREATE, attempt, after=audit.snapshot(attempt, ["case", "tried_on", "method", "searcher", "result", "found"]),
                 org_path=case.org_path, actor=actor, object_repr=f"{case.member.name} 寻找记录 {tried_on}")
    return attempt


def _case_change(actor, case, before, note):
    audit.record(audit.Action.UPDATE, case, before=before, after=audit.snapshot(case, CASE_AUDIT), org_path=case.org_path, actor=actor, note=note)


def suspend_refusal(case, on_date):
    """Why membership may not be suspended yet (a Chinese message), or None."""
    if case.state != CaseState.OPEN:
        return "只有失联中的党员可以停止党籍"
    if on_date < case.suspend_possible_on:
        return f"失联满 {rules.LOST_SUSPEND_MONTHS} 个月（{case.suspend_possible_on:%Y-%m-%d}）后方可停止党籍"
    attempts = list(case.attempts.all())
    if not attempts:
        return f"请先登记寻找情况：失联满 {rules.LOST_SUSPEND_MONTHS} 个月且经查找仍无法取得联系的，方可停止党籍"
    if any(a.found for a in attempts):
        return "寻找记录显示已取得联系，请登记恢复联系"
    return None


def self_left_refusal(case, on_date):
    if case.state != CaseState.SUSPENDED or case.suspended_on is None:
        return f"停止党籍后满 {rules.SELF_LEFT_YEARS_AFTER_SUSPENSION} 年仍无法取得联系的，方可按自行脱党处理"
    if on_date < case.self_left_possible_on:
        return f"停止党籍满 {rules.SELF_LEFT_YEARS_AFTER_SUSPENSION} 年（{case.self_left_possible_on:%Y-%m-%d}）后方可按自行脱党处理"
    return None


@transaction.atomic
def suspend_membership(actor, case, *, decided_on, document):
    """停止党籍: 6 months without contact and a failed search (条例 art. 31). Refused earlier."""
    case = _locked_case(case)
    _require_manage(actor, case.org)
    document = (document or "").strip()
    if decided_on is None or decided_on > _today():
        raise ValidationError({"decided_on": "请填写不晚于今天的决定日期"})
    message = suspend_refusal(case, decided_on)
    if message:
        raise ValidationError({"__all__": message})
    if not document:
        raise ValidationError({"document": "请填写停止党籍决定的文号"})
    before = audit.snapshot(case, CASE_AUDIT)
    case.state, case.suspended_on, case.suspend_document = CaseState.SUSPENDED, decided_on, document[:100]
    case.save()
    member_services.update_member(actor, case.member, {"state": State.SUSPENDED}, note=f"失联党员停止党籍（{document}）")
    _case_change(actor, case, before, "停止党籍")
    return case


@transaction.atomic
def remove_as_self_left(actor, case, *, decided_on, document):
    """自行脱党: still unreachable 2 years after the suspension. The member leaves the register."""
    case = _locked_case(case)
    _require_manage(actor, case.org)
    document = (document or "").strip()
    if decided_on is None or decided_on > _today():
        raise ValidationError({"decided_on": "请填写不晚于今天的决定日期"})
    message = self_left_refusal(case, decided_on)
    if message:
        raise ValidationError({"__all__": message})
    if not document:
        raise ValidationError({"document": "请填写处理决定的文号"})
    before = audit.snapshot(case, CASE_AUDIT)
    case.state, case.closed_on, case.close_document = CaseState.SELF_LEFT, decided_on, document[:100]
    case.save()
    member_services.update_member(
        actor, case.member, {"state": State.LEFT, "left_reason": LeftReason.SELF_LEFT, "left_on": decided_on, "left_document": document},
        note="失联党员按自行脱党处理",
    )
    _case_change(actor, case, before, "按自行脱党处理")
    return case


@transaction.atomic
def restore_contact(actor, case, *, restored_on, note=""):
    """Contact restored: the case closes and the member's state is "正常" again."""
    case = _locked_case(case)
    _require_manage(actor, case.org)
    if case.state not in (CaseState.OPEN, CaseState.SUSPENDED):
        raise ValidationError({"__all__": "该失联党员已结案"})
    if restored_on is None or restored_on > _today() or restored_on < case.opened_on:
        raise ValidationError({"restored_on": "恢复联系日期应在登记失联日期与今天之间"})
    before = audit.snapshot(case, CASE_AUDIT)
    case.state, case.closed_on = CaseState.RESTORED, restored_on
    if note:
        case.note = (case.note + "；" + note.strip())[:500].lstrip("；")
    case.save()
    member_services.update_member(actor, case.member, {"state": State.NORMAL}, note="失联党员恢复联系")
    _case_change(actor, case, before, "恢复联系")
    return case
