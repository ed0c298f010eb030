"""Every change to an assessment round and its reports (atomic, checked, audited).

The round is reusable: `create_round(actor, org, year=, kind=, subjects=[...])` is what the leaders app calls for the
village secretaries' 述职述廉 (kind=Kind.VILLAGE). Steps: each person writes the report (prefilled from the platform's
figures) and submits it; the superior (a manager of the round's organization) comments and gives the year-round
score; `open_appraisal` puts the reports on a ballots.Round for the representatives (anonymous, one ballot each);
`publish_results` closes and publishes that round, combines the live appraisal with the year-round score
(rules.combined), grades each person and sets the follow-ups (一般: 约谈、整改; 差: 通报、问责)."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.ballots import results as ballot_results
from grassroots.ballots import services as ballots
from grassroots.ballots.choices import RoundState as BallotState
from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import Role
from grassroots.orgs.choices import PostTitle
from grassroots.orgs.models import Organization, Post

from . import figures as platform_figures
from . import rules
from .choices import Kind, ReportState, RoundState
from .models import AssessmentRound, Report

REPRESENTATIVES = "representative"
TEXT_FIELDS = ("ideas", "measures", "results", "shortcomings", "plans", "integrity")


def _require_organizer(actor, round):
    if not scoping.can_manage_org(actor, round.org):
        raise PermissionDenied("只有组织本次述职评议的上级党组织可以进行此操作")


def secretaries_below(org, today=None):
    """[{"org", "person_name", "user", "post"}]: the current secretaries of the organizations directly below `org`
    (for a city: the districts; for a district: the townships and agency committees; for a township: the villages)."""
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by("path"))
    posts = {p.org_id: p for p in Post.objects.filter(org__in=children, title=PostTitle.SECRETARY, ended_on__isnull=True).select_related("holder__user")}
    subjects = []
    for child in children:
        post = posts.get(child.pk)
        if post:
            subjects.append({"org": child, "person_name": post.holder.name, "user": post.holder.user, "post": f"{child.short_name or child.name}书记"})
    return subjects


@transaction.atomic
def create_round(actor, org, *, year, subjects, kind=Kind.SECRETARY, title="", live_weight=None, grade_set=None, today=None):
    """A yearly round of `org` (the superior) for the people in `subjects`: [{"org": Organization (the one the person
    heads), "person_name", "user" (optional), "post" (optional)}]. Each report is prefilled from the platform's figures
    for the person's subtree. Returns the round. Reused by the leaders app for 述职述廉 (kind=Kind.VILLAGE)."""
    _require_organizer(actor, AssessmentRound(org=org))
    today = today or timezone.localdate()
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择述职评议类别"})
    weight = Decimal(str(live_weight)) if live_weight not in (None, "") else rules.live_weight()
    if not Decimal(0) <= weight <= Decimal(1):
        raise ValidationError({"live_weight": "现场测评权重须在 0 到 1 之间"})
    subjects = list(subjects or [])
    if not subjects:
        raise ValidationError({"subjects": "没有述职人（下级党组织未设书记）"})
    for s in subjects:
        if not s["org"].path.startswith(org.path) or s["org"].pk == org.pk:
            raise ValidationError({"subjects": f"{s['org'].name}不在本单位管辖范围内"})
    from grassroots.ballots import rules as ballot_rules

    try:
        grade_set = ballot_rules.clean_grade_set(grade_set or rules.grade_set())
    except ValueError as exc:
        raise ValidationError({"grade_set": str(exc)}) from None
    round = AssessmentRound.objects.create(org=org, org_path=org.path, year=year, kind=kind, live_weight=weight, grade_set=grade_set,
                                           created_by=actor, title=(title or f"{year}年度{Kind(kind).label}").strip()[:200])
    rows = []
    for i, s in enumerate(subjects, 1):
        data = platform_figures.collect(s["org"], year, today)
        draft = platform_figures.prefill(data, year)
        rows.append(Report(round=round, person_name=s["person_name"][:50], user=s.get("user"), post=(s.get("post") or "")[:100],
                           subject_org=s["org"], subject_path=s["org"].path, position=i, figures=data, **draft))
    Report.objects.bulk_create(rows)
    audit.record(audit.Action.CREATE, round, after={"year": year, "kind": kind, "live_weight": str(weight), "people": [r.person_name for r in rows]},
                 org_path=org.path, note=f"部署{round.title}", actor=actor)
    return round


