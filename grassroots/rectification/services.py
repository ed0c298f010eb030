"""Every change of this app: screening, cases, support, obligations, acceptance and 回潮 reopening. Each function
is atomic, checks the actor's rights and the notice's rules, and writes the audit log.

Who may act: managers (org_dept / secretary roles) covering the organization. A township (乡镇党委) manages the
candidates and cases of its villages; only the district confirms the screening; measures are signed off by the
township (the task list's organization), never by the village itself."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.ballots import rules as ballot_rules
from grassroots.ballots import services as ballots
from grassroots.ballots.choices import RoundState
from grassroots.ballots.results import share_at_least
from grassroots.core import audit, notifications, scoping
from grassroots.core.alerting import collect
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.members.rules import add_months
from grassroots.orgs.choices import Category, Kind
from grassroots.orgs.models import Organization
from grassroots.tracking import services as tracking

from . import rules
from .models import Acceptance, Candidate, Case, CaseEvent, Obligation, Screening, Stationed

UNIT_CATEGORIES = (Category.RURAL, Category.COMMUNITY)
SUBJECT_KEY = "case"
SATISFIED_KEYS = ("satisfied", "basically_satisfied")
KIND = notifications.Kind.RECTIFICATION


def _require_manage(actor, org, what="该党组织"):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied(f"您没有管理{what}整顿工作的权限")


def _reason(value, label="理由"):
    value = (value or "").strip()
    if not value:
        raise ValidationError({"reason": f"请填写{label}"})
    return value[:500]


def _event(case, label, note="", actor=None, on=None):
    return CaseEvent.objects.create(case=case, on=on or timezone.localdate(), label=label, note=note, actor=actor)


def record_event(case, label, note="", actor=None):
    """A line in the case's timeline written by another part that works through the case (supervision's 限期整改),
    which rectification itself does not import."""
    return _event(case, label[:40], note, actor)


# ---- the tree: units (villages, communities) and their townships --------------------------------------------------


def units_within(path):
    """Village and community organizations of the subtree: the topmost rural/community node of each chain (a
    village committee over its branches counts once). One query."""
    rows = list(
        Organization.objects.filter(path__startswith=path, is_active=True, category__in=UNIT_CATEGORIES).exclude(kind=Kind.GROUP)
        .order_by("path")
    )
    units, kept = [], []
    for org in rows:
        if not any(org.path.startswith(k) for k in kept):
            kept.append(org.path)
            units.append(org)
    return units


def unit_for_path(units, path):
    return next((u for u in units if path.startswith(u.path)), None)


def township_path(district, org):
    """The path of the township (the level right under the district) that `org` lies in, or "" when none."""
    depth_len = (district.depth + 1) * Organization.steplen
    return org.path[:depth_len] if len(org.path) > depth_len else ""


def district_of(org):
    """The county/district committee above `org`: the ancestor at depth 2 (city → district → township → village)."""
    if org.depth <= 2:
        return org
    return Organization.objects.get(path=org.path[: 2 * Organization.steplen])


def _township(district, org, cache=None):
    path = township_path(district, org)
    if not path:
        return None
    if cache is not None and path in cache:
        return cache[path]
    town = Organization.objects.filter(path=path).first()
    if cache is not None:
        cache[path] = town
    return town


# ---- screening -----------------------------------------------------------------------------------------------------


def evidence_by_unit(district, today, rule_set, units=None):
    """{unit org id: [evidence dict]} from every app's alerts inside the district, kept when the rule set names
    the signal and the local threshold is met (rules.signal_counts), attributed to the village/community above
    the organization that raised it."""
    units = units if units is not None else units_within(district.path)
    kinds = rule_set.kinds()
    found = collect([district.path], today, kinds=set(kinds))
    paths = dict(Organization.objects.filter(pk__in=list(found)).values_list("pk", "path"))
    result = {}
    for org_id, alerts in found.items():
        unit = unit_for_path(units, paths.get(org_id, "\0"))
        if unit is None:
            continue
        for a in alerts:
            if not rules.signal_counts(a.kind, a.since, today):
                continue
            result.setdefault(unit.pk, []).append({
                "kind": a.kind, "criterion": kinds[a.kind], "label": a.label, "evidence": a.evidence, "url": a.url,
                "since": a.since.isoformat() if a.since else None, "count": a.count, "org_id": org_id,
            })
    return result


@transaction.atomic
def start_screening(actor, district, year, today=None):
    """Open the district's screening of `year` and propose candidates from the platform's own data."""
    _require_manage(actor, district, "该县（区）")
    today = today or timezone.localdate()
    if Screening.objects.filter(org=district, year=year).exists():
        raise ValidationError({"year": f"{district} {year} 年的摸底排查已经建立"})
    rule_set = rules.rule_set_for(min(today, datetime.date(year, 12, 31)))
    screening = Screening.objects.create(org=district, org_path=district.path, year=year, rule_version=rule_set.version, created_by=actor)
    propose(actor, screening, today)
    audit.record(audit.Action.CREATE, screening, after={"year": year, "rules": rule_set.version}, org_path=district.path,
                 note=f"建立 {year} 年摸底排查", actor=actor)
    return screening


@transaction.atomic
def propose(actor, screening, today=None):
    """(Re)compute the proposed candidates: new evidence is added; a unit already decided keeps its decision."""
    _require_manage(actor, screening.org, "该县（区）")
    if screening.state != Screening.State.DRAFT:
        raise ValidationError("排查已确定，不能重新预警")
    today = today or timezone.localdate()
    rule_set = rules.rule_set_named(screening.rule_version)
    units = units_within(screening.org_path)
    by_unit = evidence_by_unit(screening.org, today, rule_set, units)
    existing = {c.org_id: c for c in screening.candidates.all()}
    towns = {}
    for unit in units:
        evidence = by_unit.get(unit.pk)
        if not evidence:
            continue
        problems = sorted({e["criterion"] for e in evidence})
        if unit.pk in existing:
            c = existing[unit.pk]
            c.evidence, c.problems = evidence, sorted(set(c.problems) | set(problems))
            c.save(update_fields=["evidence", "problems"])
        else:
            Candidate.objects.create(screening=screening, org=unit, org_path=unit.path, township=_township(screening.org, unit, towns),
                                     source=Candidate.Source.PROPOSED, evidence=evidence, problems=problems)
    screening.proposed_on = today
    screening.save(update_fields=["proposed_on"])
    return screening


def _clean_problems(screening_or_version, problems):
    version = screening_or_version if isinstance(screening_or_version, str) else screening_or_version.rule_version
    valid = {k for k, _ in rules.rule_set_named(version).choices()}
    problems = [p for p in dict.fromkeys(problems or []) if p]
    if not problems:
        raise ValidationError({"problems": "请至少选择一种问题类型"})
    if any(p not in valid for p in problems):
        raise ValidationError({"problems": "问题类型不在排查标准中"})
    return problems


@transaction.atomic
def add_candidate(actor, screening, org, *, problems, reason):
    """The township or district puts forward an organization the data did not flag (with its reason)."""
    _require_manage(actor, org)
    if screening.state != Screening.State.DRAFT:
        raise ValidationError("排查已确定，不能再增列")
    if not org.path.startswith(screening.org_path):
        raise ValidationError({"org": "该党组织不在本县（区）"})
    unit = unit_for_path(units_within(screening.org_path), org.path)
    if unit is None or unit.pk != org.pk:
        raise ValidationError({"org": "请选择村（社区）党组织"})
    problems = _clean_problems(screening, problems)
    reason = _reason(reason, "增列理由")
    c = Candidate.objects.filter(screening=screening, org=org).first()
    if c is not None and c.included:
        raise ValidationError({"org": f"{org} 已在排查对象中"})
    if c is None:
        c = Candidate.objects.create(screening=screening, org=org, org_path=org.path, township=_township(screening.org, org),
                                     source=Candidate.Source.ADDED, problems=problems, reason=reason, decided_by=actor)
    else:
        c.included, c.problems, c.reason, c.decided_by = True, sorted(set(c.problems) | set(problems)), reason, actor
        c.save(update_fields=["included", "problems", "reason", "decided_by"])
    audit.record(audit.Action.CREATE, c, after={"problems": c.problems, "reason": reason}, org_path=org.path, note=f"增列排查对象：{reason}", actor=actor)
    return c


@transaction.atomic
def exclude_candidate(actor, candidate, *, reason):
    """The township or district takes a proposed organization off the list (with its reason)."""
    _require_manage(actor, candidate.org)
    if candidate.screening.state != Screening.State.DRAFT:
        raise ValidationError("排查已确定，不能再剔除")
    if not candidate.included:
        raise ValidationError("该党组织已剔除")
    reason = _reason(reason, "剔除理由")
    candidate.included, candidate.reason, candidate.decided_by = False, reason, actor
    candidate.save(update_fields=["included", "reason", "decided_by"])
    audit.record(audit.Action.REJECT, candidate, after={"included": False, "reason": reason}, org_path=candidate.org_path,
                 note=f"剔除排查对象：{reason}", actor=actor)
    return candidate


def share_status(screening):
    """The district's share check: units, required counts (rules.village_share / community_share, rounded up),
    included counts, per-township counts and the even-split flag. Two queries."""
    units = units_within(screening.org_path)
    villages = [u for u in units if u.category == Category.RURAL]
    communities = [u for u in units if u.category == Category.COMMUNITY]
    included = list(screening.candidates.filter(included=True).select_related("org", "township"))
    in_villages = sum(1 for c in included if c.org.category == Category.RURAL)
    in_communities = sum(1 for c in included if c.org.category == Category.COMMUNITY)
    need_v = rules.required_count(len(villages), rules.village_share())
    need_c = rules.required_count(len(communities), rules.community_share())
    per_town = {}
    for c in included:
        name = str(c.township) if c.township else "直属"
        per_town[name] = per_town.get(name, 0) + 1
    towns_with_units = {township_path(screening.org, u) for u in units if township_path(screening.org, u)}
    even = rules.even_split(per_town) and len(per_town) == len(towns_with_units)
    return {
        "villages": len(villages), "communities": len(communities), "need_villages": need_v, "need_communities": need_c,
        "in_villages": in_villages, "in_communities": in_communities, "per_township": per_town, "even_split": even,
        "reached": in_villages >= need_v and in_communities >= need_c,
        "village_share": rules.village_share(), "community_share": rules.community_share(),
    }


@transaction.atomic
def confirm_screening(actor, screening, *, due_on, today=None):
    """The district confirms the list (it must reach the local share) and a case is opened for each organization."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    _require_manage(actor, screening.org, "该县（区）")
    if screening.state != Screening.State.DRAFT:
        raise ValidationError("排查已经确定")
    today = today or timezone.localdate()
    status = share_status(screening)
    if not status["reached"]:
        raise ValidationError(
            f"列入整顿的村 {status['in_villages']} 个、社区 {status['in_communities']} 个，未达到本县（区）应确定的"
            f"村 {status['need_villages']} 个（{status['village_share']:.0%}）、社区 {status['need_communities']} 个（{status['community_share']:.0%}）"
        )
    if not isinstance(due_on, datetime.date) or due_on <= today:
        raise ValidationError({"due_on": "请填写今天以后的整顿时限"})
    cases = []
    for c in screening.candidates.filter(included=True).select_related("org", "township"):
        cases.append(open_case(actor, c.org, year=screening.year, problems=c.problems, due_on=due_on, screening=screening,
                               evidence=c.evidence, problem_text=c.reason, today=today))
    screening.state, screening.confirmed_on = Screening.State.CONFIRMED, today
    screening.save(update_fields=["state", "confirmed_on"])
    audit.record(audit.Action.CONFIRM, screening, after={"cases": len(cases), **{k: status[k] for k in ("in_villages", "in_communities")}},
                 org_path=screening.org_path, note=f"确定 {screening.year} 年软弱涣散基层党组织 {len(cases)} 个"
                 + ("（各乡镇数量相同，请核实是否平均分配）" if status["even_split"] else ""), actor=actor)
    return cases


