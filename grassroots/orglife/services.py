"""Every change to meetings and attendance goes through these functions (plan, record, confirm, amend)."""

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.uploads import read_upload
from grassroots.members.models import Member
from grassroots.orgs import summaries
from grassroots.orgs.models import Organization, Post

from . import notices, rules
from .choices import AttendanceStatus, MeetingKind, MeetingState
from .models import Attendance, Meeting, MeetingAmendment

MEETING_FIELDS = [
    "kind", "is_special", "starts_at", "place", "host", "recorder", "topic", "agenda", "minutes", "lecturer",
]
AUDITED_FIELDS = ["org", "state", *MEETING_FIELDS]
NEW_MEETING = {f: "" for f in MEETING_FIELDS} | {"kind": None, "is_special": False, "starts_at": None, "host": None, "recorder": None}
PLAN_FIELDS = ["kind", "is_special", "starts_at", "place", "host", "recorder", "topic", "agenda", "lecturer"]


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织组织生活的权限")


def branch_of(org):
    """The branch whose organizational life a meeting belongs to: the org itself, or a group's parent branch."""
    if org.kind == "group":
        return Organization.objects.get(path=org.parent_path)
    return org


def roll_members(org, on_date):
    """Members on the roll of a meeting of `org` held on `on_date`.

    Decision: the members currently on the register in the organization's subtree (a branch's groups
    included) who had joined the Party by that date. Members who transferred out since are not
    reconstructed from the transfer history.
    """
    return (
        Member.objects.in_register()
        .filter(org_path__startswith=org.path, joined_on__lte=on_date)
        .select_related("org")
        .order_by("org_path", "initials", "id")
    )


def leader_ids(org, member_ids):
    """Members among `member_ids` holding a current leadership post in an organization above the branch (双重组织生活)."""
    branch = branch_of(org)
    ancestors = branch.ancestor_paths()
    if not ancestors:
        return set()
    return set(
        Post.objects.current()
        .filter(org__path__in=ancestors, holder_id__in=member_ids)
        .values_list("holder_id", flat=True)
    )


def _local_date(dt):
    return timezone.localtime(dt).date()


def _validate(org, data, *, recording):
    errors = {}
    kind = data.get("kind")
    if kind not in MeetingKind.values:
        errors["kind"] = "请选择有效的会议类型"
    else:
        message = rules.org_kind_error(kind, org.kind)
        if message:
            errors["kind"] = message
        message = rules.special_error(kind, data.get("is_special"))
        if message:
            errors["is_special"] = message
        message = rules.lecturer_error(kind, data.get("lecturer"))
        if message and recording:
            errors["lecturer"] = message
    if not (data.get("topic") or "").strip():
        errors["topic"] = "请填写会议主题"
    starts_at = data.get("starts_at")
    if starts_at is None:
        errors["starts_at"] = "请填写会议时间"
    elif timezone.is_naive(starts_at):
        errors["starts_at"] = "会议时间缺少时区"
    else:
        day = _local_date(starts_at)
        if recording and starts_at > timezone.now():
            errors["starts_at"] = "会议时间晚于现在，不能登记为已召开"
        if org.established_on and day < org.established_on:
            errors["starts_at"] = "会议时间早于该组织的成立日期"
        if org.dissolved_on and day > org.dissolved_on:
            errors["starts_at"] = "会议时间晚于该组织的撤销日期"
    for field in ("host", "recorder"):
        person = data.get(field)
        if person is not None and not person.org_path.startswith(branch_of(org).path):
            errors[field] = "所选党员不是本支部党员"
    if recording and not (data.get("minutes") or "").strip():
        errors["minutes"] = "请填写会议记录"
    if errors:
        raise ValidationError(errors)


def _apply(meeting, data, fields):
    for field in fields:
        if field in data:
            setattr(meeting, field, data[field])


def _snapshot(meeting):
    data = audit.snapshot(meeting, AUDITED_FIELDS)
    data["attendance"] = {
        str(a.member_id): [a.status, a.leave_reason, a.as_ordinary_member]
        for a in meeting.attendances.order_by("member_id")
    }
    return data


