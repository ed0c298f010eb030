"""Democratic appraisal of members (民主评议党员): open, anonymous ballots, tally, conclusion, follow-up of 不合格.

Anonymity: a vote writes a BallotReceipt (voter, appraisal; unique, so nobody votes twice) and Ballot rows
(subject, grade) with no voter, no time and a random key, in the same transaction. The audit row of a vote
names the voter and the appraisal, never the grades.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.members.choices import LeftReason, State, Status
from grassroots.members.models import Member
from grassroots.orgs.choices import BRANCH_KINDS

from . import rules
from .choices import AppraisalState, FollowUp, Grade, Period
from .models import Appraisal, AppraisalResult, Ballot, BallotReceipt

VOTE_FIELDS = {
    Grade.EXCELLENT: "excellent_votes", Grade.QUALIFIED: "qualified_votes", Grade.BASIC: "basic_votes",
    Grade.UNQUALIFIED: "unqualified_votes",
}


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党支部民主评议的权限")


def voters(appraisal):
    """Members of the branch (and its groups) on the register: all take part."""
    return Member.objects.in_register().filter(org_path__startswith=appraisal.org_path)


def subjects(appraisal):
    """Members who are graded: full members (and probationary ones where local practice grades them)."""
    qs = voters(appraisal)
    return qs if rules.grade_probationary() else qs.filter(status=Status.FULL)


@transaction.atomic
def open_appraisal(actor, branch, year):
    _require_manage(actor, branch)
    if branch.kind not in BRANCH_KINDS:
        raise ValidationError({"org": "民主评议党员以党支部为单位开展"})
    if not branch.is_active:
        raise ValidationError({"org": "已撤销的党支部不能开展民主评议"})
    if year > timezone.localdate().year:
        raise ValidationError({"year": "不能为将来的年度开展评议"})
    if Appraisal.objects.filter(org=branch, year=year).exists():
        raise ValidationError({"year": f"该党支部 {year} 年的民主评议已经开展"})
    appraisal = Appraisal.objects.create(org=branch, org_path=branch.path, year=year, created_by=actor)
    AppraisalResult.objects.bulk_create(AppraisalResult(appraisal=appraisal, member=m) for m in subjects(appraisal))
    audit.record(audit.Action.CREATE, appraisal, after={"year": year}, org_path=branch.path, note="开展民主评议党员", actor=actor)
    return appraisal


@transaction.atomic
def cast_ballot(user, appraisal, grades):
    """The logged-in member's anonymous vote: {subject member id: grade} for every member being appraised."""
    voter = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if voter is None or not voters(appraisal).filter(pk=voter.pk).exists():
        raise PermissionDenied("只有本支部党员可以参加测评")
    if appraisal.state != AppraisalState.OPEN:
        raise ValidationError("测评已经结束")
    expected = set(appraisal.results.values_list("member_id", flat=True))
    grades = {int(k): v for k, v in grades.items()}
    errors = []
    if set(grades) != expected:
        errors.append("请对每一名参评党员给出等次，且只评本次参评的党员")
    if any(g not in Grade.values for g in grades.values()):
        errors.append("等次只能是优秀、合格、基本合格或不合格")
    if errors:
        raise ValidationError({"grades": errors})
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(appraisal=appraisal, voter=voter)
    except IntegrityError:
        raise ValidationError("您已经投过票，不能重复投票") from None
    Ballot.objects.bulk_create(Ballot(appraisal=appraisal, subject_id=k, grade=v) for k, v in grades.items())
    audit.record(audit.Action.CREATE, appraisal, org_path=appraisal.org_path, note="提交民主测评票（内容不记录）", actor=user)


def tally(appraisal):
    """{subject member id: {grade: votes}} in one grouped query."""
    counts = {}
    rows = Ballot.objects.filter(appraisal=appraisal).values_list("subject_id", "grade").annotate(n=Count("pk")).order_by()
    for subject_id, grade, n in rows:
        counts.setdefault(subject_id, dict.fromkeys(Grade.values, 0))[grade] = n
    return counts


