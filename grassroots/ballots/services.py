"""Every change to rounds, rolls, ballots and paper counts goes through these functions (atomic, checked).

Organizer actions (managers of the round's organization) are audited. A cast ballot is not: an audit row names
its actor and time, which would tie the voter to the ballot; the Voter row only gets the date it voted."""

import secrets

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError

from . import rules
from .choices import RoundState
from .models import Ballot, Mark, PaperCount, Round, Subject, Voter

ROUND_FIELDS = ["title", "state", "opens_at", "closes_at", "roll_hash", "grade_set", "group_weights", "paper_roll"]
TOKEN_BYTES = 16  # 128 bits: a guessed link finds no ballot


def can_manage_round(user, round):
    return scoping.can_manage_org(user, round.org)


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该单位评议（表决）的权限")


def _lock(round):
    return Round.objects.select_for_update(of=("self",)).select_related("org").get(pk=round.pk)


def _sync(caller, locked, fields):
    """Copy what a service changed on the locked row back to the caller's instance, so it is not stale."""
    for name in fields:
        setattr(caller, name, getattr(locked, name))


def _subjects(subjects):
    """[(key, label)] from [{"key", "label"}] or [(key, label)]."""
    result = []
    for s in subjects:
        key, label = (s.get("key"), s.get("label")) if isinstance(s, dict) else s
        key, label = str(key or "").strip(), str(label or "").strip()
        if not key or not label:
            raise ValidationError({"subjects": "每个评议对象都要有代码和名称"})
        result.append((key[:60], label[:200]))
    if not result:
        raise ValidationError({"subjects": "请至少添加一个评议对象"})
    if len({k for k, _ in result}) != len(result):
        raise ValidationError({"subjects": "评议对象的代码重复"})
    return result


@transaction.atomic
def create_round(actor, org, *, title, source, source_id, grade_set, group_weights=None, subjects, opens_at=None, closes_at=None,
                 source_url=""):
    _require_manage(actor, org)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写评议名称"})
    try:
        grade_set = rules.clean_grade_set(grade_set)
    except ValueError as exc:
        raise ValidationError({"grade_set": str(exc)}) from None
    try:
        weights = rules.clean_weights(group_weights)
    except ValueError as exc:
        raise ValidationError({"group_weights": str(exc)}) from None
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": "截止时间须晚于开始时间"})
    pairs = _subjects(subjects)
    round = Round.objects.create(
        org=org, org_path=org.path, title=title[:200], source=source, source_id=source_id, source_url=source_url or "",
        grade_set=grade_set, group_weights=weights, opens_at=opens_at, closes_at=closes_at, created_by=actor,
    )
    Subject.objects.bulk_create([Subject(round=round, key=k, label=lbl, position=i) for i, (k, lbl) in enumerate(pairs, 1)])
    audit.record(audit.Action.CREATE, round, after={**audit.snapshot(round, ROUND_FIELDS), "subjects": [lbl for _, lbl in pairs]},
                 org_path=org.path, note=f"建立评议《{title}》", actor=actor)
    return round


@transaction.atomic
def add_voters(actor, round, group, users=(), tokens=0, paper=0):
    """Put accounts, `tokens` new links/QR codes and `paper` paper ballots on the group's roll (draft rounds only).
    Returns the raw tokens: they are shown once (to print), only their SHA-256 is kept."""
    given, round = round, _lock(round)
    _require_manage(actor, round.org)
    if round.state != RoundState.DRAFT:
        raise ValidationError("评议已开始，名册已冻结，不能再增加评议人")
    group = (group or "").strip()
    if not group:
        raise ValidationError({"group": "请选择评议人类别"})
    if round.group_weights and group not in round.group_weights:
        raise ValidationError({"group": f"本次评议的评议人类别为：{'、'.join(rules.group_label(g) for g in sorted(round.group_weights, key=rules.group_order))}"})
    users = [u for u in users if u is not None]
    tokens, paper = int(tokens or 0), int(paper or 0)
    if tokens < 0 or paper < 0 or tokens > 5000 or paper > 100000:
        raise ValidationError({"tokens": "份数须为合理的非负整数"})
    on_roll = set(round.voters.filter(user__in=users).values_list("user_id", flat=True))
    if on_roll:
        raise ValidationError({"users": f"有 {len(on_roll)} 人已在名册中"})
    rows = [Voter(round=round, group=group, user=u, name=(getattr(u, "full_name", "") or u.get_username())[:50]) for u in users]
    raw = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(tokens)]
    rows += [Voter(round=round, group=group, token_hash=rules.token_hash(t)) for t in raw]
    Voter.objects.bulk_create(rows)
    if paper:
        round.paper_roll = {**round.paper_roll, group: int(round.paper_roll.get(group, 0)) + paper}
        round.save(update_fields=["paper_roll"])
        _sync(given, round, ["paper_roll"])
    audit.record(audit.Action.UPDATE, round, after={"group": group, "users": [u.pk for u in users], "tokens": tokens, "paper": paper},
                 org_path=round.org_path, note=f"名册增加{rules.group_label(group)} {len(users)} 人、评议码 {tokens} 个、纸质选票 {paper} 份", actor=actor)
    return raw


