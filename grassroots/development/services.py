"""Every change to an applicant goes through these functions: the application, each step of the 细则, the actions
outside the ordered list (extend, cancel, withdraw) and corrections. Each checks permission and the rules, writes
immutable StepRecords, rebuilds the applicant's stage and deadlines from them, and writes the audit trail.
Admission and full membership change the member registry through grassroots.members.services."""

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, crypto, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.pinyin import initials
from grassroots.members import rules as member_rules
from grassroots.members import services as member_services
from grassroots.members.choices import LeftReason, State, Status
from grassroots.members.models import Member
from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization

from . import rules
from .models import OPEN_STAGES, Applicant, Stage, StepRecord

PERSONAL_FIELDS = ["name", "gender", "ethnicity", "birth_date", "education", "work_unit", "applied_on"]
AUDITED_FIELDS = ["org", "rule_set", "stage", *PERSONAL_FIELDS, "id_number_masked", "phone_masked"]
# Steps whose correction would change the registry or the stage: recorded again through their own action instead.
NOT_CORRECTABLE = {
    "application", "activist", "candidate", "admission_vote", "approval", "full_vote", "full_approval", "extend", "cancel", "withdraw",
}


# ---- where an applicant belongs and who may act ------------------------------------------------------------


def branch_of(org):
    """A Party group's branch, or the organization itself."""
    if org.kind == Kind.GROUP:
        return Organization.objects.get(path=org.parent_path)
    return org


def current_org(applicant):
    """The branch responsible now: the applicant's, or once admitted the member's current one (transfers move it)."""
    if applicant.member_id:
        return branch_of(applicant.member.org)
    return applicant.org


def can_act_for_branch(user, org):
    return scoping.can_manage_org(user, org)


def can_act_above(user, org):
    """A managing role on an organization strictly above the branch (the higher committee): a branch secretary
    cannot file, pre-review or approve their own candidate."""
    return any(org.path.startswith(p) and len(p) < len(org.path) for p in scoping.manage_paths(user))


def _require(actor, org, by):
    if by == rules.HIGHER:
        if not can_act_above(actor, org):
            raise PermissionDenied("该步骤应由上级党委办理，您没有相应权限")
    elif not can_act_for_branch(actor, org):
        raise PermissionDenied("您没有办理该党支部发展党员工作的权限")


def step_by(applicant, step):
    """Who acts: cancelling a probationary member's qualification is decided above the branch (细则 art. 30)."""
    if step.code == "cancel" and applicant.stage == Stage.PROBATIONARY:
        return rules.HIGHER
    return step.by


# ---- history ------------------------------------------------------------------------------------------------


def effective_records(applicant):
    """Records in force: every record not replaced by a correction, in the order recorded."""
    records = list(applicant.steps.order_by("id"))
    corrected = {r.corrects_id for r in records if r.corrects_id}
    return [r for r in records if r.pk not in corrected]


def history_of(records, applicant=None):
    """{code: [dates]} of the effective records that count (a failed vote counts for nothing)."""
    history = {}
    for r in records:
        if r.passed:
            history.setdefault(r.code, []).append(r.date)
    for dates in history.values():
        dates.sort()
    if applicant is not None and applicant.probation_ends_on and applicant.approved_on:
        history["probation_end"] = [applicant.probation_ends_on]
    return history


def allowed_steps(applicant, records=None):
    """The steps that may be recorded next (in the rule set's order), before dates are considered."""
    if applicant.stage in (Stage.WITHDRAWN, Stage.DISQUALIFIED):
        return []
    rule_set = rules.RULE_SETS[applicant.rule_set]
    history = history_of(records if records is not None else effective_records(applicant))
    result = []
    for step in rule_set.steps:
        if step.stage != applicant.stage or (step.code in history and not step.repeatable):
            continue
        if all(r in history for r in step.requires):
            result.append(step)
    if applicant.stage == Stage.PROBATIONARY and "extend" not in history and "full_vote" not in history:
        result.append(rules.EXTEND)
    if applicant.stage in OPEN_STAGES:
        if applicant.stage != Stage.PROBATIONARY:
            result.append(rules.WITHDRAW)
        result.append(rules.CANCEL)
    return result