@transaction.atomic
def conclude(actor, appraisal, conclusions, self_assessments=None):
    """The branch's decision on every member's grade, stored with the vote counts; closes the ballot."""
    appraisal = Appraisal.objects.select_for_update(of=("self",)).select_related("org").get(pk=appraisal.pk)
    _require_manage(actor, appraisal.org)
    if appraisal.state != AppraisalState.OPEN:
        raise ValidationError("该评议已经评定")
    results = {r.member_id: r for r in appraisal.results.all()}
    conclusions = {int(k): v for k, v in conclusions.items()}
    errors = {}
    if set(conclusions) != set(results) or any(g not in Grade.values for g in conclusions.values()):
        errors["grades"] = ["请为每一名参评党员评定等次"]
    else:
        message = rules.excellent_error(sum(1 for g in conclusions.values() if g == Grade.EXCELLENT), len(results))
        if message:
            errors["grades"] = [message]
    if errors:
        raise ValidationError(errors)
    counts = tally(appraisal)
    for member_id, result in results.items():
        for grade, field in VOTE_FIELDS.items():
            setattr(result, field, counts.get(member_id, {}).get(grade, 0))
        result.grade = conclusions[member_id]
        if self_assessments and member_id in self_assessments:
            result.self_assessment = self_assessments[member_id]
    AppraisalResult.objects.bulk_update(results.values(), ["grade", "self_assessment", *VOTE_FIELDS.values()])
    appraisal.state = AppraisalState.CONCLUDED
    appraisal.concluded_at = timezone.now()
    appraisal.save(update_fields=["state", "concluded_at"])
    summary = {Grade(g).label: sum(1 for c in conclusions.values() if c == g) for g in Grade.values}
    audit.record(audit.Action.UPDATE, appraisal, after=summary, org_path=appraisal.org_path, note="评定民主评议结果", actor=actor)
    return appraisal


def _add_months(day, months):
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def follow_up(actor, result, action, *, decided_on, document="", deadline=None):
    """The follow-up of a full member graded 不合格: 限期改正 (with a deadline), then 已改正, 劝退 or 除名.
    劝退 and 除名 take the member off the register through the member service."""
    from grassroots.members import services as member_services

    result = AppraisalResult.objects.select_for_update(of=("self",)).select_related("appraisal__org", "member").get(pk=result.pk)
    _require_manage(actor, result.appraisal.org)
    if result.grade != Grade.UNQUALIFIED:
        raise ValidationError("只有评定为不合格的党员需要组织处置")
    if result.member.status != Status.FULL:
        raise ValidationError("预备党员按延长或取消预备期处理")
    allowed = {
        "": {FollowUp.CORRECTION, FollowUp.PERSUADED, FollowUp.REMOVED},
        FollowUp.CORRECTION: {FollowUp.CORRECTED, FollowUp.PERSUADED, FollowUp.REMOVED},
    }.get(result.follow_up, set())
    if action not in allowed:
        raise ValidationError({"follow_up": "当前阶段不能作出该处置"})
    if decided_on > timezone.localdate():
        raise ValidationError({"follow_up_on": "处置日期不能晚于今天"})
    if action in (FollowUp.PERSUADED, FollowUp.REMOVED) and not document.strip():
        raise ValidationError({"follow_up_document": "请填写支部大会决定及上级批准的文号"})
    before = audit.snapshot(result, ["follow_up", "correction_deadline", "follow_up_document", "follow_up_on"])
    if action == FollowUp.CORRECTION:
        deadline = deadline or _add_months(decided_on, rules.correction_months())
        if deadline <= decided_on:
            raise ValidationError({"correction_deadline": "改正期限必须晚于决定日期"})
        result.correction_deadline = deadline
    if action in (FollowUp.PERSUADED, FollowUp.REMOVED):
        reason = LeftReason.REMOVED if action == FollowUp.REMOVED else LeftReason.WITHDREW
        member_services.update_member(
            actor, result.member,
            {"state": State.LEFT, "left_reason": reason, "left_on": decided_on, "left_document": document.strip()},
            note=f"{result.appraisal.year}年民主评议不合格，{FollowUp(action).label}",
        )
    result.follow_up, result.follow_up_on, result.follow_up_document = action, decided_on, document.strip()
    result.save(update_fields=["follow_up", "follow_up_on", "follow_up_document", "correction_deadline"])
    audit.record(
        audit.Action.UPDATE, result, before=before,
        after=audit.snapshot(result, ["follow_up", "correction_deadline", "follow_up_document", "follow_up_on"]),
        org_path=result.appraisal.org_path, note=f"民主评议不合格党员处置：{FollowUp(action).label}", actor=actor,
    )
    return result


