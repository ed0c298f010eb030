"""Every change in the leaders app: one function per business action (transaction, permission, rules, audit)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.core import audit, crypto, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.pinyin import initials
from grassroots.orgs import services as org_services
from grassroots.orgs.models import Post

from . import rules
from .choices import PARTY_SEATS, STAGE_ORDER, Body, ReserveEventKind, Seat, SignOffResult, Source, Stage
from .models import (
    Attendance,
    Candidate,
    Course,
    Election,
    ElectionPlan,
    ExitAudit,
    Reserve,
    ReserveEvent,
    Review,
    SignOff,
    Term,
    Voter,
)

ELECTION_FIELDS = ["stage", "party_seats", "villagers_seats", "vote_on", "term_start", "term_end", "roll_hash", "roll_size",
                   "party_cast", "villagers_cast", "party_roll_size", "reported_on", "closed_on"]


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该村（社区）的权限")


def _lock(election):
    return Election.objects.select_for_update().select_related("org").get(pk=election.pk)


def _record(action, obj, actor, org_path, note="", before=None, after=None):
    audit.record(action, obj, actor=actor, org_path=org_path, note=note, before=before, after=after)


def _text(value, label, field, max_length=200, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 字"})
    return value


# ---- plans and elections ------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(actor, org, *, title, year, starts_on, ends_on, summary=""):
    """A district's (township's) election plan for one round."""
    _require_manage(actor, org)
    title = _text(title, "方案名称", "title")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "完成日期不能早于开始日期"})
    plan = ElectionPlan.objects.create(org=org, org_path=org.path, title=title, year=year, starts_on=starts_on, ends_on=ends_on,
                                       summary=summary or "", created_by=actor)
    _record(audit.Action.CREATE, plan, actor, org.path, note=f"制定换届方案《{title}》")
    return plan


@transaction.atomic
def create_election(actor, org, *, plan=None, title="", party_seats=5, villagers_seats=5, vote_on=None):
    from grassroots.orgs.choices import Category

    _require_manage(actor, org)
    if org.category not in (Category.RURAL, Category.COMMUNITY):
        raise ValidationError("换届选举只适用于村、社区党组织")
    if plan is not None and not org.path.startswith(plan.org_path):
        raise ValidationError({"plan": "所选换届方案不覆盖该村（社区）"})
    if Election.objects.filter(org=org).exclude(stage=Stage.CLOSED).exists():
        raise ValidationError("该村（社区）已有一次尚未结束的换届选举")
    for field, seats in (("party_seats", party_seats), ("villagers_seats", villagers_seats)):
        if not 3 <= seats <= 9:
            raise ValidationError({field: "应选名额应在 3 到 9 名之间"})
    title = (title or "").strip() or f"{org.short_name or org.name}{(vote_on or timezone.localdate()).year}年换届选举"
    election = Election.objects.create(org=org, org_path=org.path, plan=plan, title=title[:200], party_seats=party_seats,
                                       villagers_seats=villagers_seats, vote_on=vote_on)
    _record(audit.Action.CREATE, election, actor, org.path, after=audit.snapshot(election, ELECTION_FIELDS))
    return election


def _require_stage(election, *stages, what):
    if election.stage not in stages:
        names = "、".join(Stage(s).label for s in stages)
        raise ValidationError(f"当前环节为“{election.get_stage_display()}”，{what}只能在“{names}”环节进行")


@transaction.atomic
def add_candidate(actor, election, *, body, seat, name, gender, birth_date, education="", member=None, incumbent=None):
    """A candidate for vetting (before nomination)."""
    _require_manage(actor, election.org)
    election = _lock(election)
    _require_stage(election, Stage.PLAN, Stage.VETTING, what="登记候选人")
    name = _text(name, "姓名", "name", 50)
    if body not in Body.values or seat not in Seat.values:
        raise ValidationError({"seat": "请选择委员会和拟任职务"})
    if (seat in PARTY_SEATS) != (body == Body.PARTY):
        raise ValidationError({"seat": "拟任职务与委员会不符"})
    if body == Body.PARTY and member is None:
        raise ValidationError({"member": "党组织委员会候选人须为党员，请选择党员"})
    if member is not None and not scoping.covers(scoping.record_paths(actor), member.org_path):
        raise ValidationError({"member": "所选党员不在您的管理范围内"})
    if incumbent is None:
        incumbent = member is not None and Post.objects.current().filter(org=election.org, holder=member).exists()
    candidate = Candidate.objects.create(election=election, body=body, seat=seat, name=name, member=member, gender=gender,
                                         birth_date=birth_date, education=education or "", incumbent=bool(incumbent))
    _record(audit.Action.CREATE, candidate, actor, election.org_path, note=f"登记候选人 {name}（{candidate.get_seat_display()}）")
    return candidate


@transaction.atomic
def add_voters(actor, election, keys, group=""):
    """Add voters to the roll by their identity (an ID number); only a keyed hash is stored. Refused once frozen."""
    _require_manage(actor, election.org)
    election = _lock(election)
    if election.roll_frozen_at:
        raise ValidationError("选民名单已冻结，不能再增减选民")
    hashes = {crypto.lookup_hash(k) for k in keys if (k or "").strip()}
    if not hashes:
        raise ValidationError({"keys": "请填写选民身份证号，每行一个"})
    existing = set(Voter.objects.filter(election=election, key_hash__in=hashes).values_list("key_hash", flat=True))
    Voter.objects.bulk_create([Voter(election=election, key_hash=h, group=group[:50]) for h in sorted(hashes - existing)])
    _record(audit.Action.UPDATE, election, actor, election.org_path, note=f"选民名单增加 {len(hashes - existing)} 人")
    return len(hashes - existing)


def roll_fingerprint(election):
    return rules.roll_hash(Voter.objects.filter(election=election).values_list("key_hash", flat=True))


def roll_intact(election):
    """Whether the roll still matches the fingerprint taken when it was frozen."""
    return bool(election.roll_hash) and roll_fingerprint(election) == election.roll_hash


@transaction.atomic
def sign_off(actor, candidate, *, body, result, hits=(), note=""):
    """One body's sign-off in 资格联审. A hit on the negative list makes the result 不通过."""
    election = _lock(candidate.election)
    _require_manage(actor, election.org)
    _require_stage(election, Stage.VETTING, what="资格联审")
    bodies = dict(rules.vetting_bodies())
    if body not in bodies:
        raise ValidationError({"body": "不是联审部门"})
    items = dict(rules.negative_list())
    hits = list(dict.fromkeys(hits))
    bad = [h for h in hits if h not in items]
    if bad:
        raise ValidationError({"hits": "不是负面清单中的情形"})
    if result not in SignOffResult.values:
        raise ValidationError({"result": "请选择联审结论"})
    if hits and result == SignOffResult.PASS:
        raise ValidationError({"result": "存在负面清单情形的，联审结论不能为“通过”"})
    if result == SignOffResult.FAIL and not (hits or (note or "").strip()):
        raise ValidationError({"note": "不通过的，请选择负面清单情形或写明意见"})
    if SignOff.objects.filter(candidate=candidate, body=body).exists():
        raise ValidationError({"body": f"{bodies[body]}已对该候选人签署意见"})
    signoff = SignOff.objects.create(candidate=candidate, body=body, result=result, hits=hits, note=(note or "")[:255], signed_by=actor)
    _record(audit.Action.SIGN, candidate, actor, election.org_path, after={"body": body, "result": result, "hits": hits},
            note=f"{bodies[body]}联审{candidate.name}：{SignOffResult(result).label}" + (f"（{'、'.join(items[h] for h in hits)}）" if hits else ""))
    return signoff