def _derive(applicant, records):
    """Rebuild stage, dates and deadlines from the effective records."""
    rule_set = rules.RULE_SETS[applicant.rule_set]
    h = history_of(records)
    first = lambda c: h[c][0] if c in h else None  # noqa: E731
    last = lambda c: h[c][-1] if c in h else None  # noqa: E731
    a = applicant
    a.activist_on, a.candidate_on = first("activist"), first("candidate")
    a.admitted_on, a.approved_on = last("admission_vote"), first("approval")
    a.extension_months = sum(r.data.get("months", 0) for r in records if r.code == "extend")
    a.probation_ends_on = rules.probation_end(a.admitted_on, a.extension_months) if a.approved_on else None
    a.full_on = a.probation_ends_on if "full_approval" in h else None
    closing = next((r for r in records if r.code in ("cancel", "withdraw")), None)
    if closing is not None:
        a.stage = Stage.DISQUALIFIED if closing.code == "cancel" else Stage.WITHDRAWN
    elif "full_approval" in h:
        a.stage = Stage.FULL
    elif "approval" in h:
        a.stage = Stage.PROBATIONARY
    elif "candidate" in h:
        a.stage = Stage.CANDIDATE
    elif "activist" in h:
        a.stage = Stage.ACTIVIST
    else:
        a.stage = Stage.APPLICANT
    a.closed_on = closing.date if closing else None
    a.talk_due_on = a.review_due_on = a.approval_due_on = a.assembly_due_on = a.oath_due_on = None
    if a.stage in OPEN_STAGES:
        if "talk" not in h:
            a.talk_due_on = rules.add_months(first("application") or a.applied_on, rules.TALK_WITHIN_MONTHS)
        if a.stage == Stage.ACTIVIST:
            a.review_due_on = rules.add_months(max([a.activist_on, *h.get("review", [])]), rules.REVIEW_EVERY_MONTHS)
        if a.stage == Stage.PROBATIONARY and "full_vote" not in h:
            a.review_due_on = rules.add_months(max([a.approved_on, *h.get("probation_review", [])]), rules.REVIEW_EVERY_MONTHS)
        if a.admitted_on and not a.approved_on:
            a.approval_due_on = rules.add_months(a.admitted_on, rules.APPROVAL_WITHIN_MONTHS)
        if "full_vote" in h and "full_approval" not in h:
            a.approval_due_on = rules.add_months(last("full_vote"), rules.FULL_APPROVAL_WITHIN_MONTHS)
        admission_vote = rule_set.step("admission_vote")
        if admission_vote.within and "prereview" in h and "admission_vote" not in h:
            a.assembly_due_on = rules.add_months(last("prereview"), admission_vote.within[0].months)
        oath = rule_set.step("oath")
        if oath.within and a.approved_on and "oath" not in h:
            a.oath_due_on = rules.add_months(a.approved_on, oath.within[0].months)
    steps = [s for s in allowed_steps(a, records) if s.code not in rules.ACTIONS]
    nxt = [s for s in steps if not s.repeatable] or steps  # a repeatable review when nothing else is open
    a.next_step = nxt[0].code if nxt else ""


# ---- applying -------------------------------------------------------------------------------------------------


def _set_sensitive(applicant, field, value):
    value = (value or "").strip().upper() if field == "id_number" else (value or "").strip()
    setattr(applicant, f"{field}_encrypted", crypto.encrypt(value))
    setattr(applicant, f"{field}_hash", crypto.lookup_hash(value))
    setattr(applicant, f"{field}_masked", (crypto.mask_id_number if field == "id_number" else crypto.mask_phone)(value))


def _actor_name(actor):
    return (getattr(actor, "full_name", "") or actor.get_username()) if getattr(actor, "is_authenticated", False) else ""


def _personal_errors(data, today, applicant=None):
    """Field errors of an applicant's personal data: required fields, the age rule on the application date, and
    an ID number that agrees with the birth date and gender and is not in another open application."""
    errors = {}
    for field, label in (("name", "姓名"), ("gender", "性别"), ("birth_date", "出生日期"), ("applied_on", "申请日期")):
        if not data.get(field):
            errors[field] = f"请填写{label}"
    if data.get("birth_date") and data.get("applied_on"):
        errors.update(rules.application_errors(data["birth_date"], data["applied_on"], today))
    id_number = (data.get("id_number") or "").strip().upper()
    if id_number:
        try:
            id_birth, id_gender = member_rules.parse_id_number(id_number)
        except ValueError as exc:
            errors["id_number"] = str(exc)
        else:
            others = Applicant.objects.filter(id_number_hash=crypto.lookup_hash(id_number), stage__in=OPEN_STAGES)
            if applicant is not None:
                others = others.exclude(pk=applicant.pk)
            if data.get("birth_date") and id_birth != data["birth_date"]:
                errors["id_number"] = "公民身份号码中的出生日期与填写的出生日期不一致"
            elif data.get("gender") and id_gender != data["gender"]:
                errors["id_number"] = "公民身份号码中的性别与填写的性别不一致"
            elif others.exists():
                errors["id_number"] = "此人已有正在办理的入党申请"
    return errors