@transaction.atomic
def plan_meeting(actor, org, data):
    """Put a meeting on the calendar of a branch or group."""
    _require_manage(actor, org)
    if not org.is_active:
        raise ValidationError("已撤销的党组织不能安排会议")
    _validate(org, data, recording=False)
    meeting = Meeting(org=org, org_path=org.path, state=MeetingState.PLANNED, created_by=actor)
    _apply(meeting, {k: v for k, v in data.items() if v is not None or k in ("host", "recorder")}, PLAN_FIELDS)
    meeting.save()
    audit.record(audit.Action.CREATE, meeting, after=_snapshot(meeting), org_path=org.path, note="计划会议", actor=actor)
    notices.meeting_planned(meeting, roll_members(meeting.org, timezone.localtime(meeting.starts_at).date()))
    return meeting


def _write_attendance(meeting, attendance):
    """Replace the roll. `attendance` maps member id -> {"status", "leave_reason", "as_ordinary_member"};
    roll members left out are recorded absent."""
    day = _local_date(meeting.starts_at)
    roll = {m.pk: m for m in roll_members(meeting.org, day)}
    attendance = {int(k): v for k, v in (attendance or {}).items()}
    errors = []
    strangers = set(attendance) - set(roll)
    if strangers:
        errors.append("出席名单中有不属于本组织的党员")
    leaders = leader_ids(meeting.org, list(roll))
    rows = []
    for member_id in roll:
        row = attendance.get(member_id) or {"status": AttendanceStatus.ABSENT}
        status = row.get("status")
        reason = (row.get("leave_reason") or "").strip()
        ordinary = bool(row.get("as_ordinary_member"))
        name = roll[member_id].name
        if status not in AttendanceStatus.values:
            errors.append(f"{name}：请选择出席情况")
            continue
        if status == AttendanceStatus.LEAVE and not reason:
            errors.append(f"{name}：请假须填写事由")
        if ordinary and member_id not in leaders:
            errors.append(f"{name}：不是上级党组织领导班子成员，无需标注以普通党员身份参加")
        if ordinary and status != AttendanceStatus.PRESENT:
            errors.append(f"{name}：未出席，不能标注以普通党员身份参加")
        rows.append(
            Attendance(
                meeting=meeting, member_id=member_id, status=status,
                leave_reason=reason if status == AttendanceStatus.LEAVE else "", as_ordinary_member=ordinary,
            )
        )
    if errors:
        raise ValidationError({"attendance": errors})
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(rows)
    summaries.touch([meeting.org_path])  # bulk_create sends no signal: the kept figures that count attendance


@transaction.atomic
def record_meeting(actor, meeting=None, *, org=None, data, attendance=None):
    """Record a held meeting: a planned one (`meeting`), a recorded one not yet confirmed (edit), or a new one (`org`)."""
    if meeting is not None:
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
        org = meeting.org
        if meeting.state == MeetingState.CONFIRMED:
            raise ValidationError("会议记录已确认，只能说明理由后更正")
    _require_manage(actor, org)
    current = {f: getattr(meeting, f) for f in MEETING_FIELDS} if meeting else NEW_MEETING
    merged = {f: data.get(f, current[f]) for f in MEETING_FIELDS}
    merged["is_special"] = bool(merged["is_special"])
    _validate(org, merged, recording=True)
    if meeting is None:
        if not org.is_active:
            raise ValidationError("已撤销的党组织不能登记会议")
        meeting = Meeting(org=org, org_path=org.path, created_by=actor)
        before = None
    else:
        before = _snapshot(meeting)
    _apply(meeting, merged, MEETING_FIELDS)
    meeting.state = MeetingState.RECORDED
    meeting.save()
    if attendance is not None or before is None or not before["attendance"]:
        _write_attendance(meeting, attendance)
    after = _snapshot(meeting)
    action = audit.Action.CREATE if before is None else audit.Action.UPDATE
    audit.record(action, meeting, before=before, after=after, org_path=org.path, note="登记会议记录", actor=actor)
    return meeting