def vetting_state(candidate, signoffs=None):
    """(complete, blocked, hits): all bodies signed; any not passed; the negative-list items found."""
    signoffs = list(candidate.signoffs.all()) if signoffs is None else signoffs
    done = {s.body for s in signoffs}
    hits = [h for s in signoffs for h in s.hits]
    blocked = any(s.result != SignOffResult.PASS for s in signoffs)
    return done >= {k for k, _ in rules.vetting_bodies()}, blocked, hits


@transaction.atomic
def nominate(actor, candidate):
    """Nominate a vetted candidate; refused while vetting is incomplete or when the negative list is hit."""
    election = _lock(candidate.election)
    _require_manage(actor, election.org)
    _require_stage(election, Stage.NOMINATION, what="提名候选人")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    complete, blocked, hits = vetting_state(candidate)
    if hits:
        items = dict(rules.negative_list())
        raise ValidationError(f"{candidate.name}存在负面清单情形（{'、'.join(items.get(h, h) for h in hits)}），不能提名")
    if blocked:
        raise ValidationError(f"{candidate.name}资格联审未通过，不能提名")
    if not complete:
        raise ValidationError(f"{candidate.name}资格联审尚未完成，不能提名")
    if candidate.nominated:
        raise ValidationError(f"{candidate.name}已提名")
    candidate.nominated = True
    candidate.save(update_fields=["nominated"])
    _record(audit.Action.APPROVE, candidate, actor, election.org_path, note=f"提名{candidate.name}为{candidate.get_seat_display()}候选人")
    return candidate


