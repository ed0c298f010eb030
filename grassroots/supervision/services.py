"""Every change in supervision goes through these functions (atomic, checked, audited).

Who may act:
- a manager of an organization (scoping.can_manage_org) issues notices and supervised tasks to its subtree and
  sets up supervision groups;
- a manager of a receiving organization signs its receipt (once) and reports the measures back;
- the supervision side (managers of the group's organization, or a supervisor role covering the visited
  organization) plans visits, records findings, issues follow-ups and verifies a 限期整改 before it is closed;
- a manager of the organization above the issuer decides on 严肃批评 / 追责 referred to it.
Tasks (the notice's required measures, supervised tasks) are the tracking engine's: progress, return for rework
and sign-off go through grassroots.tracking.services.
"""

import datetime
import uuid

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import MANAGING_ROLES, Role
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization
from grassroots.tracking import rules as tracking_rules
from grassroots.tracking import services as tracking

from . import rules
from .choices import REFERRED, FindingState, InterventionKind, InterventionState, Reach
from .models import Assignment, Finding, Intervention, Measure, Notice, NoticeFile, Receipt, SupervisionGroup, Visit

COMMITTEE_KINDS = (Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH)
BRANCH_KINDS = (Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH)


def _text(value, field, label, max_length=None, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if max_length and len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 字"})
    return value


def _date(value, field, label):
    if not isinstance(value, datetime.date):
        raise ValidationError({field: f"请填写{label}"})
    return value


def managers_of(orgs):
    """Users holding a managing role on exactly these organizations (the people a notice or a reminder reaches)."""
    from grassroots.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(revoked_at__isnull=True, org__in=orgs, role__in=MANAGING_ROLES).exclude(role=Role.ADMIN)
        .values_list("user", flat=True).distinct()
    )


def _users(ids):
    from grassroots.accounts.models import User

    return list(User.objects.filter(pk__in=ids))


def supervisor_paths(user):
    """Where the user acts for supervision: the supervisor role, or a managing role."""
    own = [a.org.path for a in scoping.active_roles(user) if a.role == Role.SUPERVISOR]
    return scoping.minimal_prefixes([*own, *scoping.manage_paths(user)])


def can_supervise(user, org_path):
    return scoping.covers(supervisor_paths(user), org_path)


# ---- notices ------------------------------------------------------------------------------------------------------


def recipients(org, reach):
    """The organizations of `org`'s subtree that receive a notice of the given reach (active ones only)."""
    if reach == Reach.CHILDREN:
        qs = Organization.objects.get_children(org)
    elif reach == Reach.COMMITTEES:
        qs = Organization.objects.get_descendants(org).filter(kind__in=COMMITTEE_KINDS)
    elif reach == Reach.BRANCHES:
        qs = Organization.objects.get_descendants(org).filter(kind__in=BRANCH_KINDS)
    else:
        raise ValidationError({"reach": "请选择下发范围"})
    return list(qs.filter(is_active=True).order_by("path"))


def _check_file(uploaded):
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", None) or 0
    from grassroots.core.uploads import read_upload

    head, sha256 = (b"", "") if size > tracking_rules.file_max_bytes() else read_upload(uploaded, tracking_rules.HEAD_BYTES)
    message = tracking_rules.file_error(name, size, head)
    if message:
        raise ValidationError({"files": f"《{name}》：{message}"})
    return name, size, sha256


