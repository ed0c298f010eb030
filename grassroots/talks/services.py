"""Every change to talk records: record, amend (with a reason), follow-up done. Each checks scope and rules
and writes the audit log."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.members.choices import OFF_REGISTER
from grassroots.members.models import Member

from . import rules
from .models import Talk

FIELDS = [
    "held_on", "kind", "talker_name", "talker_title", "place", "topic", "summary", "reasons", "follow_up", "follow_up_due",
]
AUDITED = [*FIELDS, "member", "org", "follow_up_done_on", "follow_up_result"]


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("该党员不在您的管理范围内")


def _clean(data):
    cleaned = {f: data.get(f) for f in FIELDS if f in data}
    for field in ("talker_name", "talker_title", "place", "topic", "summary", "follow_up"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    if "reasons" in cleaned:
        cleaned["reasons"] = sorted(set(cleaned["reasons"] or []))
    return cleaned


@transaction.atomic
def record_talk(actor, member, data):
    """Record a talk with `member` (of the actor's subtree). A follow-up without a deadline gets the default."""
    member = Member.objects.select_related("org").get(pk=member.pk)
    _require_manage(actor, member.org)
    if member.state in OFF_REGISTER:
        raise ValidationError({"member": [f"该党员{member.get_state_display()}，不能再登记谈心谈话"]})
    data = _clean(data)
    errors = rules.check_talk(data, member, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if data.get("follow_up") and not data.get("follow_up_due"):
        data["follow_up_due"] = data["held_on"] + datetime.timedelta(days=rules.DEFAULT_FOLLOW_UP_DAYS)
    talk = Talk(member=member, org=member.org, org_path=member.org_path, recorded_by=actor, **data)
    talk.save()
    audit.record(audit.Action.CREATE, talk, after=audit.snapshot(talk, AUDITED), org_path=talk.org_path, actor=actor)
    return talk


@transaction.atomic
def amend_talk(actor, talk, data, reason):
    """Correct a talk record; the reason is kept in the audit log beside the before and after."""
    talk = Talk.objects.select_for_update(of=("self",)).select_related("member", "org").get(pk=talk.pk)
    _require_manage(actor, talk.org)
    reason = (reason or "").strip()
    merged = {**{f: getattr(talk, f) for f in FIELDS}, **_clean(data)}
    errors = rules.check_talk(merged, talk.member, timezone.localdate())
    if not reason:
        errors["reason"] = ["请填写更正理由"]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(talk, AUDITED)
    for field, value in merged.items():
        setattr(talk, field, value)
    talk.save()
    after = audit.snapshot(talk, AUDITED)
    if after != before:
        audit.record(audit.Action.CORRECT, talk, before=before, after=after, org_path=talk.org_path, actor=actor, note=reason)
    return talk


@transaction.atomic
def complete_follow_up(actor, talk, done_on, result):
    """Record that the talk's follow-up measure was carried out."""
    talk = Talk.objects.select_for_update(of=("self",)).select_related("org").get(pk=talk.pk)
    _require_manage(actor, talk.org)
    errors = rules.check_follow_up_done(talk, done_on, result, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(talk, AUDITED)
    talk.follow_up_done_on, talk.follow_up_result = done_on, result.strip()
    talk.save(update_fields=["follow_up_done_on", "follow_up_result", "updated_at"])
    audit.record(audit.Action.UPDATE, talk, before=before, after=audit.snapshot(talk, AUDITED), org_path=talk.org_path,
                 actor=actor, note="后续措施落实")
    return talk