def _party_roll_size(org):
    from grassroots.members.choices import Status
    from grassroots.members.models import Member

    return Member.objects.in_register().filter(org_path__startswith=org.path, status=Status.FULL).count()


@transaction.atomic
def advance(actor, election):
    """Move to the next stage, in order, once the current one is done. Leaving nomination freezes the roll."""
    _require_manage(actor, election.org)
    election = _lock(election)
    before = audit.snapshot(election, ELECTION_FIELDS)
    stage = election.stage
    if stage in (Stage.REPORT, Stage.CLOSED):
        raise ValidationError("报备环节请使用“报乡镇备案并结束”")
    candidates = list(election.candidates.prefetch_related("signoffs"))
    if stage == Stage.PLAN:
        if election.plan_id is None:
            raise ValidationError("请先关联区（县）换届工作方案")
        if not candidates:
            raise ValidationError("请先登记候选人初步人选")
    elif stage == Stage.VETTING:
        pending = [c.name for c in candidates if not vetting_state(c, list(c.signoffs.all()))[0]]
        if pending:
            raise ValidationError(f"以下人选资格联审尚未完成：{'、'.join(pending)}")
    elif stage == Stage.NOMINATION:
        for body in (Body.PARTY, Body.VILLAGERS):
            if not any(c.nominated and c.body == body for c in candidates):
                raise ValidationError(f"{Body(body).label}还没有提名的候选人")
        if not election.voters.exists():
            raise ValidationError("选民名单为空，请先登记选民")
        election.roll_size = election.voters.count()
        election.roll_hash = roll_fingerprint(election)
        election.roll_frozen_at = timezone.now()
        election.party_roll_size = _party_roll_size(election.org)
    elif stage == Stage.VOTE:
        if election.party_cast is None or election.villagers_cast is None:
            raise ValidationError("请先录入两委选举的计票结果")
    election.stage = STAGE_ORDER[STAGE_ORDER.index(stage) + 1]
    election.save()
    note = f"进入“{election.get_stage_display()}”环节"
    if election.stage == Stage.VOTE:
        note += f"；选民名单冻结，共 {election.roll_size} 人，指纹 {election.roll_hash[:16]}…"
    _record(audit.Action.UPDATE, election, actor, election.org_path, before=before, after=audit.snapshot(election, ELECTION_FIELDS), note=note)
    return election


def _cap(candidates, seats, single_seats):
    """Elected: a majority, highest votes first, at most one per single seat and `seats` in all."""
    taken, chosen = set(), []
    for c in sorted(candidates, key=lambda c: -(c.votes or 0)):
        if not c.elected:
            continue
        if len(chosen) >= seats or (c.seat in single_seats and c.seat in taken):
            c.elected = False
            continue
        taken.add(c.seat)
        chosen.append(c)