@transaction.atomic
def issue_notice(actor, org, *, title, body, issued_on, receipt_due, reach=Reach.CHILDREN, number="", measures=(),
                 measures_due=None, files=()):
    """Issue a notice to the organizations of `org`'s subtree: one receipt each, and (when measures are required)
    one tracking task each for carrying them out by `measures_due`."""
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有以该党组织名义下发通知的权限")
    title = _text(title, "title", "通知标题", 200)
    body = _text(body, "body", "通知正文")
    number = _text(number, "number", "文号", 60, required=False)
    issued_on = _date(issued_on, "issued_on", "下发日期")
    receipt_due = _date(receipt_due, "receipt_due", "签收时限")
    if (receipt_due - issued_on).days < rules.min_receipt_days():
        raise ValidationError({"receipt_due": f"签收时限不能早于下发日期后 {rules.min_receipt_days()} 天"})
    measures = [m.strip() for m in measures if m and m.strip()]
    if len(measures) > rules.MAX_MEASURES:
        raise ValidationError({"measures": f"要求措施最多 {rules.MAX_MEASURES} 条"})
    if any(len(m) > 300 for m in measures):
        raise ValidationError({"measures": "每条要求措施不能超过 300 字"})
    if measures:
        measures_due = _date(measures_due, "measures_due", "落实时限")
        if measures_due < issued_on:
            raise ValidationError({"measures_due": "落实时限不能早于下发日期"})
    files = [f for f in files if f]
    if len(files) > rules.FILES_PER_NOTICE:
        raise ValidationError({"files": f"附件最多 {rules.FILES_PER_NOTICE} 个"})
    checked = [(f, *_check_file(f)) for f in files]
    targets = recipients(org, reach)
    if not targets:
        raise ValidationError({"reach": "该范围内没有接收单位，请改选下发范围"})
    notice = Notice.objects.create(
        org=org, org_path=org.path, number=number, title=title, body=body, reach=reach, issued_on=issued_on,
        receipt_due=receipt_due, measures_due=measures_due if measures else None, created_by=actor,
    )
    Measure.objects.bulk_create([Measure(notice=notice, position=i, text=m) for i, m in enumerate(measures, start=1)])
    receipts = Receipt.objects.bulk_create([Receipt(notice=notice, org=t, org_path=t.path) for t in targets])
    link = reverse("supervision:notice", args=[notice.pk])
    if measures:
        task_list = tracking.create_list(actor, org, title=f"《{title}》要求措施", source="supervision.notice", source_id=notice.pk, source_url=link)
        notice.task_list = task_list
        notice.save(update_fields=["task_list"])
        detail = "\n".join(f"{i}. {m}" for i, m in enumerate(measures, start=1))
        for receipt in receipts:
            receipt.task = tracking.add_task(actor, task_list, title=f"落实《{title}》", due_on=measures_due, detail=detail,
                                             assignee_org=receipt.org, starts_on=issued_on)
        Receipt.objects.bulk_update(receipts, ["task"])
    stored = []
    try:
        for uploaded, name, size, sha256 in checked:
            row = NoticeFile(notice=notice, original_name=name, size=size, sha256=sha256,
                             content_type=tracking_rules.FILE_SIGNATURES[tracking_rules.extension(name)][0])
            row.file.save(f"{uuid.uuid4().hex}.{tracking_rules.extension(name)}", uploaded, save=False)
            stored.append((row.file.storage, row.file.name))
            row.save()
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    audit.record(audit.Action.PUBLISH, notice, after={"title": title, "receipts": len(receipts), "measures": measures},
                 org_path=org.path, note=f"下发通知《{title}》至 {len(receipts)} 个单位", actor=actor)
    notifications.notify(_users(managers_of(targets)), title=f"新通知：{title}", body=f"请于 {receipt_due:%Y-%m-%d} 前签收",
                         link=link, kind=notifications.Kind.SUPERVISION, org_path=org.path)
    return notice


def can_sign(user, receipt):
    return scoping.can_manage_org(user, receipt.org)


@transaction.atomic
def sign_receipt(actor, receipt):
    """The receiving organization signs for the notice (签收), once."""
    receipt = Receipt.objects.select_for_update(of=("self",)).select_related("org", "notice").get(pk=receipt.pk)
    if not can_sign(actor, receipt):
        raise PermissionDenied("只有接收单位的管理人员才能签收该通知")
    if receipt.signed_at is not None:
        raise ValidationError(f"{receipt.org}已于 {timezone.localtime(receipt.signed_at):%Y-%m-%d %H:%M} 签收，不能重复签收")
    receipt.signed_at = timezone.now()
    receipt.signed_by = actor
    receipt.save(update_fields=["signed_at", "signed_by"])
    late = receipt.signed_late()
    audit.record(audit.Action.SIGN, receipt, after={"signed_at": receipt.signed_at.isoformat(), "late": late}, org_path=receipt.org_path,
                 note=f"签收通知《{receipt.notice.title}》" + ("（逾期签收）" if late else ""), actor=actor)
    return receipt