# Personal data an applicant's branch may correct before the member record exists (the application date anchors
# the rule set and every time limit, so it is corrected as a step record, not here).
EDITABLE_FIELDS = ["name", "gender", "ethnicity", "birth_date", "education", "work_unit"]
EDITABLE_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE)


@transaction.atomic
def update_applicant(actor, applicant, data, *, reason, today=None):
    """Correct an applicant's personal data, with a reason kept in the audit log. `id_number` and `phone` change
    only when given (empty keeps the stored value). Once the applicant is a member, the registry holds the record."""
    today = today or timezone.localdate()
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    _require(actor, current_org(applicant), rules.BRANCH)
    if applicant.stage not in EDITABLE_STAGES:
        raise ValidationError({"__all__": "已成为党员或已结束办理，个人信息请在党员名册中修改"})
    merged = {f: data.get(f, getattr(applicant, f)) for f in EDITABLE_FIELDS}
    merged["applied_on"] = applicant.applied_on
    id_number = (data.get("id_number") or "").strip().upper()
    if id_number:
        merged["id_number"] = id_number
    elif applicant.id_number_encrypted and (merged["birth_date"] != applicant.birth_date or merged["gender"] != applicant.gender):
        merged["id_number"] = crypto.decrypt(applicant.id_number_encrypted)  # the stored number must still agree
    errors = _personal_errors(merged, today, applicant)
    if not (reason or "").strip():
        errors["reason"] = "请填写修改理由"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(applicant, AUDITED_FIELDS)
    for field in EDITABLE_FIELDS:
        setattr(applicant, field, merged[field])
    applicant.initials = initials(applicant.name)
    if id_number:
        _set_sensitive(applicant, "id_number", id_number)
    if (data.get("phone") or "").strip():
        _set_sensitive(applicant, "phone", data["phone"].strip())
    applicant.save()
    after = audit.snapshot(applicant, AUDITED_FIELDS)
    if after != before:
        audit.record(audit.Action.UPDATE, applicant, before=before, after=after, org_path=applicant.org_path, actor=actor,
                     note=reason.strip())
    return applicant


@transaction.atomic
def apply(actor, org, data, *, today=None):
    """Register a written application (step 1) received by branch `org`."""
    today = today or timezone.localdate()
    _require(actor, org, rules.BRANCH)
    errors = {}
    if org.kind not in BRANCH_KINDS:
        errors["org"] = "入党申请应向党支部提出"
    elif not org.is_active:
        errors["org"] = "该党组织已撤销"
    errors.update(_personal_errors(data, today))
    id_number = (data.get("id_number") or "").strip().upper()
    if errors:
        raise ValidationError(errors)
    applicant = Applicant(org=org, org_path=org.path, rule_set=rules.rule_set_for(data["applied_on"]).code)
    for field in PERSONAL_FIELDS:
        if field in data:
            setattr(applicant, field, data[field])
    applicant.initials = initials(applicant.name)
    _set_sensitive(applicant, "id_number", id_number)
    _set_sensitive(applicant, "phone", data.get("phone", ""))
    applicant.save()
    rule_set = rules.RULE_SETS[applicant.rule_set]
    record = StepRecord.objects.create(
        applicant=applicant, code="application", number=1, title=rule_set.step("application").title, date=applicant.applied_on,
        actor=actor if getattr(actor, "is_authenticated", False) else None, actor_name=_actor_name(actor), org_path=org.path,
        note=data.get("note", ""), documents=data.get("documents", ""),
    )
    _derive(applicant, [record])
    applicant.save()
    audit.record(audit.Action.CREATE, applicant, after=audit.snapshot(applicant, AUDITED_FIELDS), org_path=org.path, actor=actor)
    return applicant


# ---- steps ------------------------------------------------------------------------------------------------------


def voting_roll(org, day):
    """The named roll of a branch general assembly on `day`: full members of the branch (its groups included) on
    the register who were full members that day. Probationary members have no vote (Party Constitution art. 7);
    members who left or whose membership is suspended are not on it."""
    from django.db.models import Q

    return (
        Member.objects.in_register().exclude(state=State.SUSPENDED)
        .filter(org_path__startswith=branch_of(org).path, status=Status.FULL, joined_on__lte=day)
        .filter(Q(full_on__lte=day) | Q(full_on__isnull=True))
        .order_by("org_path", "initials", "id")
    )


