"""Every change to matters, their steps, opinions, settings and supervisory committees goes through these functions."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import Role
from grassroots.members.choices import Status
from grassroots.members.models import Member

from . import rules
from .choices import AfterFailure, Body, Category, MatterState, OpinionKind, StepKind, StepState
from .models import Matter, Opinion, Step, StepAmendment, SupervisoryCommittee, SupervisoryMember, VillageSettings

MATTER_FIELDS = ["title", "category", "summary", "amount", "planned_completion", "step_set", "merged", "state", "round", "stage"]
STEP_FIELDS = [
    "kind", "round", "seq", "state", "held_on", "place", "content", "body", "meeting", "attendees", "materials_sent_on", "entitled",
    "present", "households", "households_present", "votes_for", "votes_against", "votes_abstain", "quorum", "passed", "outcome",
    "amount", "after_failure", "disclosure",
]
AMENDABLE = {"content": "内容", "place": "地点"}
DISCLOSURE_CATEGORY = {
    StepKind.RESOLUTION_DISCLOSURE: "resolution", StepKind.PROGRESS_DISCLOSURE: "implementation", StepKind.RESULT_DISCLOSURE: "result",
}


# ---- permission ---------------------------------------------------------------------------------------------------


def require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该村（社区）议事事项的权限")


def can_monitor(user, org):
    return scoping.covers(scoping.monitor_paths(user), org.path)


def is_village_org(org):
    return org.category in rules.MATTER_CATEGORIES and org.kind != "group"


def _money(value):
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"amount": "请输入有效金额"}) from None
    if value < 0:
        raise ValidationError({"amount": "金额不能为负数"})
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def secretaries_of(org):
    """Users holding the secretary role on the organization itself, and on the organization just above it."""
    from grassroots.accounts.models import RoleAssignment

    paths = [org.path, org.parent_path] if org.parent_path else [org.path]
    return list(
        RoleAssignment.objects.active().filter(role=Role.SECRETARY, org__path__in=paths).values_list("user_id", flat=True)
    )


def township_users(org):
    from grassroots.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.active().filter(role__in=[Role.SECRETARY, Role.ORG_DEPT], org__path=org.parent_path).values_list("user_id", flat=True)
    ) if org.parent_path else []


def monitor_users(org):
    """The supervisory committee members' accounts: village_monitor on the organization or above it."""
    from grassroots.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.active().filter(role=Role.VILLAGE_MONITOR, org__path__in=[*org.ancestor_paths(), org.path])
        .values_list("user_id", flat=True)
    )


def village_users(org):
    from grassroots.accounts.models import RoleAssignment

    return list(RoleAssignment.objects.active().filter(role=Role.SECRETARY, org=org).values_list("user_id", flat=True))


# ---- settings and roll --------------------------------------------------------------------------------------------


def settings_for(org):
    """The organization's settings row, or an unsaved one with the defaults."""
    found = VillageSettings.objects.filter(org=org).first()
    return found or VillageSettings(org=org, org_path=org.path)


def _names(value):
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [n.strip() for n in value or [] if n and n.strip()]


@transaction.atomic
def save_settings(actor, org, data):
    require_manage(actor, org)
    if not is_village_org(org):
        raise ValidationError("只有村、社区党组织有议事设置")
    errors = {}
    step_set = data.get("step_set") or ""
    if step_set and step_set not in rules.STEP_SETS:
        errors["step_set"] = "不是有效的议事规则"
    representatives = _names(data.get("representatives"))
    if len(set(representatives)) != len(representatives):
        errors["representatives"] = "代表名单中有重复的姓名"
    for field in ("adults", "households"):
        try:
            data[field] = int(data.get(field) or 0)
            if data[field] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[field] = "请输入非负整数"
    if errors:
        raise ValidationError(errors)
    row = settings_for(org)
    before = None if row.pk is None else audit.snapshot(row, ["step_set", "representatives", "adults", "households", "committee_members"])
    row.step_set = step_set
    row.representatives = representatives
    row.adults = data["adults"]
    row.households = data["households"]
    row.committee_members = _names(data.get("committee_members"))
    row.save()
    after = audit.snapshot(row, ["step_set", "representatives", "adults", "households", "committee_members"])
    audit.record(audit.Action.UPDATE if before else audit.Action.CREATE, row, before=before, after=after, org_path=org.path, actor=actor)
    return row