@transaction.atomic
def report_feedback(actor, receipt, *, text, percent=100, submit=True, files=()):
    """The receiving organization reports how it carried out the required measures: a progress report on its
    tracking task (and, when asked, the request to sign it off)."""
    receipt = Receipt.objects.select_for_update(of=("self",)).select_related("org", "notice", "task").get(pk=receipt.pk)
    if not can_sign(actor, receipt):
        raise PermissionDenied("只有接收单位的管理人员才能反馈落实情况")
    if receipt.signed_at is None:
        raise ValidationError("请先签收通知，再反馈落实情况")
    text = _text(text, "text", "落实情况", 2000)
    today = timezone.localdate()
    if receipt.task is not None:
        tracking.report_progress(actor, receipt.task, percent=percent, text=text, reported_on=today, files=files)
        if submit:
            tracking.submit(actor, receipt.task)
    before = {"feedback": receipt.feedback} if receipt.feedback else None
    receipt.feedback, receipt.feedback_on = text, today
    receipt.save(update_fields=["feedback", "feedback_on"])
    audit.record(audit.Action.REPORT, receipt, before=before, after={"feedback": text}, org_path=receipt.org_path,
                 note=f"反馈《{receipt.notice.title}》落实情况", actor=actor)
    return receipt


def send_reminders(today):
    """Remind the managers of every receiving organization whose receipt is overdue and whose next reminder
    (1st, 2nd, 3rd: rules.reminder_days) is due. Returns the number of reminders sent. Run daily (jobs.py)."""
    sent = 0
    late = list(Receipt.objects.overdue(today).filter(reminders__lt=rules.MAX_REMINDERS).select_related("notice", "org"))
    for receipt in late:
        if not rules.reminder_due(receipt.notice.receipt_due, receipt.reminders, today):
            continue
        if receipt.last_reminded_on == today:
            continue
        with transaction.atomic():
            locked = Receipt.objects.select_for_update().get(pk=receipt.pk)
            if locked.signed_at is not None or locked.last_reminded_on == today:
                continue
            locked.reminders += 1
            locked.last_reminded_on = today
            locked.save(update_fields=["reminders", "last_reminded_on"])
            ordinal = "一二三"[locked.reminders - 1]
            notifications.notify(
                _users(managers_of([receipt.org])), title=f"第{ordinal}次催办：请签收《{receipt.notice.title}》",
                body=f"签收时限 {receipt.notice.receipt_due:%Y-%m-%d}，已逾期 {(today - receipt.notice.receipt_due).days} 天",
                link=reverse("supervision:notice", args=[receipt.notice_id]), kind=notifications.Kind.REMINDER, org_path=receipt.org_path,
            )
            audit.record(audit.Action.UPDATE, locked, after={"reminders": locked.reminders}, org_path=locked.org_path,
                         note=f"第{ordinal}次催办签收《{receipt.notice.title}》", actor=None)
            sent += 1
    return sent


# ---- supervised tasks (督办) ----------------------------------------------------------------------------------------