@transaction.atomic
def confirm_meeting(actor, meeting):
    """The secretary confirms a recorded meeting; from now on it changes only through amend_meeting."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    _require_manage(actor, branch_of(meeting.org))
    if meeting.state != MeetingState.RECORDED:
        raise ValidationError("只有已登记、未确认的会议可以确认")
    meeting.state = MeetingState.CONFIRMED
    meeting.confirmed_by = actor
    meeting.confirmed_at = timezone.now()
    meeting.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
    audit.record(
        audit.Action.UPDATE, meeting, before={"state": MeetingState.RECORDED}, after={"state": MeetingState.CONFIRMED},
        org_path=meeting.org_path, note="确认会议记录", actor=actor,
    )
    return meeting


@transaction.atomic
def amend_meeting(actor, meeting, *, reason, data, attendance=None):
    """Change a confirmed meeting record; the reason and the before/after are kept in its history."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    _require_manage(actor, meeting.org)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写更正理由"})
    if meeting.state != MeetingState.CONFIRMED:
        raise ValidationError("只有已确认的会议记录需要更正；未确认的记录可直接修改")
    merged = {f: data.get(f, getattr(meeting, f)) for f in MEETING_FIELDS}
    merged["is_special"] = bool(merged["is_special"])
    _validate(meeting.org, merged, recording=True)
    before = _snapshot(meeting)
    _apply(meeting, merged, MEETING_FIELDS)
    meeting.save()
    if attendance is not None:
        _write_attendance(meeting, attendance)
    after = _snapshot(meeting)
    if after == before:
        raise ValidationError("没有任何修改")
    changed_before = {k: v for k, v in before.items() if after.get(k) != v}
    changed_after = {k: after[k] for k in changed_before}
    MeetingAmendment.objects.create(meeting=meeting, reason=reason, before=changed_before, after=changed_after, actor=actor)
    audit.record(
        audit.Action.UPDATE, meeting, before=changed_before, after=changed_after, org_path=meeting.org_path,
        note=f"更正会议记录：{reason}", actor=actor,
    )
    return meeting


# ---- attachments ---------------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(actor, meeting, uploaded):
    """Attach a photo, PDF or Word file to a meeting. The extension and the leading bytes must agree and the
    size stay within the limit (rules.attachment_error). The stored name is random; the original name is kept.

    Decision: files may be added to a confirmed record too (photos often come later); adding is audited and
    shown in the record's history, and a confirmed record's files can no longer be removed."""
    import uuid

    from .models import Attachment

    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    _require_manage(actor, meeting.org)
    if uploaded is None:
        raise ValidationError({"file": "请选择要上传的文件"})
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", None) or 0
    message = rules.attachment_error(name, size, b"") if size > rules.attachment_max_bytes() else None
    if message is None:
        head, sha256 = read_upload(uploaded, rules.ATTACHMENT_HEAD_BYTES)
        message = rules.attachment_error(name, size, head)
    if message:
        raise ValidationError({"file": message})
    extension = rules.attachment_extension(name)
    attachment = Attachment(
        meeting=meeting, original_name=name, content_type=rules.attachment_content_type(name), size=size, sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", uploaded, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
        audit.record(
            audit.Action.CREATE, meeting, after={"attachment": name, "size": size, "sha256": sha256},
            org_path=meeting.org_path, note=f"上传会议附件《{name}》", actor=actor,
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(actor, attachment):
    """Remove a file from a meeting not yet confirmed; a confirmed record only changes through amendments."""
    from .models import Attachment

    attachment = Attachment.objects.select_related("meeting__org").get(pk=attachment.pk)
    meeting = Meeting.objects.select_for_update().get(pk=attachment.meeting_id)
    _require_manage(actor, attachment.meeting.org)
    if meeting.state == MeetingState.CONFIRMED:
        raise ValidationError("会议记录已确认，附件不能删除")
    name, stored, storage = attachment.original_name, attachment.file.name, attachment.file.storage
    attachment.delete()
    audit.record(
        audit.Action.UPDATE, meeting, before={"attachment": name, "sha256": attachment.sha256},
        org_path=meeting.org_path, note=f"删除会议附件《{name}》", actor=actor,
    )
    transaction.on_commit(lambda: storage.delete(stored))