def _full_members(actor, ids, field):
    ids = list(dict.fromkeys(int(i) for i in ids or []))
    found = {
        m.pk: m for m in Member.objects.visible_to(actor).in_register().filter(pk__in=ids).only("id", "name", "status", "state")
    }
    for pk in ids:
        m = found.get(pk)
        if m is None:
            raise ValidationError({field: "找不到该党员，或不在您的管理范围内"})
        if m.status != Status.FULL or m.state == State.SUSPENDED:
            raise ValidationError({field: f"{m.name}不是正式党员，不能担任"})
    return [{"id": found[pk].pk, "name": found[pk].name} for pk in ids]


def _clean(actor, applicant, step, data, day):
    """The extra inputs of `step`, checked and in the form kept on the record."""
    data = data or {}
    cleaned = {}
    if "contacts" in step.fields:
        cleaned["contacts"] = _full_members(actor, data.get("contacts"), "contacts")
    if "sponsors" in step.fields:
        cleaned["sponsors"] = _full_members(actor, data.get("sponsors"), "sponsors")
    if "training" in step.fields:
        for field in ("training_days", "training_hours"):
            value = data.get(field) or 0
            if int(value) < 0:
                raise ValidationError({field: "请填写不小于0的数"})
            cleaned[field] = int(value)
    if "extension_reason" in step.fields:
        cleaned["extension_reason"] = (data.get("extension_reason") or "").strip()
    if "extension" in step.fields:
        cleaned["months"] = int(data["months"]) if data.get("months") not in (None, "") else None
    if "reason" in step.fields:
        cleaned["reason"] = (data.get("reason") or "").strip()
    if "vote" in step.fields and day is not None:
        roll = list(voting_roll(current_org(applicant), day).values_list("id", "name"))
        roll_ids = {pk for pk, _ in roll}
        counts = {}
        for field in ("present", "votes_for", "against", "abstain"):
            value = data.get(field)
            counts[field] = int(value) if value not in (None, "") else None
        present_ids = data.get("present_ids")
        if present_ids is not None:
            present_ids = list(dict.fromkeys(int(i) for i in present_ids))
            if any(pk not in roll_ids for pk in present_ids):
                raise ValidationError({"present_ids": "到会人员应是表决名单上的正式党员"})
            if counts["present"] is not None and counts["present"] != len(present_ids):
                raise ValidationError({"present": "到会人数与勾选的到会人员不一致"})
            counts["present"] = len(present_ids)
        errors = rules.vote_errors(len(roll), **counts)
        if errors:
            raise ValidationError(errors)
        if not rules.has_quorum(len(roll), counts["present"]):
            raise ValidationError({"present": f"到会有表决权的人数（{counts['present']}）未超过应到会人数（{len(roll)}）的半数，不能进行表决"})
        cleaned.update(counts, entitled=len(roll), present_ids=present_ids or [], roll=[pk for pk, _ in roll])
        cleaned["passed"] = rules.passes(len(roll), counts["votes_for"])
    return cleaned


def _check_upload(uploaded):
    """(name, size, sha256) of an acceptable scanned document, or a ValidationError on `attachment`. The kinds and the
    size limit are organizational life's (photos, PDF, Word; ORGLIFE_ATTACHMENT_* settings)."""
    from grassroots.core.uploads import read_upload
    from grassroots.orglife import rules as file_rules

    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", None) or 0
    head, sha256 = read_upload(uploaded, file_rules.ATTACHMENT_HEAD_BYTES) if size <= file_rules.attachment_max_bytes() else (b"", "")
    message = file_rules.attachment_error(name, size, head)
    if message:
        raise ValidationError({"attachment": message})
    return name, size, sha256