@transaction.atomic
def create_assignment(actor, org, *, title, due_on, assignees, detail=""):
    """A supervised task with one tracking task per assignee organization (all inside `org`'s subtree)."""
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有以该党组织名义督办任务的权限")
    title = _text(title, "title", "督办事项", 200)
    due_on = _date(due_on, "due_on", "完成时限")
    assignees = list(assignees)
    if not assignees:
        raise ValidationError({"assignees": "请选择至少一个责任单位"})
    for a in assignees:
        if not a.path.startswith(org.path) or a.pk == org.pk:
            raise ValidationError({"assignees": f"{a}不在督办单位的下级范围内"})
    assignment = Assignment(org=org, org_path=org.path, title=title, detail=(detail or "").strip(), due_on=due_on, created_by=actor)
    task_list = tracking.create_list(actor, org, title=title, source="supervision.assignment", source_id=None)
    assignment.task_list = task_list
    assignment.save()
    task_list.source_id = assignment.pk
    task_list.source_url = reverse("supervision:assignment", args=[assignment.pk])
    task_list.save(update_fields=["source_id", "source_url"])
    for a in assignees:
        tracking.add_task(actor, task_list, title=title, due_on=due_on, detail=assignment.detail, assignee_org=a)
    audit.record(audit.Action.ASSIGN, assignment, after={"title": title, "due_on": due_on.isoformat(), "assignees": [a.pk for a in assignees]},
                 org_path=org.path, note=f"督办「{title}」（{len(assignees)} 个单位）", actor=actor)
    notifications.notify(_users(managers_of(assignees)), title=f"督办任务：{title}", body=f"完成时限 {due_on:%Y-%m-%d}",
                         link=reverse("tracking:list", args=[task_list.pk]), kind=notifications.Kind.SUPERVISION, org_path=org.path)
    return assignment


# ---- supervision groups, visits, findings -----------------------------------------------------------------------


@transaction.atomic
def create_group(actor, org, *, name, leader_name, member_names="", members=()):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有以该党组织名义派出督导组的权限")
    group = SupervisionGroup.objects.create(
        org=org, org_path=org.path, name=_text(name, "name", "督导组名称", 100), leader_name=_text(leader_name, "leader_name", "组长", 50),
        member_names=_text(member_names, "member_names", "组员", 300, required=False),
    )
    if members:
        group.members.set(list(members))
    audit.record(audit.Action.CREATE, group, after={"name": group.name, "leader": group.leader_name}, org_path=org.path,
                 note=f"组建督导组「{group.name}」", actor=actor)
    return group


def can_act_for_group(user, group, org_path):
    """The group's side: a manager of the group's organization, a group member, or a supervisor covering the org."""
    if scoping.can_manage_org(user, group.org):
        return True
    return scoping.covers(supervisor_paths(user), org_path) and (group.members.filter(pk=user.pk).exists() or scoping.covers(supervisor_paths(user), group.org_path))


@transaction.atomic
def plan_visit(actor, group, org, *, planned_on, purpose):
    if not org.path.startswith(group.org_path) or org.pk == group.org_id:
        raise ValidationError({"org": "督导对象须是督导组派出单位的下级党组织"})
    if not can_act_for_group(actor, group, org.path):
        raise PermissionDenied("您不是该督导组成员，不能安排督导")
    visit = Visit.objects.create(
        group=group, issuer_path=group.org_path, org=org, org_path=org.path, planned_on=_date(planned_on, "planned_on", "计划日期"),
        purpose=_text(purpose, "purpose", "督导内容", 300), created_by=actor,
    )
    audit.record(audit.Action.CREATE, visit, after={"org": org.pk, "planned_on": planned_on.isoformat()}, org_path=org.path,
                 note=f"{group.name}计划督导{org}", actor=actor)
    return visit


@transaction.atomic
def record_visit(actor, visit, *, visited_on, summary):
    visit = Visit.objects.select_for_update(of=("self",)).select_related("group__org", "org").get(pk=visit.pk)
    if not can_act_for_group(actor, visit.group, visit.org_path):
        raise PermissionDenied("您不是该督导组成员，不能登记督导情况")
    visited_on = _date(visited_on, "visited_on", "督导日期")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "督导日期不能晚于今天"})
    before = audit.snapshot(visit, ["visited_on", "summary"])
    visit.visited_on, visit.summary = visited_on, _text(summary, "summary", "督导情况", 5000)
    visit.save(update_fields=["visited_on", "summary"])
    audit.record(audit.Action.UPDATE, visit, before=before, after=audit.snapshot(visit, ["visited_on", "summary"]), org_path=visit.org_path,
                 note=f"登记督导情况（{visit.org}）", actor=actor)
    return visit