@transaction.atomic
def record_count(actor, election, *, body, ballots_cast, votes):
    """The count of one committee's vote: ballots cast against the frozen roll, each nominee's votes
    ({candidate_id: votes}); elected are those with more than half of the ballots cast, within the seats."""
    _require_manage(actor, election.org)
    election = _lock(election)
    _require_stage(election, Stage.VOTE, what="录入计票结果")
    if not election.roll_frozen_at or not roll_intact(election):
        raise ValidationError("选民名单与冻结时的指纹不符，不能计票")
    nominees = {c.pk: c for c in election.candidates.filter(body=body, nominated=True)}
    votes = {int(k): int(v) for k, v in votes.items()}
    unknown = set(votes) - set(nominees)
    if unknown:
        raise ValidationError({"votes": "得票中有不是本委员会正式候选人的人选"})
    roll = election.party_roll_size if body == Body.PARTY else election.roll_size
    seats = election.party_seats if body == Body.PARTY else election.villagers_seats
    message = rules.count_error(ballots_cast, roll, {nominees[k].name: v for k, v in votes.items()}, seats)
    if message:
        raise ValidationError({"ballots_cast": message})
    if not rules.turnout_valid(ballots_cast, roll):
        raise ValidationError({"ballots_cast": f"投票人数 {ballots_cast} 未超过应参加人数 {roll} 的半数，选举无效，请重新组织投票"})
    for c in nominees.values():
        c.votes = votes.get(c.pk, 0)
        c.elected = rules.elected(c.votes, ballots_cast)
    _cap(nominees.values(), seats, {Seat.SECRETARY, Seat.DIRECTOR})
    Candidate.objects.bulk_update(nominees.values(), ["votes", "elected"])
    setattr(election, "party_cast" if body == Body.PARTY else "villagers_cast", ballots_cast)
    election.save()
    _record(audit.Action.VOTE, election, actor, election.org_path, after={"body": body, "ballots_cast": ballots_cast, "votes": votes},
            note=f"录入{Body(body).label}计票结果：投票 {ballots_cast} 人，当选 {sum(c.elected for c in nominees.values())} 人")
    return election


def post_title(seat, org):
    """The orgs.PostTitle a seat is written as: Party committee seats as they are; the villagers' committee seats as
    村委会主任/副主任/委员 in a village, 居委会主任/副主任/委员 in a community."""
    from grassroots.orgs.choices import Category, PostTitle

    if seat in PARTY_SEATS:
        return seat
    community = org.category == Category.COMMUNITY
    return {
        Seat.DIRECTOR: PostTitle.RESIDENTS_DIRECTOR if community else PostTitle.VILLAGE_DIRECTOR,
        Seat.DEPUTY_DIRECTOR: PostTitle.RESIDENTS_DEPUTY if community else PostTitle.VILLAGE_DEPUTY,
        Seat.VILLAGERS_MEMBER: PostTitle.RESIDENTS_MEMBER if community else PostTitle.VILLAGE_MEMBER,
    }[seat]


def outgoing_posts(election):
    """The current posts of both committees that closing the election ends: held by someone not elected to them. Every
    post of the outgoing Party committee ends (组织委员, 宣传委员 … too: the new committee assigns its own division of
    work); a Party group's leader is not a committee post."""
    from grassroots.orgs.choices import PostTitle

    org = election.org
    keep = {(c.member_id, post_title(c.seat, org)) for c in election.candidates.filter(elected=True, member__isnull=False)}
    return [p for p in Post.objects.current().filter(org=org).exclude(title=PostTitle.GROUP_LEADER).select_related("org", "holder")
            if (p.holder_id, p.title) not in keep]


def audits_missing(election):
    """Why closing is refused for want of audits ("" when it is not): at least one finished audit of the election;
    and, unless a finished term (任期) audit covers the term, a finished exit (离任) audit for each outgoing
    secretary and villagers' (residents') committee director (村级主要负责人离任经济责任审计)."""
    from grassroots.orgs.choices import DIRECTOR_TITLES, PostTitle

    from .choices import AuditKind

    finished = list(election.audits.filter(finished_on__isnull=False).values_list("kind", "person_name"))
    if not finished:
        return "离任（任期）审计尚未完成，不能结束换届选举"
    if any(kind == AuditKind.TERM for kind, _ in finished):
        return ""
    audited = {name for kind, name in finished if kind == AuditKind.EXIT}
    leaders = {PostTitle.SECRETARY, *DIRECTOR_TITLES}
    missing = sorted({f"{p.holder.name}（{p.get_title_display()}）" for p in outgoing_posts(election)
                      if p.title in leaders and p.holder.name not in audited})
    if missing:
        return f"以下离任人员尚未完成离任审计：{'、'.join(missing)}（或完成一项任期审计），不能结束换届选举"
    return ""