def can_write(user, report):
    return report.user_id == user.pk or scoping.can_manage_org(user, report.subject_org)


@transaction.atomic
def save_report(actor, report, *, submit=False, **texts):
    report = Report.objects.select_for_update().select_related("round", "subject_org").get(pk=report.pk)
    if not can_write(actor, report):
        raise PermissionDenied("只有述职人本人或其党组织的管理人员可以撰写述职报告")
    if report.round.state != RoundState.REPORTING:
        raise ValidationError("评议已开始或结果已公布，述职报告不能再修改")
    before = audit.snapshot(report, TEXT_FIELDS)
    for name in TEXT_FIELDS:
        if name in texts and texts[name] is not None:
            setattr(report, name, texts[name].strip())
    if submit:
        missing = [label for name, label in Report.PARTS if not getattr(report, name)]
        if report.round.kind == Kind.VILLAGE and not report.integrity:
            missing.append("廉洁自律情况")
        if missing:
            raise ValidationError({"ideas": f"请填写：{'、'.join(missing)}"})
        report.state, report.submitted_at = ReportState.SUBMITTED, timezone.now()
    report.save()
    audit.record(audit.Action.SUBMIT if submit else audit.Action.UPDATE, report, before=before, after=audit.snapshot(report, TEXT_FIELDS),
                 org_path=report.round.org_path, note=f"{'提交' if submit else '保存'}{report.person_name}的述职报告", actor=actor)
    return report


@transaction.atomic
def comment(actor, report, *, text, year_score):
    """The superior's comment and year-round assessment score (0–100)."""
    report = Report.objects.select_for_update().select_related("round__org").get(pk=report.pk)
    _require_organizer(actor, report.round)
    if report.user_id == actor.pk:
        raise PermissionDenied("不能点评本人的述职")
    if report.round.state == RoundState.PUBLISHED:
        raise ValidationError("结果已公布，不能再修改点评")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写点评意见"})
    try:
        score = Decimal(str(year_score)).quantize(rules.SCORE)
    except Exception:
        raise ValidationError({"year_score": "年度考核得分须为数字"}) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"year_score": "年度考核得分须在 0 到 100 之间"})
    before = {"comment": report.comment, "year_score": str(report.year_score) if report.year_score is not None else None}
    report.comment, report.year_score, report.commented_by = text, score, actor
    report.save(update_fields=["comment", "year_score", "commented_by"])
    audit.record(audit.Action.UPDATE, report, before=before, after={"comment": text, "year_score": str(score)},
                 org_path=report.round.org_path, note=f"点评{report.person_name}的述职", actor=actor)
    return report