@transaction.atomic
def record_finding(actor, visit, *, kind, text, found_on, responsible_name="", responsible_post="", rectify_by=None, org=None):
    visit = Visit.objects.select_related("group__org", "org").get(pk=visit.pk)
    org = org or visit.org
    if not org.path.startswith(visit.org_path):
        raise ValidationError({"org": "问题所在党组织须是督导对象或其下级"})
    if not can_act_for_group(actor, visit.group, org.path):
        raise PermissionDenied("您不是该督导组成员，不能登记问题")
    from .choices import FindingKind

    if kind not in FindingKind.values:
        raise ValidationError({"kind": "请选择问题类别"})
    found_on = _date(found_on, "found_on", "发现日期")
    if rectify_by and rectify_by < found_on:
        raise ValidationError({"rectify_by": "整改时限不能早于发现日期"})
    finding = Finding.objects.create(
        visit=visit, issuer_path=visit.issuer_path, org=org, org_path=org.path, kind=kind, text=_text(text, "text", "问题描述", 2000),
        responsible_name=_text(responsible_name, "responsible_name", "责任人", 50, required=False),
        responsible_post=_text(responsible_post, "responsible_post", "责任人职务", 50, required=False), rectify_by=rectify_by, found_on=found_on,
    )
    audit.record(audit.Action.CREATE, finding, after={"kind": kind, "text": finding.text}, org_path=org.path, note=f"督导发现问题（{org}）", actor=actor)
    notifications.notify(_users(managers_of([org])), title=f"督导发现问题：{org}", body=finding.text[:100],
                         link=reverse("supervision:org_history", args=[org.pk]), kind=notifications.Kind.SUPERVISION, org_path=org.path)
    return finding


def _issuer_side(user, item):
    return scoping.covers(scoping.manage_paths(user), item.issuer_path) or scoping.covers(supervisor_paths(user), item.org_path) and scoping.covers(
        supervisor_paths(user), item.issuer_path)