def _write_posts(actor, election, start):
    """End the outgoing posts of both committees and appoint the elected, through orgs.services. The villagers'
    committee posts are written for elected Party members (an orgs.Post's holder is a Member); an elected villager
    who is not a member is kept in this app's candidate and term records only."""
    org = election.org
    elected = [c for c in election.candidates.filter(elected=True).select_related("member") if c.member_id]
    for post in outgoing_posts(election):
        end = max(post.started_on, start - datetime.timedelta(days=1))
        org_services.end_post(actor, post, min(end, timezone.localdate()))
    current = {(p.holder_id, p.title): p for p in Post.objects.current().filter(org=org)}
    for c in elected:
        title = post_title(c.seat, org)
        post = current.get((c.member_id, title)) or org_services.appoint_post(
            actor, org, title=title, holder=c.member, started_on=start, note=f"{election.title}当选")
        c.post = post
        c.save(update_fields=["post"])


@transaction.atomic
def close_election(actor, election, *, reported_on):
    """Report to the township and close: needs the exit (or term) audit finished; writes the new posts and terms."""
    _require_manage(actor, election.org)
    election = _lock(election)
    _require_stage(election, Stage.REPORT, what="报备并结束")
    missing = audits_missing(election)
    if missing:
        raise ValidationError(missing)
    today = timezone.localdate()
    if reported_on > today:
        raise ValidationError({"reported_on": "报备日期不能晚于今天"})
    for body in (Body.PARTY, Body.VILLAGERS):
        if not election.candidates.filter(body=body, elected=True).exists():
            raise ValidationError(f"{Body(body).label}没有当选人，不能结束")
    before = audit.snapshot(election, ELECTION_FIELDS)
    start = min(election.vote_on or reported_on, today)
    _write_posts(actor, election, start)
    end = rules.term_end(start)
    for body in (Body.PARTY, Body.VILLAGERS):
        Term.objects.create(org=election.org, org_path=election.org_path, body=body, starts_on=start, ends_on=end, election=election)
    org_services.update_organization(actor, election.org, {"term_start": start, "term_end": end})
    election.term_start, election.term_end = start, end
    election.reported_on, election.closed_on, election.stage = reported_on, today, Stage.CLOSED
    election.save()
    _record(audit.Action.CLOSE, election, actor, election.org_path, before=before, after=audit.snapshot(election, ELECTION_FIELDS),
            note=f"报乡镇（街道）备案并结束换届，新一届任期 {start} 至 {end}")
    return election


# ---- exit audits --------------------------------------------------------------------------------------------------

AUDIT_FIELDS = ["kind", "person_name", "post_label", "scope", "auditor", "findings", "follow_up", "finished_on", "election"]


@transaction.atomic
def create_audit(actor, org, *, kind, person_name, post_label, scope, auditor, election=None):
    _require_manage(actor, org)
    if election is not None and election.org_id != org.pk:
        raise ValidationError({"election": "所选换届选举不属于该村（社区）"})
    record = ExitAudit.objects.create(
        org=org, org_path=org.path, election=election, kind=kind, person_name=_text(person_name, "被审计人", "person_name", 50),
        post_label=_text(post_label, "职务", "post_label", 50), scope=_text(scope, "审计范围", "scope", 255),
        auditor=_text(auditor, "审计单位", "auditor", 100))
    _record(audit.Action.CREATE, record, actor, org.path, after=audit.snapshot(record, AUDIT_FIELDS))
    return record