# ---- supervisory committee ----------------------------------------------------------------------------------------


@transaction.atomic
def create_committee(actor, org, *, term_start, term_end, chosen_by):
    require_manage(actor, org)
    if not is_village_org(org):
        raise ValidationError("只有村、社区设立村（居）务监督委员会")
    errors = {}
    if not term_start:
        errors["term_start"] = "请填写任期开始日期"
    if not term_end:
        errors["term_end"] = "请填写任期届满日期"
    elif term_start and term_end <= term_start:
        errors["term_end"] = "届满日期应晚于开始日期"
    if chosen_by not in (Body.VILLAGERS, Body.REPRESENTATIVES):
        errors["chosen_by"] = "监督委员会由村（居）民会议或村（居）民代表会议推选产生"
    if errors:
        raise ValidationError(errors)
    committee = SupervisoryCommittee.objects.create(org=org, org_path=org.path, term_start=term_start, term_end=term_end, chosen_by=chosen_by)
    audit.record(audit.Action.CREATE, committee, after=audit.snapshot(committee, ["term_start", "term_end", "chosen_by"]), org_path=org.path, actor=actor)
    return committee


def account_named(username):
    """The platform account a committee member links to: None for "", a ValidationError when no account has the name."""
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": "找不到该账号"})
    return user


@transaction.atomic
def add_committee_member(actor, committee, *, name, is_chair=False, user=None, declares_no_relative=False, term_start=None):
    """村民委员会组织法: no villagers' committee member or close relative of one may sit on the supervisory committee."""
    org = committee.org
    require_manage(actor, org)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写姓名"
    elif name in settings_for(org).committee_members:
        errors["name"] = f"{name}是村（居）民委员会成员，不能担任监督委员会成员"
    if not declares_no_relative:
        errors["declares_no_relative"] = "须确认本人不是村（居）民委员会成员及其近亲属"
    if user is not None and not can_monitor(user, org):
        errors["user"] = "该账号没有本村（社区）的村务监督委员会成员角色"
    if is_chair and committee.members.filter(is_chair=True, term_end__isnull=True).exists():
        errors["is_chair"] = "已有主任"
    if errors:
        raise ValidationError(errors)
    member = SupervisoryMember.objects.create(
        committee=committee, name=name, is_chair=is_chair, user=user, declares_no_relative=True, term_start=term_start or committee.term_start
    )
    audit.record(audit.Action.CREATE, member, after={"name": name, "is_chair": is_chair, "user": getattr(user, "pk", None)}, org_path=org.path, actor=actor)
    return member