@transaction.atomic
def issue_intervention(actor, finding, *, kind, text, issued_on, person_name="", talked_on=None, talker_name="", due_on=None):
    """A follow-up of a finding. 约谈提醒 is recorded once the talk was held (closed at once); 限期整改 opens an order
    with a deadline; 严肃批评 and 追责 are referred to the organization above the issuing one."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("visit__group__org", "org").get(pk=finding.pk)
    group = finding.visit.group
    if not can_act_for_group(actor, group, finding.org_path):
        raise PermissionDenied("您不是该督导组成员，不能下达处置")
    if finding.state == FindingState.CLOSED:
        raise ValidationError("该问题已销号，不能再下达处置")
    if kind not in InterventionKind.values:
        raise ValidationError({"kind": "请选择处置方式"})
    issued_on = _date(issued_on, "issued_on", "下达日期")
    item = Intervention(
        finding=finding, issuer_path=finding.issuer_path, org=finding.org, org_path=finding.org_path, kind=kind, issued_on=issued_on,
        person_name=_text(person_name, "person_name", "对象", 50, required=kind != InterventionKind.ORDER),
        text=_text(text, "text", "内容", 2000), created_by=actor,
    )
    if kind == InterventionKind.TALK:
        item.talked_on = _date(talked_on, "talked_on", "约谈日期")
        item.talker_name = _text(talker_name, "talker_name", "约谈人", 50)
        if item.talked_on > timezone.localdate():
            raise ValidationError({"talked_on": "约谈日期不能晚于今天（约谈后再登记谈话记录）"})
        item.state = InterventionState.CLOSED
    elif kind == InterventionKind.ORDER:
        item.due_on = _date(due_on, "due_on", "整改期限")
        if item.due_on <= issued_on:
            raise ValidationError({"due_on": "整改期限须晚于下达日期"})
        if finding.state == FindingState.OPEN:
            finding.state = FindingState.RECTIFYING
            finding.save(update_fields=["state"])
    else:
        upper = Organization.objects.get_parent(group.org) or group.org
        item.referred_to, item.referred_path = upper, upper.path
        item.state = InterventionState.REFERRED
    item.save()
    audit.record(audit.Action.CREATE, item, after={"kind": kind, "text": item.text, "due_on": item.due_on.isoformat() if item.due_on else None},
                 org_path=item.org_path, note=f"{item.get_kind_display()}（{item.org}）", actor=actor)
    link = reverse("supervision:intervention", args=[item.pk])
    if kind in REFERRED:
        notifications.notify(_users(managers_of([item.referred_to])), title=f"移交{item.get_kind_display()}：{item.org}", body=item.text[:100],
                             link=link, kind=notifications.Kind.SUPERVISION, org_path=item.referred_path)
    else:
        notifications.notify(_users(managers_of([item.org])), title=f"{item.get_kind_display()}：{item.org}", body=item.text[:100],
                             link=link, kind=notifications.Kind.SUPERVISION, org_path=item.org_path)
    return item


def _lock_item(item):
    return Intervention.objects.select_for_update(of=("self",)).select_related("finding", "org", "referred_to").get(pk=item.pk)


@transaction.atomic
def report_rectified(actor, item, *, result):
    """The ordered organization reports what it has rectified; the issuer then verifies."""
    item = _lock_item(item)
    if item.kind != InterventionKind.ORDER:
        raise ValidationError("只有限期整改需要报告整改结果")
    if not scoping.can_manage_org(actor, item.org):
        raise PermissionDenied("只有被责令整改单位的管理人员才能报告整改结果")
    if item.state not in (InterventionState.OPEN,):
        raise ValidationError(f"该限期整改{item.get_state_display()}，不能再报告")
    item.result, item.reported_on, item.state = _text(result, "result", "整改结果", 5000), timezone.localdate(), InterventionState.REPORTED
    item.save(update_fields=["result", "reported_on", "state"])
    audit.record(audit.Action.REPORT, item, after={"result": item.result}, org_path=item.org_path, note="报告整改结果", actor=actor)
    return item


@transaction.atomic
def verify_order(actor, item, *, accepted, note):
    """The issuing side checks the reported result: accepted closes the order (销号) and, with no other order
    open, the finding; not accepted sends it back to rectify."""
    item = _lock_item(item)
    if item.kind != InterventionKind.ORDER:
        raise ValidationError("只有限期整改需要验收")
    if not _issuer_side(actor, item) or (scoping.can_manage_org(actor, item.org) and not scoping.covers(scoping.manage_paths(actor), item.issuer_path)):
        raise PermissionDenied("验收须由下达整改的督导组或其派出单位进行，被整改单位不能自行验收")
    if item.state != InterventionState.REPORTED:
        raise ValidationError("整改结果尚未报告，不能验收销号")
    note = _text(note, "note", "验收意见", 2000)
    today = timezone.localdate()
    if accepted:
        item.state, item.verified_on, item.verified_by, item.verification = InterventionState.CLOSED, today, actor, note
        item.save(update_fields=["state", "verified_on", "verified_by", "verification"])
        finding = Finding.objects.select_for_update().get(pk=item.finding_id)
        still_open = finding.interventions.filter(kind=InterventionKind.ORDER).exclude(state=InterventionState.CLOSED).exists()
        if not still_open and finding.state != FindingState.CLOSED:
            finding.state, finding.closed_on, finding.closing_note = FindingState.CLOSED, today, f"限期整改验收通过：{note}"
            finding.save(update_fields=["state", "closed_on", "closing_note"])
        audit.record(audit.Action.CLOSE, item, before={"state": InterventionState.REPORTED}, after={"state": item.state}, org_path=item.org_path,
                     note=f"限期整改验收销号：{note}", actor=actor)
        if item.rectification_case_id:
            _case_event(item.rectification_case, "督导限期整改验收销号", f"{item.org}：{note}", actor)
    else:
        item.state, item.verification = InterventionState.OPEN, note
        item.save(update_fields=["state", "verification"])
        audit.record(audit.Action.REJECT, item, before={"state": InterventionState.REPORTED}, after={"state": item.state}, org_path=item.org_path,
                     note=f"整改验收未通过：{note}", actor=actor)
    return item


@transaction.atomic
def decide_referral(actor, item, *, decision, decided_on):
    item = _lock_item(item)
    if item.state != InterventionState.REFERRED:
        raise ValidationError("该处置不是待上级处理的移交事项")
    if not scoping.can_manage_org(actor, item.referred_to):
        raise PermissionDenied(f"只有{item.referred_to}的管理人员才能处理该移交事项")
    item.decision, item.decided_on, item.state = _text(decision, "decision", "处理意见", 2000), _date(decided_on, "decided_on", "处理日期"), InterventionState.DECIDED
    item.save(update_fields=["decision", "decided_on", "state"])
    audit.record(audit.Action.APPROVE, item, after={"decision": item.decision}, org_path=item.org_path, note=f"上级处理{item.get_kind_display()}", actor=actor)
    return item


@transaction.atomic
def close_finding(actor, finding, *, note):
    """Close (销号) a finding without an order (e.g. rectified on the spot); refused while an order is open."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not _issuer_side(actor, finding):
        raise PermissionDenied("问题销号须由督导组或其派出单位确认")
    if finding.state == FindingState.CLOSED:
        raise ValidationError("该问题已销号")
    if finding.interventions.filter(kind=InterventionKind.ORDER).exclude(state=InterventionState.CLOSED).exists():
        raise ValidationError("该问题尚有未验收的限期整改，不能销号")
    finding.state, finding.closed_on, finding.closing_note = FindingState.CLOSED, timezone.localdate(), _text(note, "note", "销号说明", 2000)
    finding.save(update_fields=["state", "closed_on", "closing_note"])
    audit.record(audit.Action.CLOSE, finding, after={"state": finding.state}, org_path=finding.org_path, note=f"问题销号：{finding.closing_note}", actor=actor)
    return finding