@transaction.atomic
def finish_audit(actor, record, *, findings, follow_up, finished_on):
    _require_manage(actor, record.org)
    record = ExitAudit.objects.select_for_update().get(pk=record.pk)
    if record.disclosure_id:
        raise ValidationError("审计结果已公开，不能修改")
    if finished_on > timezone.localdate():
        raise ValidationError({"finished_on": "完成日期不能晚于今天"})
    before = audit.snapshot(record, AUDIT_FIELDS)
    record.findings = _text(findings, "审计发现", "findings", 5000)
    record.follow_up = (follow_up or "").strip()
    record.finished_on = finished_on
    record.save()
    _record(audit.Action.UPDATE, record, actor, record.org_path, before=before, after=audit.snapshot(record, AUDIT_FIELDS), note="审计完成")
    return record


@transaction.atomic
def publish_audit(actor, record):
    """Publish the findings on the village's public page (disclosure portal, hash-chained)."""
    from grassroots.disclosure import services as disclosure_services
    from grassroots.orgs.choices import Category

    _require_manage(actor, record.org)
    record = ExitAudit.objects.select_for_update().select_related("org").get(pk=record.pk)
    if not record.finished_on:
        raise ValidationError("审计尚未完成，不能公开")
    if record.disclosure_id:
        raise ValidationError("审计结果已经公开")
    category = "residents" if record.org.category == Category.COMMUNITY else "village"
    body = (f"被审计人：{record.person_name}（{record.post_label}）\n审计单位：{record.auditor}\n审计范围：{record.scope}\n"
            f"审计发现：{record.findings}\n整改落实：{record.follow_up or '—'}")
    disclosure = disclosure_services.publish_disclosure(
        actor, record.org, category=category, title=f"{record.person_name}{record.get_kind_display()}结果公开", body=body,
        source_label="离任（任期）审计", source_url=record.get_absolute_url())
    record.disclosure = disclosure
    record.save(update_fields=["disclosure"])
    _record(audit.Action.PUBLISH, record, actor, record.org_path, note=f"公开{record}")
    return record


# ---- reserve talent pool -------------------------------------------------------------------------------------------