# ---- cases ---------------------------------------------------------------------------------------------------------


def case_url(case):
    return reverse("rectification:case", args=[case.pk])


@transaction.atomic
def open_case(actor, org, *, year, problems, due_on, screening=None, evidence=(), problem_text="", today=None):
    """One case per organization (一村一策): its measure list (tracking, issued by the township), and the
    notice's prescribed remedies as dated obligations."""
    today = today or timezone.localdate()
    district = screening.org if screening else district_of(org)
    town = _township(district, org) or district
    _require_manage(actor, town, "该乡镇（街道）")
    if Case.objects.open().filter(org=org).exists():
        raise ValidationError({"org": f"{org} 已有未销号的整顿台账"})
    version = screening.rule_version if screening else rules.rule_set_for(today).version
    problems = _clean_problems(version, problems)
    task_list = tracking.create_list(actor, town, title=f"{org} 整顿措施（{year}）", source="rectification.case", source_id=None)
    case = Case.objects.create(
        org=org, org_path=org.path, township=town if town != district else None, screening=screening, year=year, problems=problems,
        problem_text=(problem_text or "")[:2000], evidence=list(evidence), task_list=task_list, due_on=due_on, opened_on=today, created_by=actor,
    )
    task_list.source_id, task_list.source_url = case.pk, case_url(case)
    task_list.save(update_fields=["source_id", "source_url"])
    rule_set = rules.rule_set_named(version)
    remedy_due = min(due_on, today + datetime.timedelta(days=rules.remedy_days()))
    for key in problems:
        criterion = rule_set.criterion(key)
        if criterion and criterion.remedy:
            Obligation.objects.create(case=case, kind=criterion.remedy[0], label=criterion.remedy[1], due_on=remedy_due)
    _event(case, "列入整顿", "；".join(dict(rule_set.choices())[p] for p in problems), actor, today)
    audit.record(audit.Action.CREATE, case, after={"problems": problems, "due_on": due_on.isoformat()}, org_path=org.path,
                 note=f"列为软弱涣散基层党组织（{year}）", actor=actor)
    return case


