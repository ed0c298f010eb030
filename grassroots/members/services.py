"""Every change to a member's record goes through these functions: checked, audited, and kept as an event."""

from django.db import transaction
from django.utils import timezone

from grassroots.accounts import scoping
from grassroots.core import audit, crypto
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
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org)
    new_org = data.get("org", member.org)
    if new_org.pk != member.org_id:
        _require_manage(actor, new_org)
    merged = {f: data.get(f, getattr(member, f)) for f in RECORD_FIELDS}
    if "id_number" in data:
        merged["id_number"] = data["id_number"]
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
    if old["status"] != member.get_status_display():
        _event(member, EventKind.STATUS, actor, before=old["status"], after=member.get_status_display(),
               happened_on=member.full_on if member.status == Status.FULL and member.full_on else None, note=note)
    if old["state"] != member.get_state_display():
        _event(member, EventKind.STATE, actor, before=old["state"], after=_state_text(member),
               document=member.left_document, happened_on=member.left_on if member.state == State.LEFT else None, note=note)
    if old["org"] != new_org.name:
        _event(member, EventKind.MOVED, actor, before=old["org"], after=new_org.name, note=note)
    # Fields that travel with a status or state change are part of that event, not a separate one.
    companions = {"status", "state", "org"}
    if old["status"] != member.get_status_display():
        companions.add("full_on")
    if old["state"] != member.get_state_display():
        companions |= {"left_reason", "left_on", "left_document"}
    changed = [k for k in after if after[k] != before.get(k) and k not in companions]
    if changed:
        _event(member, EventKind.UPDATED, actor, after="、".join(str(Member._meta.get_field(k).verbose_name) for k in changed), note=note)
    audit.record(audit.Action.UPDATE, member, before=before, after=after, org_path=member.org_path, actor=actor, note=note)
    return member


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