def _clean_reserve(data):
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写姓名"
    if data.get("source") not in Source.values:
        errors["source"] = "请选择来源"
    if not data.get("birth_date"):
        errors["birth_date"] = "请填写出生日期"
    if data.get("gender") not in ("male", "female"):
        errors["gender"] = "请选择性别"
    id_number = (data.get("id_number") or "").strip().upper()
    if id_number:
        from grassroots.members.rules import parse_id_number

        try:
            parse_id_number(id_number)
        except ValueError as exc:
            errors["id_number"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return name, id_number


@transaction.atomic
def add_reserve(actor, org, data):
    """Put a person into the reserve pool (入库). ID number and phone are encrypted; only masks are shown."""
    _require_manage(actor, org)
    name, id_number = _clean_reserve(data)
    member = data.get("member")
    if member is not None and not scoping.covers(scoping.record_paths(actor), member.org_path):
        raise ValidationError({"member": "所选党员不在您的管理范围内"})
    if id_number and Reserve.objects.filter(id_number_hash=crypto.lookup_hash(id_number), left_on__isnull=True).exists():
        raise ValidationError({"id_number": "此人已在后备人才库中"})
    phone = (data.get("phone") or "").strip()
    entered_on = data.get("entered_on") or timezone.localdate()
    reserve = Reserve.objects.create(
        org=org, org_path=org.path, name=name, initials=initials(name), member=member, gender=data["gender"],
        birth_date=data["birth_date"], education=data.get("education") or "", source=data["source"],
        target_post=(data.get("target_post") or "")[:50], entered_on=entered_on,
        id_number_encrypted=crypto.encrypt(id_number), id_number_hash=crypto.lookup_hash(id_number),
        id_number_masked=crypto.mask_id_number(id_number), phone_encrypted=crypto.encrypt(phone), phone_masked=crypto.mask_phone(phone),
    )
    ReserveEvent.objects.create(reserve=reserve, kind=ReserveEventKind.ENTER, happened_on=entered_on,
                                note=(data.get("reason") or "入库").strip()[:255], recorded_by=actor)
    _record(audit.Action.CREATE, reserve, actor, org.path, note=f"{name}入后备人才库（{reserve.get_source_display()}）")
    return reserve


@transaction.atomic
def leave_reserve(actor, reserve, *, left_on, reason):
    _require_manage(actor, reserve.org)
    reserve = Reserve.objects.select_for_update().get(pk=reserve.pk)
    if reserve.left_on:
        raise ValidationError("此人已出库")
    reason = _text(reason, "出库原因", "reason", 200)
    if left_on < reserve.entered_on or left_on > timezone.localdate():
        raise ValidationError({"left_on": "出库日期应在入库日期和今天之间"})
    reserve.left_on, reserve.left_reason = left_on, reason
    reserve.save(update_fields=["left_on", "left_reason"])
    ReserveEvent.objects.create(reserve=reserve, kind=ReserveEventKind.LEAVE, happened_on=left_on, note=reason, recorded_by=actor)
    _record(audit.Action.UPDATE, reserve, actor, reserve.org_path, note=f"{reserve.name}出库：{reason}")
    return reserve


@transaction.atomic
def record_reserve_event(actor, reserve, *, kind, happened_on, note, grade=""):
    """A training or assessment note on a reserve (考察评价 needs a grade)."""
    _require_manage(actor, reserve.org)
    if kind not in (ReserveEventKind.ASSESS, ReserveEventKind.NOTE):
        raise ValidationError({"kind": "请选择考察评价或培养记录"})
    if kind == ReserveEventKind.ASSESS and not grade:
        raise ValidationError({"grade": "考察评价请选择评价等次"})
    event = ReserveEvent.objects.create(reserve=reserve, kind=kind, happened_on=happened_on, note=_text(note, "说明", "note", 255),
                                        grade=grade or "", recorded_by=actor)
    _record(audit.Action.UPDATE, reserve, actor, reserve.org_path, note=f"{reserve.name}{event.get_kind_display()}：{event.note}")
    return event


def reveal_reserve(actor, reserve, field):
    """The full ID number or phone of a reserve, for a manager; audited."""
    _require_manage(actor, reserve.org)
    value = crypto.decrypt(reserve.id_number_encrypted if field == "id_number" else reserve.phone_encrypted)
    audit.record(audit.Action.REVEAL, reserve, actor=actor, org_path=reserve.org_path, note=f"查看{reserve.name}的完整{'身份证号' if field == 'id_number' else '电话'}")
    return value


@transaction.atomic
def import_reserves(actor, org, rows):
    """Rows from the reserve-pool spreadsheet: every row is added or none; errors carry the line numbers."""
    errors, created = [], []
    for line, data in rows:
        try:
            with transaction.atomic():
                created.append(add_reserve(actor, org, data))
        except ValidationError as exc:
            from grassroots.core.errors import field_errors

            errors.append(f"第 {line} 行：" + "；".join(m for ms in field_errors(exc).values() for m in ms))
    if errors:
        raise ValidationError({"file": errors})
    return created


# ---- training ------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_course(actor, org, *, title, held_on, hours, organizer=""):
    _require_manage(actor, org)
    if hours is None or hours <= 0 or hours > 200:
        raise ValidationError({"hours": "学时应大于 0 且不超过 200"})
    course = Course.objects.create(org=org, org_path=org.path, title=_text(title, "培训名称", "title"), held_on=held_on, hours=hours,
                                   organizer=(organizer or "")[:100])
    _record(audit.Action.CREATE, course, actor, org.path, note=f"登记培训《{course.title}》{hours} 学时")
    return course


@transaction.atomic
def add_attendance(actor, course, *, member=None, reserve=None):
    _require_manage(actor, course.org)
    if (member is None) == (reserve is None):
        raise ValidationError({"person": "请选择一名党员或一名后备人才"})
    person = member or reserve
    if not scoping.covers(scoping.manage_paths(actor), person.org_path):
        raise ValidationError({"person": "所选人员不在您的管理范围内"})
    exists = Attendance.objects.filter(course=course).filter(Q(member=member) if member else Q(reserve=reserve)).exists()
    if exists:
        raise ValidationError({"person": f"{person.name}已登记参训"})
    row = Attendance.objects.create(course=course, member=member, reserve=reserve, name=person.name, person_path=person.org_path)
    _record(audit.Action.CREATE, course, actor, course.org_path, note=f"{person.name}参加培训《{course.title}》")
    return row


# ---- reviews -------------------------------------------------------------------------------------------------------


@transaction.atomic
def record_review(actor, org, *, year, name, post_label, report, grade, member=None):
    """A cadre's yearly 述职述廉 and the 民主评议 result; one per person and year."""
    from .choices import Grade

    _require_manage(actor, org)
    name = _text(name, "姓名", "name", 50)
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择评议结果"})
    if year > timezone.localdate().year:
        raise ValidationError({"year": "不能登记未来年度的评议"})
    if Review.objects.filter(org=org, year=year, name=name).exists():
        raise ValidationError({"name": f"{name}{year}年度的述职评议已登记"})
    review = Review.objects.create(org=org, org_path=org.path, year=year, name=name, member=member,
                                   post_label=_text(post_label, "职务", "post_label", 50), report=_text(report, "述职述廉报告要点", "report", 5000),
                                   grade=grade, recorded_by=actor)
    _record(audit.Action.CREATE, review, actor, org.path, note=f"{name}{year}年度述职述廉评议：{review.get_grade_display()}")
    return review


@transaction.atomic
def open_review_round(actor, org, *, year, cadres, representatives=(), tokens=0):
    """Hold the yearly 民主评议 of `cadres` ([{"name", "post_label", "report", "member"}]) as a ballots.Round:
    one Review per cadre (grade blank until concluded), representatives' accounts and/or voting codes on the roll.
    Returns (round, raw tokens). The round is then opened, voted and closed on the ballots pages."""
    from grassroots.ballots import services as ballots

    _require_manage(actor, org)
    if not cadres:
        raise ValidationError({"cadres": "请至少列出一名参加述职评议的干部"})
    names = [(c.get("name") or "").strip() for c in cadres]
    if len(set(names)) != len(names) or not all(names):
        raise ValidationError({"cadres": "干部姓名不能为空或重复"})
    taken = list(Review.objects.filter(org=org, year=year, name__in=names).values_list("name", flat=True))
    if taken:
        raise ValidationError({"cadres": f"{'、'.join(taken)}{year}年度的述职评议已登记"})
    round = ballots.create_round(actor, org, title=f"{org.short_name or org.name}{year}年度村（社区）干部述职述廉民主评议",
                                 source="leaders.review", source_id=org.pk, grade_set=rules.GRADE_SET,
                                 subjects=[{"key": n, "label": f"{n}（{c.get('post_label', '')}）"} for n, c in zip(names, cadres, strict=True)],
                                 source_url="/leaders/reviews/")
    raw = ballots.add_voters(actor, round, "representative", users=representatives, tokens=tokens) if (representatives or tokens) else []
    for n, c in zip(names, cadres, strict=True):
        Review.objects.create(org=org, org_path=org.path, year=year, name=n, member=c.get("member"), round=round, grade="",
                              post_label=_text(c.get("post_label"), "职务", "post_label", 50), report=_text(c.get("report"), "述职述廉报告要点", "report", 5000),
                              recorded_by=actor)
    _record(audit.Action.CREATE, round, actor, org.path, note=f"{year}年度述职述廉民主评议：{'、'.join(names)}")
    return round, raw


@transaction.atomic
def conclude_review_round(actor, round):
    """Grade each cadre of a closed (or published) round from its votes (rules.grade_from_counts)."""
    from grassroots.ballots.results import results

    _require_manage(actor, round.org)
    if round.state not in ("closed", "published"):
        raise ValidationError("民主评议尚未结束，请先在评议页面截止评议")
    reviews = {r.name: r for r in Review.objects.select_for_update().filter(round=round)}
    for subject in results(round).subjects:
        review = reviews.get(subject.key)
        grade = rules.grade_from_counts(subject.totals)
        if review is None or grade is None:
            continue
        review.grade = grade
        review.save(update_fields=["grade"])
        _record(audit.Action.CONFIRM, review, actor, review.org_path, note=f"{review.name}{review.year}年度民主评议结果：{review.get_grade_display()}")
    return list(reviews.values())