def roll_sizes(round):
    """{group: people on the roll} (accounts, tokens and paper ballots handed out)."""
    sizes = dict(round.voters.values_list("group").annotate(n=Count("id")).order_by())
    for group, n in (round.paper_roll or {}).items():
        sizes[group] = sizes.get(group, 0) + int(n)
    return sizes


@transaction.atomic
def open_round(actor, round):
    """Open voting and freeze the roll (its SHA-256 is kept on the round)."""
    given, round = round, _lock(round)
    _require_manage(actor, round.org)
    if round.state != RoundState.DRAFT:
        raise ValidationError("只有筹备中的评议才能开始")
    if not round.subjects.exists():
        raise ValidationError("没有评议对象，不能开始")
    keys = [v.key for v in round.voters.only("group", "user_id", "token_hash")]
    if not keys and not round.paper_roll:
        raise ValidationError("名册为空，请先添加评议人")
    now = timezone.now()
    if round.closes_at and round.closes_at <= now:
        raise ValidationError({"closes_at": "截止时间已过，请先调整截止时间"})
    round.roll_hash = rules.roll_hash(keys, round.paper_roll or {})
    round.state = RoundState.OPEN
    round.opens_at = round.opens_at or now
    round.save(update_fields=["roll_hash", "state", "opens_at"])
    audit.record(audit.Action.UPDATE, round, before={"state": RoundState.DRAFT}, after={"state": round.state, "roll_hash": round.roll_hash, "roll": roll_sizes(round)},
                 org_path=round.org_path, note="开始评议，名册冻结", actor=actor)
    _sync(given, round, ["roll_hash", "state", "opens_at"])
    return round


def voter_for(round, *, user=None, token=None):
    """The roll entry of a user or a raw token in `round`, or None."""
    if user is not None:
        return round.voters.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if token:
        return round.voters.filter(token_hash=rules.token_hash(token)).first()
    return None


def round_for_token(token):
    """(round, voter) of a raw token, or (None, None)."""
    voter = Voter.objects.select_related("round__org").filter(token_hash=rules.token_hash(token)).first() if token else None
    return (voter.round, voter) if voter else (None, None)


def window_error(round, now=None):
    """Why the round takes no ballot now (Chinese), or None."""
    now = now or timezone.now()
    if round.state == RoundState.DRAFT or (round.opens_at and now < round.opens_at):
        return "评议尚未开始"
    if round.state != RoundState.OPEN or (round.closes_at and now >= round.closes_at):
        return "评议已截止，不能再投票"
    return None


@transaction.atomic
def cast(round, choices, *, user=None, token=None):
    """Cast one anonymous ballot: one per person on the roll, inside the open window, every subject graded from the
    grade set. The voter's row is locked and marked (a date only) in the same transaction that inserts the ballot,
    so a second ballot by the same person is refused even when both arrive at once."""
    if (user is None) == (not token):
        raise ValidationError("须以账号或评议码之一投票")
    round = Round.objects.get(pk=round.pk)
    message = window_error(round)
    if message:
        raise ValidationError(message)
    voters = Voter.objects.select_for_update().filter(round=round)
    voter = voters.filter(user=user).first() if user is not None else voters.filter(token_hash=rules.token_hash(token)).first()
    if voter is None:
        raise PermissionDenied("您不在本次评议的名册中")
    if voter.voted_at is not None:
        raise ValidationError("您已投过票，每人只能投一次")
    subject_keys = list(round.subjects.values_list("key", flat=True))
    grade_keys = {g["key"] for g in round.grade_set}
    message = rules.choices_error(choices, subject_keys, grade_keys)
    if message:
        raise ValidationError({"choices": message})
    # The conditional update is the guard on SQLite too, where select_for_update is a no-op.
    marked = Voter.objects.filter(pk=voter.pk, voted_at__isnull=True).update(voted_at=timezone.localdate())
    if marked != 1:
        raise ValidationError("您已投过票，每人只能投一次")
    ballot = Ballot.objects.create(round=round, group=voter.group, choices={k: choices[k] for k in subject_keys})
    Mark.objects.bulk_create([Mark(ballot=ballot, round=round, group=voter.group, subject_key=k, grade_key=choices[k]) for k in subject_keys])
    return ballot


