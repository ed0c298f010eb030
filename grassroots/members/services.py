"""Every change to a member's record goes through these functions: checked, audited, and kept as an event."""

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, crypto, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.pinyin import initials

from . import rules
from .choices import EventKind, State, Status
from .models import Member, MemberEvent

# Plain fields a form, the API or an import may set.
RECORD_FIELDS = [
    "name", "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "occupation", "work_unit",
    "residence", "in_service", "status", "joined_on", "full_on", "state", "left_reason", "left_on", "left_document",
]
# What the audit trail and the history keep (personal data only as its masked form).
AUDITED_FIELDS = [*RECORD_FIELDS, "org", "id_number_masked", "phone_masked"]
SENSITIVE = {"id_number": "公民身份号码", "phone": "联系电话"}


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织党员的权限")


def can_reveal(actor, member):
    """Organization departments, secretaries and administrators of the member's organization may see full values."""
    return scoping.covers(scoping.manage_paths(actor), member.org_path)


def _set_sensitive(member, field, value):
    value = (value or "").strip().upper() if field == "id_number" else (value or "").strip()
    setattr(member, f"{field}_encrypted", crypto.encrypt(value))
    setattr(member, f"{field}_hash", crypto.lookup_hash(value))
    mask = crypto.mask_id_number if field == "id_number" else crypto.mask_phone
    setattr(member, f"{field}_masked", mask(value))


def _check(data, member=None):
    errors = rules.check_member(data, timezone.localdate())
    org = data.get("org") or (member.org if member else None)
    if org is not None and not org.is_active:
        errors.setdefault("org", []).append("不能把党员编入已撤销的党组织")
    if errors:
        raise ValidationError(errors)


def _event(member, kind, actor, *, before="", after="", document="", note="", happened_on=None):
    MemberEvent.objects.create(
        member=member, kind=kind, actor=actor if getattr(actor, "is_authenticated", False) else None,
        happened_on=happened_on or timezone.localdate(), before=str(before)[:200], after=str(after)[:200],
        document=document, note=note[:500],
    )


@transaction.atomic
def create_member(actor, org, data):
    """Register a member in `org`. `data` has RECORD_FIELDS and optionally id_number and phone."""
    _require_manage(actor, org)
    _check({**data, "org": org})
    member = Member(org=org, org_path=org.path)
    for field in RECORD_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.initials = initials(member.name)
    for field in SENSITIVE:
        _set_sensitive(member, field, data.get(field, ""))
    member.save()
    _event(member, EventKind.CREATED, actor, after=f"{member.get_status_display()}，{org.name}")
    audit.record(audit.Action.CREATE, member, after=audit.snapshot(member, AUDITED_FIELDS), org_path=org.path, actor=actor)
    return member