def representatives(round):
    """Users holding the REPRESENTATIVE role in the round's organization's subtree."""
    from grassroots.accounts.models import User

    ids = RoleAssignment.objects.active().filter(role=Role.REPRESENTATIVE, org__path__startswith=round.org_path).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def open_appraisal(actor, round, *, users=None, tokens=0, closes_at=None):
    """Put the submitted reports on an anonymous ballots.Round (one ballot per representative) and open it."""
    round = AssessmentRound.objects.select_for_update().select_related("org").get(pk=round.pk)
    _require_organizer(actor, round)
    if round.state != RoundState.REPORTING:
        raise ValidationError("代表评议已开始")
    reports = list(round.reports.all())
    drafts = [r.person_name for r in reports if r.state != ReportState.SUBMITTED]
    if drafts:
        raise ValidationError(f"尚未提交述职报告：{'、'.join(drafts)}")
    users = representatives(round) if users is None else list(users)
    if not users and not tokens:
        raise ValidationError("没有评议代表（请先为评议代表开通“评议代表”角色，或生成评议码）")
    ballot_round = ballots.create_round(
        actor, round.org, title=f"{round.title}·代表测评", source="assessment.round", source_id=round.pk,
        source_url=reverse("assessment:round", args=[round.pk]), grade_set=round.grade_set, group_weights={REPRESENTATIVES: "1"},
        subjects=[{"key": r.subject_key, "label": f"{r.person_name}（{r.post or r.subject_org.name}）"} for r in reports], closes_at=closes_at)
    raw = ballots.add_voters(actor, ballot_round, REPRESENTATIVES, users=users, tokens=tokens)
    ballots.open_round(actor, ballot_round)
    round.ballot_round, round.state = ballot_round, RoundState.APPRAISAL
    round.save(update_fields=["ballot_round", "state"])
    audit.record(audit.Action.UPDATE, round, after={"state": round.state, "ballot_round": ballot_round.pk, "voters": len(users) + tokens},
                 org_path=round.org_path, note="开始代表评议", actor=actor)
    notifications.notify(users, title=f"请参加{round.title}", body="请对述职人逐一评价（无记名，每人一票）",
                         link=reverse("ballots:vote", args=[ballot_round.pk]), kind=notifications.Kind.ASSESSMENT, org_path=round.org_path)
    return round, raw


@transaction.atomic
def publish_results(actor, round):
    """Close and publish the representatives' round, combine each person's live appraisal with the year-round score,
    grade them, set the follow-ups and publish."""
    round = AssessmentRound.objects.select_for_update(of=("self",)).select_related("org", "ballot_round").get(pk=round.pk)
    _require_organizer(actor, round)
    if round.state != RoundState.APPRAISAL:
        raise ValidationError("代表评议结束后才能公布结果" if round.state == RoundState.REPORTING else "结果已公布")
    reports = list(round.reports.all())
    missing = [r.person_name for r in reports if r.year_score is None]
    if missing:
        raise ValidationError(f"上级党组织尚未点评：{'、'.join(missing)}")
    ballot_round = round.ballot_round
    if ballot_round.state == BallotState.OPEN:
        ballots.close_round(actor, ballot_round)
    found = ballot_results.results(ballot_round)
    for report in reports:
        subject = found.subject(report.subject_key)
        report.live_score = subject.score if subject else None
        report.combined = rules.combined(report.live_score, report.year_score, round.live_weight)
        report.grade = rules.grade_of(report.combined, last=round.grade_set[-1]["key"])
        report.follow_ups = list(rules.follow_ups(report.grade))
    Report.objects.bulk_update(reports, ["live_score", "combined", "grade", "follow_ups"])
    ballots.publish(actor, ballot_round)
    round.state, round.published_at = RoundState.PUBLISHED, timezone.now()
    round.save(update_fields=["state", "published_at"])
    audit.record(audit.Action.PUBLISH, round, after={r.person_name: [str(r.combined), r.grade] for r in reports},
                 org_path=round.org_path, note=f"公布{round.title}结果", actor=actor)
    notifications.notify([r.user for r in reports if r.user_id], title=f"{round.title}结果已公布", link=reverse("assessment:round", args=[round.pk]),
                         kind=notifications.Kind.ASSESSMENT, org_path=round.org_path)
    return round


@transaction.atomic
def record_follow_up(actor, report, *, note, done_on):
    report = Report.objects.select_for_update().select_related("round__org").get(pk=report.pk)
    _require_organizer(actor, report.round)
    if not report.follow_ups:
        raise ValidationError("该述职人无需后续处理")
    note = (note or "").strip()
    if not note or done_on is None:
        raise ValidationError({"note": "请填写处理情况和完成日期"})
    report.follow_up_note, report.follow_up_done_on = note[:300], done_on
    report.save(update_fields=["follow_up_note", "follow_up_done_on"])
    audit.record(audit.Action.UPDATE, report, after={"note": note, "done_on": str(done_on)}, org_path=report.round.org_path,
                 note=f"记录{report.person_name}的后续处理", actor=actor)
    return report