@transaction.atomic
def enter_paper_counts(actor, round, group, counts):
    """Enter (or correct) the counts of the group's paper ballots: {subject_key: {grade_key: count}}. Replaces
    the group's earlier counts. Per subject, paper plus electronic ballots may not exceed the group's roll."""
    round = _lock(round)
    _require_manage(actor, round.org)
    if round.state not in (RoundState.OPEN, RoundState.CLOSED):
        raise ValidationError("只有投票中或已截止（未公布）的评议才能录入纸质选票")
    sizes = roll_sizes(round)
    if group not in sizes:
        raise ValidationError({"group": "该类别不在名册中"})
    subjects = dict(round.subjects.values_list("key", "label"))
    grade_keys = {g["key"] for g in round.grade_set}
    electronic = round.ballots.filter(group=group).count()
    rows = []
    for subject_key, per_grade in (counts or {}).items():
        if subject_key not in subjects:
            raise ValidationError({"counts": "计票中有不属于本次评议的对象"})
        total = 0
        for grade_key, n in (per_grade or {}).items():
            if grade_key not in grade_keys:
                raise ValidationError({"counts": "计票中有不在评价等次中的选项"})
            try:
                n = int(n or 0)
            except (TypeError, ValueError):
                raise ValidationError({"counts": "票数须为非负整数"}) from None
            if n < 0:
                raise ValidationError({"counts": "票数须为非负整数"})
            total += n
            if n:
                rows.append(PaperCount(round=round, group=group, subject_key=subject_key, grade_key=grade_key, count=n, entered_by=actor))
        if total + electronic > sizes[group]:
            raise ValidationError({"counts": f"“{subjects[subject_key]}”的纸质票 {total} 张加网上投票 {electronic} 张，超过{rules.group_label(group)}名册 {sizes[group]} 人"})
    before = {f"{p.subject_key}/{p.grade_key}": p.count for p in round.paper_counts.filter(group=group)}
    round.paper_counts.filter(group=group).delete()
    PaperCount.objects.bulk_create(rows)
    audit.record(audit.Action.UPDATE, round, before={"paper": before} if before else None,
                 after={"paper": {f"{p.subject_key}/{p.grade_key}": p.count for p in rows}},
                 org_path=round.org_path, note=f"录入{rules.group_label(group)}纸质选票计票", actor=actor)
    return rows


@transaction.atomic
def close_round(actor, round):
    given, round = round, _lock(round)
    _require_manage(actor, round.org)
    if round.state != RoundState.OPEN:
        raise ValidationError("只有投票中的评议才能截止")
    round.state = RoundState.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["state", "closed_at"])
    voted = round.voters.filter(voted_at__isnull=False).count()
    audit.record(audit.Action.CLOSE, round, before={"state": RoundState.OPEN}, after={"state": round.state, "voted": voted, "ballots": round.ballots.count()},
                 org_path=round.org_path, note="截止评议", actor=actor)
    _sync(given, round, ["state", "closed_at"])
    return round


@transaction.atomic
def publish(actor, round):
    given, round = round, _lock(round)
    _require_manage(actor, round.org)
    if round.state != RoundState.CLOSED:
        raise ValidationError("评议截止后才能公布结果")
    round.state = RoundState.PUBLISHED
    round.published_at = timezone.now()
    round.save(update_fields=["state", "published_at"])
    paper = round.paper_counts.aggregate(n=Sum("count"))["n"] or 0
    audit.record(audit.Action.PUBLISH, round, before={"state": RoundState.CLOSED}, after={"state": round.state, "paper_marks": paper},
                 org_path=round.org_path, note="公布评议结果", actor=actor)
    _sync(given, round, ["state", "published_at"])
    return round