def _lock(case):
    return Case.objects.select_for_update(of=("self",)).select_related("org", "township", "task_list__org").get(pk=case.pk)


DETACH_REFUSED = "整顿尚未验收销号，{what}不得脱钩（撤离）"


KEEP = object()  # "leave as it is" for set_support


@transaction.atomic
def set_support(actor, case, *, contact_leader=KEEP, contact_leader_user=KEEP, assisting_unit=KEEP):
    """Name the county-level contact leader and the assisting unit (an Organization). While the case is open, a
    named leader or unit cannot be removed or swapped: the notice forbids detaching before the case is closed."""
    case = _lock(case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    before = audit.snapshot(case, ["contact_leader", "contact_leader_user", "assisting_unit"])
    if contact_leader is not KEEP:
        contact_leader = (contact_leader or "").strip()[:50]
        if case.is_open and case.contact_leader and contact_leader != case.contact_leader:
            raise ValidationError({"contact_leader": DETACH_REFUSED.format(what="县级联系领导")})
        case.contact_leader = contact_leader
    if contact_leader_user is not KEEP:
        if case.is_open and case.contact_leader_user_id and getattr(contact_leader_user, "pk", None) != case.contact_leader_user_id:
            raise ValidationError({"contact_leader": DETACH_REFUSED.format(what="县级联系领导")})
        case.contact_leader_user = contact_leader_user
    if assisting_unit is not KEEP:
        if case.is_open and case.assisting_unit_id and getattr(assisting_unit, "pk", None) != case.assisting_unit_id:
            raise ValidationError({"assisting_unit": DETACH_REFUSED.format(what="帮扶单位")})
        case.assisting_unit = assisting_unit
        case.assisting_path = assisting_unit.path if assisting_unit else ""
    case.save(update_fields=["contact_leader", "contact_leader_user", "assisting_unit", "assisting_path"])
    after = audit.snapshot(case, ["contact_leader", "contact_leader_user", "assisting_unit"])
    if after != before:
        _event(case, "明确帮扶力量", f"联系领导：{case.contact_leader or '—'}；帮扶单位：{case.assisting_unit or '—'}", actor)
        audit.record(audit.Action.UPDATE, case, before=before, after=after, org_path=case.org_path, note="明确联系领导和帮扶单位", actor=actor)
    return case


@transaction.atomic
def add_stationed(actor, case, *, kind, name="", user=None, since=None):
    case = _lock(case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    if not case.is_open:
        raise ValidationError("整顿已销号，不再派驻")
    if kind not in Stationed.Kind.values:
        raise ValidationError({"kind": "请选择派驻类别"})
    name = (name or (getattr(user, "full_name", "") if user else "")).strip()
    if not name:
        raise ValidationError({"name": "请填写姓名或工作队名称"})
    row = Stationed.objects.create(case=case, kind=kind, name=name[:100], user=user, since=since or timezone.localdate())
    label = Stationed.Kind(kind).label
    _event(case, f"选派{label}", name, actor)
    if kind == Stationed.Kind.FIRST_SECRETARY:
        # the notice: a vacant secretary post is met by staffing it or by sending a first secretary
        case.obligations.filter(kind=rules.REMEDY_STAFF, met_on__isnull=True).update(met_on=row.since, how=f"选派第一书记 {name}")
    audit.record(audit.Action.CREATE, row, after={"kind": kind, "name": name, "user": getattr(user, "pk", None)}, org_path=case.org_path,
                 note=f"选派{label} {name}", actor=actor)
    return row


@transaction.atomic
def remove_stationed(actor, stationed, *, reason=""):
    """Refused while the case is open (stationed cadres and work teams stay until it is closed)."""
    case = _lock(stationed.case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    if case.is_open:
        raise ValidationError(DETACH_REFUSED.format(what=stationed.get_kind_display()))
    stationed.left_on = timezone.localdate()
    stationed.save(update_fields=["left_on"])
    audit.record(audit.Action.UPDATE, stationed, after={"left_on": stationed.left_on.isoformat()}, org_path=case.org_path,
                 note=f"{stationed} 撤离：{reason}", actor=actor)
    return stationed


def reporters(case):
    """Users who report progress on the case's measures besides the village itself: stationed cadres with an
    account and the assisting unit's contacts."""
    from grassroots.accounts.models import RoleAssignment
    from grassroots.core.roles import Role

    ids = list(case.stationed.filter(user__isnull=False, left_on__isnull=True).values_list("user_id", flat=True))
    if case.assisting_unit_id:
        ids += RoleAssignment.objects.filter(revoked_at__isnull=True, role=Role.ASSISTING_CONTACT, org_id=case.assisting_unit_id).values_list("user_id", flat=True)
    return list(dict.fromkeys(ids))


@transaction.atomic
def add_measure(actor, case, *, title, due_on, responsible_name="", responsible_user=None, detail=""):
    """A measure is a task of the case's list (tracking), done by the organization itself."""
    case = _lock(case)
    if not case.is_open:
        raise ValidationError("整顿已销号，不能再增加措施")
    extra = reporters(case)
    task = tracking.add_task(actor, case.task_list, title=title, due_on=due_on, detail=detail, assignee_org=case.org,
                             responsible_name=responsible_name, responsible_user=responsible_user, extra_reporters=extra)
    _event(case, "制定整改措施", f"{task.title}（{due_on:%Y-%m-%d} 前，{responsible_name or '—'}）", actor)
    return task


@transaction.atomic
def meet_obligation(actor, obligation, *, how, met_on=None):
    case = _lock(obligation.case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    if obligation.met_on:
        raise ValidationError("该事项已落实")
    how = _reason(how, "落实情况")
    met_on = met_on or timezone.localdate()
    if met_on > timezone.localdate():
        raise ValidationError({"met_on": "落实日期不能晚于今天"})
    obligation.met_on, obligation.how = met_on, how[:300]
    obligation.save(update_fields=["met_on", "how"])
    _event(case, obligation.label, f"已落实：{how}", actor, met_on)
    audit.record(audit.Action.CONFIRM, obligation, after={"met_on": met_on.isoformat(), "how": how}, org_path=case.org_path,
                 note=f"{obligation.label}：{how}", actor=actor)
    return obligation


# ---- acceptance ----------------------------------------------------------------------------------------------------


@transaction.atomic
def start_poll(actor, case, *, members=(), tokens=0, paper_members=0, paper_masses=0):
    """Open the satisfaction poll of members and the masses (满意/基本满意/不满意): accounts, QR-code links
    (returned once, raw) and paper ballots. Every measure must be signed off and every remedy met first."""
    case = _lock(case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    if case.stage not in (Case.Stage.OPEN, Case.Stage.REMEDIAL):
        raise ValidationError(f"整顿{case.get_stage_display()}，不能发起满意度测评")
    if not case.task_list.tasks.exists():
        raise ValidationError("尚未制定整改措施，不能发起满意度测评")
    tracking.require_all_signed_off(case.task_list)
    pending = case.obligations.filter(met_on__isnull=True).count()
    if pending:
        raise ValidationError(f"尚有 {pending} 项规定整改事项（配强书记、调整、整顿班子）未落实，不能发起满意度测评")
    round = ballots.create_round(
        actor, case.task_list.org, title=f"{case.org} 整顿满意度测评", source="rectification.case", source_id=case.pk,
        source_url=case_url(case), grade_set=ballot_rules.GRADES_SATISFACTION, subjects=[(SUBJECT_KEY, f"{case.org}整顿成效")],
    )
    raw = []
    if members or paper_members:
        ballots.add_voters(actor, round, "member", users=list(members), paper=paper_members)
    if tokens or paper_masses:
        raw = ballots.add_voters(actor, round, "masses", tokens=tokens, paper=paper_masses)
    ballots.open_round(actor, round)
    Acceptance.objects.create(case=case, round=round, threshold=rules.satisfaction_threshold())
    case.stage = Case.Stage.POLLING
    case.save(update_fields=["stage"])
    _event(case, "满意度测评", f"党员 {len(members) + paper_members} 人、群众 {tokens + paper_masses} 人", actor)
    audit.record(audit.Action.UPDATE, case, before={"stage": "open"}, after={"stage": case.stage, "round": round.pk},
                 org_path=case.org_path, note="发起群众满意度测评", actor=actor)
    return round, raw


def current_acceptance(case):
    return case.acceptances.filter(passed__isnull=True).select_related("round").first()


@transaction.atomic
def accept(actor, case, *, note="", today=None):
    """验收: only on a closed satisfaction poll. At or above the threshold the case is closed (销号) and watched;
    below it the failed acceptance is kept and the case goes back to 补课 with a new deadline."""
    case = _lock(case)
    _require_manage(actor, case.task_list.org, "该乡镇（街道）")
    today = today or timezone.localdate()
    acceptance = current_acceptance(case)
    if acceptance is None:
        raise ValidationError("未经群众满意度测评，不能验收：请先发起满意度测评")
    if acceptance.round.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        raise ValidationError("满意度测评尚未截止，不能验收")
    share = share_at_least(acceptance.round, SUBJECT_KEY, SATISFIED_KEYS)
    if share is None:
        raise ValidationError("满意度测评没有收到任何评价，不能验收")
    passed = share >= acceptance.threshold
    acceptance.satisfaction, acceptance.passed, acceptance.decided_on, acceptance.decided_by = share, passed, today, actor
    acceptance.note = (note or "").strip()[:500]
    acceptance.save(update_fields=["satisfaction", "passed", "decided_on", "decided_by", "note"])
    if passed:
        case.stage, case.closed_on, case.watch_until = Case.Stage.CLOSED, today, add_months(today, rules.watch_months())
        case.save(update_fields=["stage", "closed_on", "watch_until"])
        _event(case, "验收销号", f"满意度 {share:.1%}（要求 {acceptance.threshold:.0%}），巩固观察至 {case.watch_until:%Y-%m-%d}", actor, today)
        audit.record(audit.Action.ACCEPT, case, before={"stage": Case.Stage.POLLING}, after={"stage": case.stage, "satisfaction": str(share)},
                     org_path=case.org_path, note=f"验收销号，满意度 {share:.1%}", actor=actor)
    else:
        reason = f"满意度 {share:.1%} 低于 {acceptance.threshold:.0%}，验收未通过，补课"
        _reopen(case, reason, actor, today)
    return acceptance


def _reopen(case, reason, actor, today):
    before = {"stage": case.stage}
    case.stage = Case.Stage.REMEDIAL
    case.reopen_count += 1
    case.reopen_reason = reason[:500]
    case.due_on = today + datetime.timedelta(days=rules.remedial_days())
    case.closed_on = None
    case.save(update_fields=["stage", "reopen_count", "reopen_reason", "due_on", "closed_on"])
    _event(case, "重新整顿（补课）", f"{reason}；新时限 {case.due_on:%Y-%m-%d}", actor, today)
    audit.record(audit.Action.REOPEN, case, before=before, after={"stage": case.stage, "due_on": case.due_on.isoformat()},
                 org_path=case.org_path, note=reason, actor=actor)
    notifications.notify(tracking.list_managers(case.task_list), title=f"{case.org} 重新整顿（补课）", body=reason, link=case_url(case),
                         kind=KIND, org_path=case.org_path)


def relapse_signals(case, today):
    """The screening signals of the case's own problems found again for its organization (evidence dicts)."""
    rule_set = rules.rule_set_named(case.screening.rule_version if case.screening_id else rules.rule_set_for(today).version)
    kinds = {k for k, criterion in rule_set.kinds().items() if criterion in case.problems}
    if not kinds:
        return []
    found = collect([case.org_path], today, kinds=kinds)
    return [
        {"kind": a.kind, "label": a.label, "evidence": a.evidence}
        for alerts in found.values() for a in alerts if rules.signal_counts(a.kind, a.since, today)
    ]


def check_relapses(today=None):
    """Daily (jobs.py): closed cases still inside their watch period whose screening signals have returned are
    reopened automatically (补课), saying which signals."""
    today = today or timezone.localdate()
    reopened = []
    for case in Case.objects.filter(stage=Case.Stage.CLOSED, watch_until__gte=today).select_related("org", "screening", "task_list"):
        signals = relapse_signals(case, today)
        if not signals:
            continue
        with transaction.atomic():
            locked = _lock(case)
            if locked.stage != Case.Stage.CLOSED:
                continue
            reason = "巩固期内出现回潮：" + "；".join(f"{s['label']}（{s['evidence']}）" for s in signals)
            _reopen(locked, reason, None, today)
            reopened.append(locked)
    return reopened


def send_reminders(today=None):
    """Daily (jobs.py): remind the township and district of remedies due within rules.reminder_days or overdue
    (once a day per obligation). Returns the number of obligations reminded."""
    today = today or timezone.localdate()
    due = (
        Obligation.objects.filter(met_on__isnull=True, due_on__lte=today + datetime.timedelta(days=rules.reminder_days()))
        .exclude(reminded_on=today).exclude(case__stage=Case.Stage.CLOSED).select_related("case__org", "case__task_list__org")
    )
    from grassroots.accounts.models import RoleAssignment
    from grassroots.core.roles import MANAGING_ROLES

    n = 0
    for ob in due:
        case = ob.case
        paths = [case.task_list.org.path, case.org_path[: 2 * Organization.steplen]]
        users = RoleAssignment.objects.filter(revoked_at__isnull=True, role__in=MANAGING_ROLES, org__path__in=paths).values_list("user_id", flat=True)
        late = "已逾期" if ob.due_on < today else "即将到期"
        notifications.notify(list(users), title=f"{case.org}：{ob.label}{late}", body=f"时限 {ob.due_on:%Y-%m-%d}", link=case_url(case),
                             kind=KIND, org_path=case.org_path)
        ob.reminded_on = today
        ob.save(update_fields=["reminded_on"])
        n += 1
    return n