# ---- roll-up of results (a table and a chart for any subtree) ------------------------------------------


class RollupRow:
    """Appraisal results of the branches under one organization: members graded per grade, and the branches
    that owe the year's appraisal but have not concluded one."""

    def __init__(self, org):
        self.org = org
        self.counts = dict.fromkeys(Grade.values, 0)
        self.branches = 0
        self.concluded = 0

    @property
    def appraised(self):
        return sum(self.counts.values())

    @property
    def not_concluded(self):
        return self.branches - self.concluded

    def percent(self, grade):
        return round(self.counts[grade] * 100 / self.appraised, 1) if self.appraised else None

    @property
    def grades(self):
        """[(label, count, percent)] in the order 优秀, 合格, 基本合格, 不合格."""
        return [(label, self.counts[value], self.percent(value)) for value, label in Grade.choices]


def rollup(org, year):
    """(rows, total): one row per child organization of `org` (groups left out; `org` itself when it is a branch),
    and the total of the subtree. Three queries: the children, the branches, and the results grouped by branch and
    grade.

    A branch owes the year's appraisal when it existed on at least half of the year (rules.owes_period);
    a concluded appraisal counts wherever it is, even for a branch dissolved since."""
    from django.db.models import Exists, OuterRef

    from grassroots.orgs.choices import Kind
    from grassroots.orgs.models import Organization

    concluded = Appraisal.objects.filter(org=OuterRef("pk"), year=year, state=AppraisalState.CONCLUDED)
    children = list(Organization.objects.children_of(org).exclude(kind=Kind.GROUP).order_by("path"))
    heads = [org] if org.kind in BRANCH_KINDS or not children else children
    rows = [RollupRow(h) for h in heads]
    total = RollupRow(org)

    by_path = {r.org.path: r for r in rows}
    width = len(heads[0].path) if heads else 0

    def row_of(path):
        return by_path.get(path[:width])

    # every branch of the subtree as plain values (a city has thousands: model instances cost more than the query)
    branches = (
        Organization.objects.filter(path__startswith=org.path, kind__in=BRANCH_KINDS).order_by()
        .annotate(concluded=Exists(concluded)).values_list("path", "established_on", "dissolved_on", "concluded")
    )
    first, last = rules.period_bounds(Period.YEAR, year, 1)
    for path, established_on, dissolved_on, is_concluded in branches:
        owes = rules.owes_period(first, last, established_on, dissolved_on)
        if not (owes or is_concluded):
            continue
        for row in (row_of(path), total):
            if row is not None:
                row.branches += 1
                row.concluded += int(is_concluded)
    grouped = (
        AppraisalResult.objects.filter(
            appraisal__org_path__startswith=org.path, appraisal__year=year, appraisal__state=AppraisalState.CONCLUDED,
        )
        .exclude(grade="")
        .values_list("appraisal__org_path", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, grade, n in grouped:
        for row in (row_of(path), total):
            if row is not None:
                row.counts[grade] += n
    return [r for r in rows if r.branches or r.appraised], total