# ---- the link to rectification (part 1) ----------------------------------------------------------------------------
# supervision imports rectification, never the other way (make lint-layers). The case's page shows the orders through
# Case.supervision_orders (the foreign key's related_name) and its timeline (CaseEvent) records the link and the
# verified closing, written here because rectification cannot call supervision.


def linkable_cases(user, item):
    """Rectification cases a 限期整改 may point at: cases the user reads of the ordered organization, of the
    organizations above it up to the issuing side, or of those below it."""
    from grassroots.rectification.models import Case

    path = item.org_path
    above = [path[:i] for i in range(len(item.issuer_path) + Organization.steplen, len(path) + 1, Organization.steplen)]
    return (Case.objects.visible_to(user).filter(Q(org_path__in=above) | Q(org_path__startswith=path))
            .filter(org_path__startswith=item.issuer_path).select_related("org").order_by("-year", "org_path"))


def _case_event(case, label, note, actor):
    from grassroots.rectification import services as rectification

    rectification.record_event(case, label, note, actor)


@transaction.atomic
def link_case(actor, item, case):
    """Point a 限期整改 at the rectification case (软弱涣散整顿) that carries it out; the case's timeline says so."""
    item = _lock_item(item)
    if item.kind != InterventionKind.ORDER:
        raise ValidationError("只有限期整改可以关联整顿台账")
    if not _issuer_side(actor, item):
        raise PermissionDenied("只有下达整改的一方可以关联整顿台账")
    if case is None or not linkable_cases(actor, item).filter(pk=case.pk).exists():
        raise ValidationError({"case": "请选择该党组织（或其上下级）的整顿台账"})
    if item.rectification_case_id == case.pk:
        raise ValidationError({"case": "已关联该整顿台账"})
    before = {"rectification_case": item.rectification_case_id}
    item.rectification_case = case
    item.save(update_fields=["rectification_case"])
    _case_event(case, "关联督导限期整改", f"{item.org}：{item.text[:100]}（整改期限 {item.due_on:%Y-%m-%d}，{item.get_state_display()}）", actor)
    audit.record(audit.Action.UPDATE, item, before=before, after={"rectification_case": case.pk}, org_path=item.org_path,
                 note=f"关联软弱涣散整顿台账（{case}）", actor=actor)
    return item


def org_exists_in(paths, pk):
    return Organization.objects.filter(scoping.path_q("path", paths), pk=pk).first()