@transaction.atomic
def update_member(actor, member, data, *, note=""):
    """Change a member's record; changes of status, state and organization become history events."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org)
    new_org = data.get("org", member.org)
    if new_org.pk != member.org_id:
        _require_manage(actor, new_org)
    merged = {f: data.get(f, getattr(member, f)) for f in RECORD_FIELDS}
    if "id_number" in data:
        merged["id_number"] = data["id_number"]
    elif member.id_number_encrypted and any(f in data and data[f] != getattr(member, f) for f in ("birth_date", "gender")):
        # A new birth date or gender must still agree with the stored ID number.
        merged["id_number"] = crypto.decrypt(member.id_number_encrypted)
    _check({**merged, "org": new_org}, member)
    before = audit.snapshot(member, AUDITED_FIELDS)
    old = {"status": member.get_status_display(), "state": member.get_state_display(), "org": member.org.name}
    for field in RECORD_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    for field in SENSITIVE:
        if field in data:
            _set_sensitive(member, field, data[field])
    member.org, member.org_path = new_org, new_org.path
    member.initials = initials(member.name)
    member.save()
    after = audit.snapshot(member, AUDITED_FIELDS)
    if after == before:
        return member
    for kind, details in change_events(old, member, before, after):
        _event(member, kind, actor, note=note, **details)
    audit.record(audit.Action.UPDATE, member, before=before, after=after, org_path=member.org_path, actor=actor, note=note)
    return member


def change_events(old, member, before, after):
    """The history events one change of `member` makes, as (kind, fields) pairs. `old` holds the status,
    state and organization labels from before the change; `before`/`after` are audit snapshots. Used by
    update_member and by the bulk import so both write the same history."""
    events = []
    status_changed = old["status"] != member.get_status_display()
    state_changed = old["state"] != member.get_state_display()
    if status_changed:
        happened = member.full_on if member.status == Status.FULL and member.full_on else None
        events.append((EventKind.STATUS, {"before": old["status"], "after": member.get_status_display(), "happened_on": happened}))
    if state_changed:
        happened = member.left_on if member.state == State.LEFT else None
        events.append((EventKind.STATE, {"before": old["state"], "after": _state_text(member), "document": member.left_document, "happened_on": happened}))
    if old["org"] != member.org.name:
        events.append((EventKind.MOVED, {"before": old["org"], "after": member.org.name}))
    # Fields that travel with a status or state change are part of that event, not a separate one.
    companions = {"status", "state", "org"}
    if status_changed:
        companions.add("full_on")
    if state_changed:
        companions |= {"left_reason", "left_on", "left_document"}
    changed = [k for k in after if after[k] != before.get(k) and k not in companions]
    if changed:
        events.append((EventKind.UPDATED, {"after": "、".join(str(Member._meta.get_field(k).verbose_name) for k in changed)}))
    return events


def _state_text(member):
    if member.state == State.LEFT and member.left_reason:
        return f"{member.get_state_display()}（{member.get_left_reason_display()}）"
    return member.get_state_display()


def reveal(actor, member, field):
    """The full ID number or phone, for a role that needs it. Every reveal is audited."""
    if field not in SENSITIVE:
        raise ValidationError({"field": "只能查看公民身份号码或联系电话"})
    if not can_reveal(actor, member):
        raise PermissionDenied("您的角色不能查看完整的个人信息")
    value = crypto.decrypt(getattr(member, f"{field}_encrypted"))
    audit.record(audit.Action.REVEAL, member, org_path=member.org_path, actor=actor, note=f"查看完整{SENSITIVE[field]}")
    return value


def find_by_id_number(queryset, id_number):
    return queryset.filter(id_number_hash=crypto.lookup_hash(id_number))


def find_by_phone(queryset, phone):
    return queryset.filter(phone_hash=crypto.lookup_hash(phone))


# ---------------------------------------------------------------------------------------
# Correction requests: a member asks to correct their own record, the branch secretary decides.
# ---------------------------------------------------------------------------------------

# What a member may ask to have corrected. Party standing (status, state, organization) is decided
# by the Party organization, not corrected on request.
CORRECTABLE_FIELDS = {
    "name": "姓名", "gender": "性别", "ethnicity": "民族", "birth_date": "出生日期", "id_number": "公民身份号码",
    "native_place": "籍贯", "education": "学历", "degree": "学位", "phone": "联系电话", "occupation": "职业",
    "work_unit": "工作单位", "residence": "居住社区", "in_service": "在职情况", "joined_on": "入党日期", "full_on": "转正日期",
}
# A requested ID number or phone is kept encrypted, like the record itself.
ENCRYPTED_PREFIX = "enc:"
CORRECTION_NOTE = "根据本人申请更正"


def display_value(member, field):
    """A field of the record as a person reads it: choice labels, ISO dates, masked personal data."""
    if field in SENSITIVE:
        return getattr(member, f"{field}_masked")
    value = getattr(member, field)
    if field == "in_service":
        return "在职" if value else "离退休"
    model_field = Member._meta.get_field(field)
    if model_field.choices and value:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


def correction_value(field, text):
    """The value a correction would set, parsed from what the member typed (a code or a label for coded
    fields, a date as 2001-07-01). Raises ValidationError on `requested_value`."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"requested_value": "请填写应更正为的内容"})
    if field == "id_number":
        try:
            rules.parse_id_number(text)
        except ValueError as exc:
            raise ValidationError({"requested_value": str(exc)}) from None
        return text.upper()
    if field == "phone":
        digits = text.replace("-", "").replace(" ", "").lstrip("+")
        if not digits.isdigit() or not 7 <= len(digits) <= 20:
            raise ValidationError({"requested_value": "请填写有效的电话号码"})
        return text
    if field == "in_service":
        choices = {"在职": True, "离退休": False, "true": True, "false": False}
        if text.lower() not in choices:
            raise ValidationError({"requested_value": "请填写“在职”或“离退休”"})
        return choices[text.lower()]
    model_field = Member._meta.get_field(field)
    if model_field.choices:
        by_label = {str(label): code for code, label in model_field.flatchoices if code}
        text = by_label.get(text, text)
        if text not in dict(model_field.flatchoices):
            raise ValidationError({"requested_value": f"不是有效的{CORRECTABLE_FIELDS[field]}，可填：{'、'.join(by_label)}"})
        return text
    form_field = model_field.formfield()
    try:
        return form_field.clean(text)
    except ValidationError as exc:
        raise ValidationError({"requested_value": exc.messages}) from None


def requested_text(req):
    """What the request asks for, in the clear (for applying it)."""
    value = req.requested_value
    if value.startswith(ENCRYPTED_PREFIX):
        return crypto.decrypt(value[len(ENCRYPTED_PREFIX):])
    return value