# ---- matters ------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_matter(actor, org, data):
    require_manage(actor, org)
    errors = {}
    if not is_village_org(org):
        errors["org"] = "只有村、社区党组织按“四议两公开”议事"
    elif not org.is_active:
        errors["org"] = "该党组织已撤销"
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "请填写事项名称"
    if data.get("category") not in Category.values:
        errors["category"] = "请选择事项类别"
    merged = bool(data.get("merged"))
    if merged and not rules.merge_allowed():
        errors["merged"] = "本地未允许提议与“两委”联席会议合并进行"
    try:
        amount = _money(data.get("amount"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        amount = None
    if errors:
        raise ValidationError(errors)
    chosen = settings_for(org).step_set
    matter = Matter.objects.create(
        org=org, org_path=org.path, title=title, category=data["category"], summary=(data.get("summary") or "").strip(), amount=amount,
        planned_completion=data.get("planned_completion"), step_set=rules.step_set_for(org.category, chosen).code, merged=merged,
        stage=StepKind.PROPOSAL, stage_since=timezone.localdate(), created_by=actor,
    )
    audit.record(audit.Action.CREATE, matter, after=audit.snapshot(matter, MATTER_FIELDS), org_path=org.path, actor=actor)
    return matter


def step_set_of(matter):
    return rules.step_set_for(matter.org.category, matter.step_set)


def round_steps(matter, round_=None):
    """The steps of one round (the current one by default), in order; from the prefetched steps when a list
    prefetched them (prefetch_related("steps")), so a page of matters does not query once per row."""
    round_ = round_ or matter.round
    if "steps" in getattr(matter, "_prefetched_objects_cache", {}):
        return sorted((s for s in matter.steps.all() if s.round == round_), key=lambda s: s.seq)
    return list(matter.steps.filter(round=round_).order_by("seq"))


def allowed_kinds(matter):
    """The step kinds that may be recorded now ([] when nothing may be: the matter ended, failed, or is closed)."""
    if matter.state in (MatterState.FAILED, MatterState.ENDED, MatterState.CLOSED, MatterState.RESULT_PUBLISHED):
        return []
    steps = round_steps(matter)
    if steps and steps[-1].state == StepState.DRAFT:
        return [steps[-1].kind]  # the draft is finished and confirmed first
    return rules.allowed_next([s.kind for s in steps], step_set_of(matter), matter.merged)


def _check_order(matter, kind):
    allowed = allowed_kinds(matter)
    if kind not in allowed:
        label = step_set_of(matter).label_of(kind) if kind in StepKind.values else kind
        if not allowed:
            raise ValidationError({"kind": f"该事项当前（{matter.get_state_display()}）不能登记“{label}”"})
        expected = "或".join(f"“{step_set_of(matter).label_of(k)}”" for k in allowed)
        raise ValidationError({"kind": f"“四议两公开”必须按顺序进行：现在应当进行{expected}，不能登记“{label}”"})


def _previous_date(matter, exclude=None):
    last = matter.steps.filter(state=StepState.CONFIRMED).exclude(pk=getattr(exclude, "pk", None)).order_by("-round", "-seq").first()
    return last.held_on if last else None


def _int(data, field, errors, label):
    value = data.get(field)
    try:
        value = int(value if value not in (None, "") else 0)
        if value < 0:
            raise ValueError
        return value
    except (TypeError, ValueError):
        errors[field] = f"{label}请输入非负整数"
        return 0


def assembly_roll(matter, on_date):
    return roll_for_path(matter.org_path, on_date)


def roll_for_path(org_path, on_date):
    """Members of the village's organization (its whole subtree) on the register on the day: the roll of the member
    assembly. Full members vote; probationary members attend without a vote."""
    return (
        Member.objects.in_register().filter(org_path__startswith=org_path, joined_on__lte=on_date).order_by("org_path", "initials", "id")
    )


def evaluate(step, roll=None):
    """Compute the quorum and the outcome of a vote step from its numbers (and, for the member assembly, its roll)."""
    if step.kind == StepKind.REVIEW:
        out = rules.member_assembly(step.entitled, step.present, step.votes_for)
    elif step.body == Body.VILLAGERS:
        out = rules.villagers_meeting(step.entitled, step.households, step.present, step.households_present, step.votes_for)
    else:
        out = rules.representatives_meeting(step.entitled, step.present, step.votes_for)
    step.quorum, step.passed, step.outcome = out.quorum, out.passed, out.reason
    return out


def _fill_step(matter, step, data):
    """Validate `data` for the step's kind and copy it onto `step` (unsaved). Returns the member roll for a review."""
    errors = {}
    today = timezone.localdate()
    held_on = data.get("held_on")
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = "请填写会议日期"
    elif held_on > today:
        errors["held_on"] = "会议日期晚于今天，不能登记为已召开"
    else:
        previous = _previous_date(matter, exclude=step)
        if previous and held_on < previous:
            errors["held_on"] = f"日期早于上一环节（{previous:%Y-%m-%d}），环节必须依次进行"
    step.held_on = held_on if isinstance(held_on, datetime.date) else today
    step.place = (data.get("place") or "").strip()
    step.content = (data.get("content") or "").strip()
    if not step.content:
        errors["content"] = {
            StepKind.PROPOSAL: "请填写提议内容", StepKind.CONSULTATION: "请填写商议意见", StepKind.REVIEW: "请填写审议情况",
            StepKind.RESOLUTION: "请填写决议内容",
        }[step.kind]
    step.attendees = _names(data.get("attendees"))
    roll = None
    if step.kind == StepKind.PROPOSAL:
        meeting = data.get("meeting")
        if meeting is not None and (not meeting.org_path.startswith(matter.org_path) or meeting.kind != "committee"):
            errors["meeting"] = "请选择本党组织召开的委员会会议"
        step.meeting = meeting
        if not step.attendees and meeting is None:
            errors["attendees"] = "请填写参加提议会议的委员，或选择已登记的委员会会议"
    elif step.kind == StepKind.CONSULTATION:
        if len(step.attendees) < 2:
            errors["attendees"] = "请填写参加联席会议的“两委”成员"
    elif step.kind == StepKind.REVIEW:
        ids = {int(i) for i in data.get("roll") or []}
        on_date = step.held_on
        roll_qs = assembly_roll(matter, on_date)
        roll = list(roll_qs.filter(pk__in=ids))
        if len(roll) != len(ids):
            errors["roll"] = "到会名单中有不属于本组织的党员"
        step.entitled = roll_qs.filter(status=Status.FULL).count()
        step.present = sum(1 for m in roll if m.status == Status.FULL)
        days = rules.materials_days()
        sent = data.get("materials_sent_on")
        step.materials_sent_on = sent
        if days and (sent is None or (step.held_on - sent).days < days):
            errors["materials_sent_on"] = f"审议材料应在会前 {days} 天送达党员"
        if step.entitled == 0:
            errors["roll"] = "本组织没有有表决权的正式党员"
    elif step.kind == StepKind.RESOLUTION:
        body = data.get("body")
        roll_row = settings_for(matter.org)
        if body not in step_set_of(matter).bodies:
            errors["body"] = "请选择决议机构：" + "、".join(Body(b).label for b in step_set_of(matter).bodies)
        step.body = body or ""
        if body == Body.REPRESENTATIVES:
            registered = roll_row.representatives
            if not registered:
                errors["attendees"] = "请先在村（社区）设置中登记村民代表名单"
            strangers = [n for n in step.attendees if n not in registered]
            if strangers:
                errors["attendees"] = f"{'、'.join(strangers)}不在登记的村民代表名单中"
            step.entitled, step.present = len(registered), len(step.attendees)
        elif body == Body.VILLAGERS:
            if not roll_row.adults:
                errors["present"] = "请先在村（社区）设置中登记十八周岁以上村民人数和户数"
            step.entitled, step.households = roll_row.adults, roll_row.households
            step.present = _int(data, "present", errors, "到会人数")
            step.households_present = _int(data, "households_present", errors, "到会代表户数")
            if step.present > step.entitled:
                errors["present"] = f"到会人数超过登记的 {step.entitled} 名十八周岁以上村民"
            if step.households_present > step.households:
                errors["households_present"] = f"到会代表户数超过登记的 {step.households} 户"
        elif body:
            step.entitled = _int(data, "entitled", errors, "应到人数") or len(roll_row.representatives)
            step.present = _int(data, "present", errors, "到会人数") or len(step.attendees)
            if not step.entitled:
                errors["entitled"] = "请填写应到人数（登记的参会代表）"
            if step.present > step.entitled:
                errors["present"] = "到会人数超过应到人数"
    if step.is_vote:
        step.votes_for = _int(data, "votes_for", errors, "赞成票")
        step.votes_against = _int(data, "votes_against", errors, "反对票")
        step.votes_abstain = _int(data, "votes_abstain", errors, "弃权票")
        message = rules.votes_error(step.present, step.votes_for, step.votes_against, step.votes_abstain)
        if message:
            errors["votes_for"] = message
    if errors:
        raise ValidationError(errors)
    if step.is_vote:
        evaluate(step)
    return roll


def _locked(matter):
    """The matter row, locked for the rest of the transaction (two secretaries cannot both add step 3)."""
    return Matter.objects.select_for_update(of=("self",)).select_related("org").get(pk=matter.pk)


@transaction.atomic
def record_step(actor, matter, kind, data):
    """Record (or revise the unconfirmed record of) the next deliberation step. Every skip and reorder is refused."""
    matter = _locked(matter)
    require_manage(actor, matter.org)
    if kind in rules.DISCLOSURE_STEP_KINDS:
        raise ValidationError({"kind": "公开环节通过“发布公开”进行"})
    _check_order(matter, kind)
    steps = round_steps(matter)
    draft = steps[-1] if steps and steps[-1].state == StepState.DRAFT else None
    step = draft or Step(matter=matter, round=matter.round, seq=len(steps) + 1, kind=kind, created_by=actor)
    before = audit.snapshot(step, STEP_FIELDS) if draft else None
    roll = _fill_step(matter, step, data)
    step.save()
    if roll is not None:
        step.roll.set(roll)
    after = audit.snapshot(step, STEP_FIELDS)
    audit.record(audit.Action.UPDATE if draft else audit.Action.CREATE, step, before=before, after=after, org_path=matter.org_path,
                 actor=actor, note=f"登记{step.label}")
    return step


@transaction.atomic
def confirm_step(actor, step):
    """Confirm a recorded step: from now on it cannot change. A failed vote stops the round until the village decides."""
    matter = _locked(step.matter)
    require_manage(actor, matter.org)
    step = Step.objects.select_for_update().get(pk=step.pk)
    if step.state != StepState.DRAFT:
        raise ValidationError("该环节已确认，不能重复确认；如需更正请说明理由")
    if step.is_vote:
        evaluate(step)
    step.state = StepState.CONFIRMED
    step.confirmed_by = actor
    step.confirmed_at = timezone.now()
    step.save()
    before = audit.snapshot(matter, MATTER_FIELDS)
    if step.is_vote and not step.passed:
        matter.state = MatterState.FAILED
        action = audit.Action.REJECT
    else:
        action = audit.Action.CONFIRM
        nxt = rules.allowed_next([s.kind for s in round_steps(matter)], step_set_of(matter), matter.merged)
        matter.stage = nxt[0]
        if step.kind == StepKind.RESOLUTION:
            matter.state = MatterState.RESOLVED
            matter.resolved_on = step.held_on
    matter.stage_since = step.held_on
    matter.save()
    audit.record(action, step, before={"state": StepState.DRAFT}, after={"state": step.state, "passed": step.passed, "outcome": step.outcome},
                 org_path=matter.org_path, actor=actor, note=f"确认{step.label}")
    if before != audit.snapshot(matter, MATTER_FIELDS):
        audit.record(audit.Action.UPDATE, matter, before=before, after=audit.snapshot(matter, MATTER_FIELDS), org_path=matter.org_path, actor=actor)
    return step


@transaction.atomic
def decide_after_failure(actor, matter, choice, reason):
    """After a failed vote the village ends the matter or sends it back to a new proposal (a new round); the failed
    round stays on the record."""
    matter = _locked(matter)
    require_manage(actor, matter.org)
    if matter.state != MatterState.FAILED:
        raise ValidationError("只有表决未通过的事项才能终止或重新提议")
    if choice not in AfterFailure.values:
        raise ValidationError({"choice": "请选择终止事项或重新提议"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请说明理由"})
    failed = matter.steps.filter(round=matter.round).order_by("-seq").first()
    Step.objects.filter(pk=failed.pk).update(after_failure=choice)
    before = audit.snapshot(matter, MATTER_FIELDS)
    if choice == AfterFailure.END:
        matter.state = MatterState.ENDED
    else:
        matter.state = MatterState.DELIBERATING
        matter.round += 1
        matter.stage = StepKind.PROPOSAL
    matter.stage_since = timezone.localdate()
    matter.save()
    audit.record(audit.Action.UPDATE, matter, before=before, after=audit.snapshot(matter, MATTER_FIELDS), org_path=matter.org_path,
                 actor=actor, note=f"{AfterFailure(choice).label}：{reason}")
    return matter


@transaction.atomic
def amend_step(actor, step, *, field, value, reason):
    """Correct the text of a confirmed step; the step stays as it was and the amendment is shown beside it. Numbers
    and votes are never amended: a wrong vote is a new round."""
    matter = step.matter
    require_manage(actor, matter.org)
    errors = {}
    if step.state != StepState.CONFIRMED:
        errors["field"] = "未确认的环节直接修改记录即可"
    elif step.kind in rules.DISCLOSURE_STEP_KINDS:
        errors["field"] = "已发布的公开内容以更正公告的方式更正"
    if field not in AMENDABLE:
        errors["field"] = "只能更正内容或地点；人数和票数不能更正"
    value = (value or "").strip()
    if not value:
        errors["value"] = "请填写更正后的内容"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写更正理由"
    if errors:
        raise ValidationError(errors)
    current = step.amendments.filter(field=field).order_by("-id").first()
    amendment = StepAmendment.objects.create(
        step=step, field=field, before=current.after if current else getattr(step, field), after=value, reason=reason, actor=actor
    )
    audit.record(audit.Action.CORRECT, step, before={field: amendment.before}, after={field: value}, org_path=matter.org_path, actor=actor,
                 note=reason)
    return amendment


# ---- the two disclosures ------------------------------------------------------------------------------------------


def default_disclosure_text(matter, kind):
    """A suggested title and body for the next disclosure, from the record."""
    if kind == StepKind.RESOLUTION_DISCLOSURE:
        steps = [s for s in round_steps(matter) if s.state == StepState.CONFIRMED]
        lines = [f"事项：{matter.title}（{matter.get_category_display()}）"]
        if matter.amount is not None:
            lines.append(f"涉及金额：{matter.amount} 元")
        for s in steps:
            line = f"{s.held_on:%Y年%m月%d日} {s.label}"
            if s.is_vote:
                line += f"：应到 {s.entitled} 人，实到 {s.present} 人，赞成 {s.votes_for} 票，反对 {s.votes_against} 票，弃权 {s.votes_abstain} 票，{'通过' if s.passed else '未通过'}"
            lines.append(line)
        resolution = next((s for s in reversed(steps) if s.kind == StepKind.RESOLUTION), None)
        if resolution:
            lines.append(f"决议内容：{resolution.content}")
        return f"关于“{matter.title}”的决议公开", "\n".join(lines)
    if kind == StepKind.PROGRESS_DISCLOSURE:
        return f"“{matter.title}”实施情况公开", ""
    return f"“{matter.title}”实施结果公开", ""


@transaction.atomic
def publish(actor, matter, kind, *, title, body, attachments=(), amount=None, held_on=None, min_posting_days=None):
    """Publish the next disclosure of a matter (the resolution, an implementation update, or the final result) on the
    public portal, and record it as a confirmed step."""
    from grassroots.disclosure import services as disclosure_services

    matter = _locked(matter)
    require_manage(actor, matter.org)
    _check_order(matter, kind)
    errors = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = "请填写公开标题"
    if not body:
        errors["body"] = "请填写公开内容"
    try:
        amount = _money(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    today = timezone.localdate()
    held_on = held_on or today
    if held_on > today:
        errors["held_on"] = "日期不能晚于今天"
    previous = _previous_date(matter)
    if previous and held_on < previous:
        errors["held_on"] = f"日期早于上一环节（{previous:%Y-%m-%d}）"
    if min_posting_days in ("", None):
        min_posting_days = rules.min_posting_days() if kind == StepKind.RESOLUTION_DISCLOSURE else None
    if errors:
        raise ValidationError(errors)
    deadline = None
    if kind == StepKind.RESOLUTION_DISCLOSURE and matter.resolved_on:
        deadline = matter.resolved_on + datetime.timedelta(days=rules.resolution_disclosure_days())
    elif kind == StepKind.RESULT_DISCLOSURE and matter.planned_completion:
        deadline = matter.planned_completion
    if amount is not None:
        body = f"{body}\n本期金额：{amount} 元"
    disclosure = disclosure_services.publish_disclosure(
        actor, matter.org, category=DISCLOSURE_CATEGORY[kind], title=title, body=body, attachments=attachments,
        min_posting_days=min_posting_days, source_label=f"四议两公开事项：{matter.title}", source_url=matter.public_url(), deadline=deadline,
    )
    seq = matter.steps.filter(round=matter.round).count() + 1
    step = Step.objects.create(
        matter=matter, round=matter.round, seq=seq, kind=kind, state=StepState.CONFIRMED, held_on=held_on, content=body, amount=amount,
        disclosure=disclosure, created_by=actor, confirmed_by=actor, confirmed_at=timezone.now(),
    )
    before = audit.snapshot(matter, MATTER_FIELDS)
    matter.last_disclosed_on = held_on
    if kind == StepKind.RESOLUTION_DISCLOSURE:
        matter.state = MatterState.IMPLEMENTING
        matter.public_since = timezone.now()
        matter.stage = StepKind.PROGRESS_DISCLOSURE
    elif kind == StepKind.PROGRESS_DISCLOSURE:
        matter.stage = StepKind.RESULT_DISCLOSURE
    else:
        matter.state = MatterState.RESULT_PUBLISHED
    matter.stage_since = held_on
    matter.save()
    audit.record(audit.Action.PUBLISH, step, after=audit.snapshot(step, STEP_FIELDS), org_path=matter.org_path, actor=actor, note=title)
    notifications.notify(  # the supervisory committee oversees every disclosure of the matter
        monitor_users(matter.org), title=f"{step.label}已发布：{matter.title}", body=title, link=matter.get_absolute_url(),
        kind=notifications.Kind.DISCLOSURE, org_path=matter.org_path,
    )
    audit.record(audit.Action.UPDATE, matter, before=before, after=audit.snapshot(matter, MATTER_FIELDS), org_path=matter.org_path, actor=actor)
    return step


def open_objections(matter):
    """Unanswered objections on any step of the matter or on any of its disclosures (corrections included)."""
    return Opinion.objects.filter(
        Q(matter=matter) | Q(disclosure__source_url=matter.public_url()), kind=OpinionKind.OBJECTION, answered_at__isnull=True
    )


@transaction.atomic
def close_matter(actor, matter):
    matter = _locked(matter)
    require_manage(actor, matter.org)
    if matter.state != MatterState.RESULT_PUBLISHED:
        raise ValidationError("实施结果公开后才能办结")
    count = open_objections(matter).count()
    if count:
        raise ValidationError(f"还有 {count} 条村务监督委员会的异议未答复，答复后才能办结")
    before = audit.snapshot(matter, MATTER_FIELDS)
    matter.state = MatterState.CLOSED
    matter.stage_since = timezone.localdate()
    matter.save()
    audit.record(audit.Action.UPDATE, matter, before=before, after=audit.snapshot(matter, MATTER_FIELDS), org_path=matter.org_path, actor=actor,
                 note="办结")
    return matter


# ---- opinions -----------------------------------------------------------------------------------------------------


def matter_of_disclosure(disclosure):
    """The matter a disclosure follows (from its source link), or None for a routine disclosure."""
    from django.urls import Resolver404, resolve

    if not disclosure.source_url:
        return None
    try:
        match = resolve(disclosure.source_url)
    except Resolver404:
        return None
    if match.view_name != "portal_matters:detail":
        return None
    return Matter.objects.filter(pk=match.kwargs["pk"], org_path=disclosure.org_path).first()


@transaction.atomic
def add_opinion(actor, *, kind, text, step=None, disclosure=None):
    """A supervisory committee member's opinion or objection on a step of a matter or on a disclosure."""
    if (step is None) == (disclosure is None):
        raise ValueError("an opinion is on a step or on a disclosure")
    org = step.matter.org if step else disclosure.org
    if not can_monitor(actor, org):
        raise Http404("找不到该记录")
    errors = {}
    if kind not in OpinionKind.values:
        errors["kind"] = "请选择意见或异议"
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写意见内容"
    if errors:
        raise ValidationError(errors)
    matter = Matter.objects.get(pk=step.matter_id) if step else matter_of_disclosure(disclosure)
    if matter and matter.state in (MatterState.CLOSED, MatterState.ENDED):
        raise ValidationError("该事项已办结（或已终止），不再接受意见")
    opinion = Opinion.objects.create(
        org=org, org_path=org.path, matter=step.matter if step else None, step=step, disclosure=disclosure, author=actor,
        author_name=actor.full_name or actor.get_username(), kind=kind, text=text,
    )
    audit.record(audit.Action.CREATE, opinion, after={"kind": kind, "text": text}, org_path=org.path, actor=actor)
    target = f"“{matter.title}”" if matter else f"公开内容“{disclosure.title}”"
    link = matter.get_absolute_url() if matter else f"/decisions/disclosures/{disclosure.pk}/opinion/"
    notifications.notify(
        [*village_users(org), *secretaries_of(org)] if kind == OpinionKind.OBJECTION else village_users(org),
        title=f"村务监督委员会对{target}提出{OpinionKind(kind).label}", body=text, link=link, kind=notifications.Kind.OBJECTION, org_path=org.path,
    )
    return opinion


@transaction.atomic
def answer_opinion(actor, opinion, answer):
    opinion = Opinion.objects.select_for_update(of=("self",)).select_related("org").get(pk=opinion.pk)
    require_manage(actor, opinion.org)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容"})
    if opinion.answered_at:
        raise ValidationError({"answer": "该意见已答复，答复不能修改"})
    opinion.answer, opinion.answered_by, opinion.answered_at = answer, actor, timezone.now()
    opinion.save()
    audit.record(audit.Action.ANSWER, opinion, after={"answer": answer}, org_path=opinion.org_path, actor=actor)
    notifications.notify([opinion.author_id], title=f"您提出的{opinion.get_kind_display()}已答复", body=answer, kind=notifications.Kind.OBJECTION,
                         org_path=opinion.org_path, link=opinion.matter.get_absolute_url() if opinion.matter_id else "")
    return opinion