def _attach(record, uploaded, checked):
    import uuid

    from grassroots.orglife import rules as file_rules

    from .models import StepAttachment

    name, size, sha256 = checked
    attachment = StepAttachment(record=record, original_name=name, content_type=file_rules.attachment_content_type(name), size=size, sha256=sha256)
    attachment.file.save(f"{uuid.uuid4().hex}.{file_rules.attachment_extension(name)}", uploaded, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def record_step(actor, applicant, code, *, date, note="", documents="", data=None, today=None, attachment=None):
    """Record step `code` (or the action extend / cancel / withdraw) on `date`, with an optional scanned document.
    Out-of-order steps and broken time rules are refused; late steps the regulation only says "should" about are
    recorded with a warning."""
    today = today or timezone.localdate()
    checked = _check_upload(attachment) if attachment is not None else None
    applicant = Applicant.objects.select_for_update(of=("self",)).select_related("org", "member__org").get(pk=applicant.pk)
    rule_set = rules.RULE_SETS[applicant.rule_set]
    if code == "application" or (code not in rules.ACTIONS and code not in rule_set.by_code):
        raise ValidationError({"code": "不是可以登记的步骤"})
    step = rules.step_for(rule_set, code)
    org = current_org(applicant)
    _require(actor, org, step_by(applicant, step))
    if applicant.stage in (Stage.WITHDRAWN, Stage.DISQUALIFIED) or (applicant.stage == Stage.FULL and code in rules.ACTIONS):
        raise ValidationError({"__all__": f"该档案已{applicant.get_stage_display()}，不能再办理"})
    if code == "withdraw" and applicant.stage == Stage.PROBATIONARY:
        raise ValidationError({"__all__": "预备党员不能撤回申请；如不合格，请办理取消预备党员资格"})
    records = effective_records(applicant)
    history = history_of(records, applicant)
    cleaned = _clean(actor, applicant, step, data, date)
    errors, warnings = rules.check_step(rule_set, applicant.stage, history, code, date, cleaned, today)
    if errors:
        raise ValidationError(errors)
    passed = cleaned.pop("passed", True)
    if not passed:
        warnings.append("表决未通过：赞成票未超过应到会有表决权的正式党员的半数")
    record = StepRecord.objects.create(
        applicant=applicant, code=code, number=rule_set.number(code) if code in rule_set.by_code else 0, title=step.title,
        date=date, actor=actor if getattr(actor, "is_authenticated", False) else None, actor_name=_actor_name(actor),
        org_path=org.path, note=note or "", documents=documents or "", data=cleaned, passed=passed, warning="；".join(warnings)[:500],
    )
    before = audit.snapshot(applicant, ["stage"])
    previous_next = applicant.next_step
    _effects(actor, applicant, record, today)
    _derive(applicant, [*records, record])
    applicant.save()
    _notify(actor, applicant, record, org, previous_next)
    action = {"admission_vote": audit.Action.VOTE, "full_vote": audit.Action.VOTE, "approval": audit.Action.APPROVE,
              "full_approval": audit.Action.APPROVE, "cancel": audit.Action.CANCEL, "withdraw": audit.Action.CANCEL}.get(code, audit.Action.UPDATE)
    audit.record(
        action, applicant, before=before, after={"stage": applicant.stage, "step": code, "date": date.isoformat(), **_audit_data(cleaned),
               **({"attachment": checked[0]} if checked else {})},
        org_path=org.path, actor=actor, note=f"{step.title}{'（' + record.warning + '）' if record.warning else ''}",
    )
    if attachment is not None:  # last: nothing after it can fail and leave the stored file behind
        _attach(record, attachment, checked)
    return record


def _notify(actor, applicant, record, org, previous_next):
    """Tell the other side what it has to do: the nearest committee above the branch when a step now waits for it,
    the branch's secretaries when the higher committee has recorded one."""
    from django.urls import reverse

    from grassroots.accounts.models import RoleAssignment
    from grassroots.core import notifications
    from grassroots.core.roles import Role

    link = reverse("development:detail", args=[applicant.pk])
    kind = notifications.Kind.DEVELOPMENT
    rule_set = rules.RULE_SETS[applicant.rule_set]
    step = rules.step_for(rule_set, record.code)
    if step.by == rules.HIGHER:
        users = RoleAssignment.objects.active().filter(role=Role.SECRETARY, org=org).exclude(user=actor).values_list("user_id", flat=True)
        notifications.notify(users, title=f"上级党委已办理：{applicant.name} {step.title}", body=f"日期 {record.date:%Y-%m-%d}",
                             link=link, kind=kind, org_path=org.path)
    nxt = applicant.next_step
    if nxt and nxt != previous_next and rule_set.step(nxt).by == rules.HIGHER:
        above = RoleAssignment.objects.active().filter(role=Role.SECRETARY, org__path__in=org.ancestor_paths()).select_related("org")
        nearest = max((a.org.path for a in above), key=len, default=None)
        users = [a.user_id for a in above if a.org.path == nearest and a.user_id != getattr(actor, "pk", None)]
        notifications.notify(users, title=f"待上级党委办理：{applicant.name} {rule_set.step(nxt).title}",
                             body=f"{org.short_name or org.name}已办理“{step.title}”（{record.date:%Y-%m-%d}）", link=link, kind=kind,
                             org_path=org.path)


def _audit_data(cleaned):
    return {k: v for k, v in cleaned.items() if k not in ("roll",)}


def _effects(actor, applicant, record, today):
    """The member registry's side of a step."""
    code = record.code
    if code == "approval":
        applicant.member = member_services.create_member(actor, applicant.org, {
            "name": applicant.name, "gender": applicant.gender, "ethnicity": applicant.ethnicity, "birth_date": applicant.birth_date,
            "id_number": crypto.decrypt(applicant.id_number_encrypted), "phone": crypto.decrypt(applicant.phone_encrypted),
            "education": applicant.education, "work_unit": applicant.work_unit, "status": Status.PROBATIONARY,
            "joined_on": applicant.admitted_on, "full_on": None,
        })
    elif code == "full_approval" and applicant.member_id:
        member_services.update_member(actor, applicant.member, {"status": Status.FULL, "full_on": applicant.probation_ends_on},
                                      note="上级党委批准转为正式党员")
    elif code == "cancel" and applicant.member_id:
        member_services.update_member(actor, applicant.member, {
            "state": State.LEFT, "left_reason": LeftReason.DISQUALIFIED, "left_on": record.date,
            "left_document": record.documents or record.data.get("reason", "")[:100],
        }, note=record.data.get("reason", ""))


@transaction.atomic
def correct_step(actor, record, *, date, note=None, documents=None, reason="", today=None):
    """A correction: a new record replacing `record`, with a reason; the old one stays as it was."""
    today = today or timezone.localdate()
    applicant = Applicant.objects.select_for_update(of=("self",)).select_related("org", "member__org").get(pk=record.applicant_id)
    record = StepRecord.objects.get(pk=record.pk)
    org = current_org(applicant)
    rule_set = rules.RULE_SETS[applicant.rule_set]
    _require(actor, org, rules.step_for(rule_set, record.code).by if record.code in rule_set.by_code else rules.BRANCH)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写更正理由"})
    if hasattr(record, "correction"):
        raise ValidationError({"__all__": "该记录已被更正，请更正最新的记录"})
    if record.code in NOT_CORRECTABLE:
        raise ValidationError({"__all__": f"“{record.title}”不能更正；如有错误请联系上级党委按程序处理"})
    if date is None or date > today:
        raise ValidationError({"date": "日期不能晚于今天" if date else "请填写日期"})
    records = effective_records(applicant)
    replaced = [r if r.pk != record.pk else StepRecord(code=r.code, date=date, data=r.data, passed=r.passed) for r in records]
    trail = [(r.code, r.date, {**r.data, "passed": r.passed}) for r in replaced]
    if rules.history_violations(rule_set, applicant.birth_date, sorted(trail, key=lambda t: t[1])):
        raise ValidationError({"date": "更正后的日期与前后步骤的先后顺序或期限不符"})
    new = StepRecord.objects.create(
        applicant=applicant, code=record.code, number=record.number, title=record.title, date=date,
        actor=actor if getattr(actor, "is_authenticated", False) else None, actor_name=_actor_name(actor), org_path=org.path,
        note=record.note if note is None else note, documents=record.documents if documents is None else documents,
        data=record.data, passed=record.passed, corrects=record, reason=reason.strip()[:500],
    )
    _derive(applicant, [r for r in records if r.pk != record.pk] + [new])
    applicant.save()
    audit.record(
        audit.Action.CORRECT, applicant, before={"step": record.code, "date": record.date.isoformat()},
        after={"step": record.code, "date": date.isoformat()}, org_path=org.path, actor=actor, note=reason,
    )
    return new


def reveal(actor, applicant, field):
    if field not in ("id_number", "phone"):
        raise ValidationError({"field": "只能查看公民身份号码或联系电话"})
    if not scoping.covers(scoping.manage_paths(actor), current_org(applicant).path):
        raise PermissionDenied("您的角色不能查看完整的个人信息")
    audit.record(audit.Action.REVEAL, applicant, org_path=applicant.org_path, actor=actor, note=f"查看完整{'公民身份号码' if field == 'id_number' else '联系电话'}")
    return crypto.decrypt(getattr(applicant, f"{field}_encrypted"))