def requested_display(req):
    """What the request asks for, as it may be shown: personal data masked."""
    if req.field in SENSITIVE:
        mask = crypto.mask_id_number if req.field == "id_number" else crypto.mask_phone
        return mask(requested_text(req))
    return req.requested_value


def _correction_audit(req):
    return {
        "field": CORRECTABLE_FIELDS.get(req.field, req.field), "current_value": req.current_value,
        "requested_value": requested_display(req), "reason": req.reason, "state": req.state, "decision_note": req.decision_note,
    }


@transaction.atomic
def request_correction(user, member, field, value, reason):
    """A member asks for a correction of their own record."""
    from .choices import RequestState
    from .models import CorrectionRequest

    if member.user_id is None or member.user_id != getattr(user, "pk", None):
        raise PermissionDenied("只能申请更正本人的信息")
    if field not in CORRECTABLE_FIELDS:
        raise ValidationError({"field": "请选择要更正的信息"})
    parsed = correction_value(field, value)
    if field in SENSITIVE:
        if crypto.lookup_hash(str(parsed)) == getattr(member, f"{field}_hash"):
            raise ValidationError({"requested_value": "与当前内容相同，无需更正"})
        stored = ENCRYPTED_PREFIX + crypto.encrypt(str(parsed))
    else:
        if parsed == getattr(member, field):
            raise ValidationError({"requested_value": "与当前内容相同，无需更正"})
        probe = Member(**{field: parsed})
        stored = display_value(probe, field)
    if CorrectionRequest.objects.filter(member=member, field=field, state=RequestState.PENDING).exists():
        raise ValidationError({"field": f"“{CORRECTABLE_FIELDS[field]}”已有待审核的更正申请，请等待党支部处理"})
    req = CorrectionRequest.objects.create(
        member=member, org_path=member.org_path, field=field, current_value=display_value(member, field),
        requested_value=stored, reason=(reason or "").strip()[:500], requested_by=user,
    )
    audit.record(
        audit.Action.CREATE, req, after=_correction_audit(req), org_path=member.org_path, actor=user,
        note=f"申请更正{CORRECTABLE_FIELDS[field]}", object_repr=f"{member.name} 更正{CORRECTABLE_FIELDS[field]}",
    )
    return req


@transaction.atomic
def decide_correction(actor, request, approve, note=""):
    """The secretary approves (the change is applied to the record) or rejects (with a note) a request."""
    from .choices import RequestState
    from .models import CorrectionRequest

    req = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    member = Member.objects.select_related("org").get(pk=req.member_id)
    _require_manage(actor, member.org)
    if req.state != RequestState.PENDING:
        raise ValidationError({"__all__": "该申请已经处理过了"})
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "驳回时请写明理由"})
    before = _correction_audit(req)
    if approve:
        update_member(actor, member, {req.field: correction_value(req.field, requested_text(req))}, note=CORRECTION_NOTE)
    req.state = RequestState.APPROVED if approve else RequestState.REJECTED
    req.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    req.decided_at = timezone.now()
    req.decision_note = note[:500]
    req.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    label = CORRECTABLE_FIELDS.get(req.field, req.field)
    audit.record(
        audit.Action.UPDATE, req, before=before, after=_correction_audit(req), org_path=member.org_path, actor=actor,
        note=f"{'同意' if approve else '驳回'}更正{label}的申请", object_repr=f"{member.name} 更正{label}",
    )
    return req


@transaction.atomic
def transfer_member(actor, member, new_org, *, happened_on, document, note=""):
    """Move a member to `new_org` on an accepted transfer of membership relations (组织关系转接).

    The caller (grassroots.relations.services) has checked that the actor manages the receiving organization;
    the sending organization's managers need not be involved, since they issued the letter. Writes the "moved"
    history event (with the letter number as its document) and audit row that update_member writes for a move."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if not new_org.is_active:
        raise ValidationError({"org": "不能把党员编入已撤销的党组织"})
    if new_org.pk == member.org_id:
        raise ValidationError({"org": "党员已在该党组织"})
    before = audit.snapshot(member, AUDITED_FIELDS)
    old_name = member.org.name
    member.org, member.org_path = new_org, new_org.path
    member.save(update_fields=["org", "org_path", "updated_at"])
    after = audit.snapshot(member, AUDITED_FIELDS)
    # Only the organization changes, so the one event is the move; written directly rather than through
    # change_events, which compares names and would drop a move between two branches of the same name.
    _event(member, EventKind.MOVED, actor, before=old_name, after=new_org.name, document=document, happened_on=happened_on, note=note)
    audit.record(audit.Action.UPDATE, member, before=before, after=after, org_path=member.org_path, actor=actor, note=note)
    return member
