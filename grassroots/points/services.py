"""Every change to points and star ratings goes through these functions: set an organization's rule, recompute
the automatic points, propose and decide manual entries, rate a branch's members and confirm the rating."""

import datetime
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.dues import rules as dues_rules
from grassroots.dues.models import DuesPayment
from grassroots.dues.services import branch_of
from grassroots.members.models import Member
from grassroots.orglife.choices import AttendanceStatus, MeetingState
from grassroots.orglife.models import Attendance
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization
from grassroots.volunteering.choices import LogState
from grassroots.volunteering.models import ServiceLog
from grassroots.volunteering.rules import points_for

from . import rules
from .models import PointEntry, PointRule, StarRating
from .rules import Category, Source

RULE_FIELDS = ["meeting_present", "dues_on_time", "absent", "dues_unpaid", "star1", "star2", "star3", "star4", "star5"]
ENTRY_FIELDS = ["member", "date", "year", "category", "points", "source", "description", "state", "decision_note"]


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织积分的权限")


# ---- rules -------------------------------------------------------------------------------------------------


def default_rule():
    values = rules.points_defaults()
    return SimpleNamespace(
        org=None, org_id=None, **values, thresholds=rules.star_thresholds(),
        **{f"star{i + 1}": t for i, t in enumerate(rules.star_thresholds())},
    )


def rule_for_path(path, all_rules=None):
    """The rule of the nearest organization at or above `path` that set one; the defaults otherwise."""
    if all_rules is None:
        prefixes = [path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen)]
        all_rules = {r.org_path: r for r in PointRule.objects.filter(org_path__in=prefixes).select_related("org")}
    for i in range(len(path), 0, -Organization.steplen):
        rule = all_rules.get(path[:i])
        if rule is not None:
            return rule
    return default_rule()


def rule_for(org):
    return rule_for_path(org.path)


@transaction.atomic
def set_rule(actor, org, data):
    """Set an organization's own point values and star thresholds (its subtree inherits them)."""
    _require_manage(actor, org)
    errors, values = {}, {}
    for field in RULE_FIELDS:
        try:
            values[field] = int(str(data.get(field, "")).strip())
        except ValueError:
            errors[field] = "请输入整数"
            continue
        if not -100 <= values[field] <= 1000:
            errors[field] = "数值超出范围"
    for field in ("meeting_present", "dues_on_time"):
        if values.get(field, 0) < 0:
            errors[field] = "加分项不能为负数"
    for field in ("absent", "dues_unpaid"):
        if values.get(field, 0) > 0:
            errors[field] = "扣分项须为负数或 0"
    if not errors:
        message = rules.thresholds_error([values[f"star{i}"] for i in range(1, 6)])
        if message:
            errors["star5"] = message
    if errors:
        raise ValidationError(errors)
    rule = PointRule.objects.filter(org=org).first()
    before = audit.snapshot(rule, RULE_FIELDS) if rule else None
    rule = rule or PointRule(org=org, org_path=org.path)
    for k, v in values.items():
        setattr(rule, k, v)
    rule.updated_by = actor
    rule.save()
    audit.record(audit.Action.UPDATE if before else audit.Action.CREATE, rule, before=before, after=audit.snapshot(rule, RULE_FIELDS),
                 org_path=org.path, actor=actor, note="积分规则")
    return rule


# ---- automatic points -----------------------------------------------------------------------------------------


def _desired(members, year, today, all_rules):
    """{(member id, source, source id): (date, category, points, description)} earned from the records."""
    by_id = {m.pk: m for m in members}
    rule_of = {}

    def rule(member):
        if member.org_path not in rule_of:
            rule_of[member.org_path] = rule_for_path(member.org_path, all_rules)
        return rule_of[member.org_path]

    desired = {}
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    attendance = (
        Attendance.objects.filter(
            member_id__in=by_id, meeting__state=MeetingState.CONFIRMED, meeting__starts_at__gte=start, meeting__starts_at__lt=end,
            status__in=[AttendanceStatus.PRESENT, AttendanceStatus.ABSENT],
        )
        .values_list("id", "member_id", "status", "meeting__starts_at", "meeting__kind", "meeting__topic")
    )
    from grassroots.orglife.choices import MeetingKind

    kinds = dict(MeetingKind.choices)
    for pk, member_id, status, starts_at, kind, topic in attendance.iterator(chunk_size=5000):
        r = rule(by_id[member_id])
        day = timezone.localtime(starts_at).date()
        if status == AttendanceStatus.PRESENT:
            value, category = r.meeting_present, Category.MEETING
        else:
            value, category = r.absent, Category.ABSENCE
        if value:
            desired[(member_id, Source.ATTENDANCE, pk)] = (day, category, value, f"{kinds.get(kind, kind)}：{topic}（{day:%Y-%m-%d}）")
    last = dues_rules.last_complete_month(today)
    payments = DuesPayment.objects.filter(
        member_id__in=by_id, month__gte=datetime.date(year, 1, 1), month__lte=min(last, datetime.date(year, 12, 1))
    ).values_list("id", "member_id", "month", "amount_due", "amount_paid", "paid_on", "exempt")
    for pk, member_id, month, due, paid, paid_on, exempt in payments.iterator(chunk_size=5000):
        if exempt:
            continue
        r = rule(by_id[member_id])
        end_of_month = dues_rules.month_end(month)
        if paid_on is not None and paid >= due and paid_on <= end_of_month:
            value, category, note = r.dues_on_time, Category.DUES, f"{month:%Y年%m月}党费按时交纳"
        else:
            value, category, note = r.dues_unpaid, Category.DUES_UNPAID, f"{month:%Y年%m月}党费未按时交纳"
        if value:
            desired[(member_id, Source.PAYMENT, pk)] = (end_of_month, category, value, note)
    # 双报到: each service entry the community confirmed earns points per hour (volunteering's local setting).
    services_done = ServiceLog.objects.filter(member_id__in=by_id, year=year, state=LogState.CONFIRMED).values_list(
        "id", "member_id", "served_on", "hours", "content", "community__name")
    for pk, member_id, served_on, hours, content, community in services_done.iterator(chunk_size=5000):
        desired[(member_id, Source.SERVICE_LOG, pk)] = (
            served_on, Category.SERVICE, points_for(hours, rules.MANUAL_MAX), f"{community}志愿服务 {hours} 小时：{content}")
    return desired


CHUNK = 2000  # members per round: memory stays bounded however large the subtree
# Local practice (settings.GRASSROOTS_POINTS_RECOMPUTE_MAX_MEMBERS): the largest subtree the 重新计算 button and the
# API recompute while the user waits (about 2 s per 5,000 members measured); larger ones are left to the nightly command.
RECOMPUTE_MAX_MEMBERS = 20_000


def check_recompute_size(org):
    from django.conf import settings

    limit = getattr(settings, "GRASSROOTS_POINTS_RECOMPUTE_MAX_MEMBERS", RECOMPUTE_MAX_MEMBERS)
    if Member.objects.in_register().filter(org_path__startswith=org.path).count() > limit:
        raise ValidationError(f"该组织党员超过 {limit} 名，请选择下级组织重新计算；全市积分每天凌晨自动计算")


def _sync(members, year, today, all_rules):
    """Create, update and delete the automatic entries of `members` for `year`; returns (created, updated, deleted)."""
    desired = _desired(members, year, today, all_rules)
    existing = {
        (e.member_id, e.source, e.source_id): e
        for e in PointEntry.objects.filter(member_id__in=[m.pk for m in members], year=year).exclude(source=Source.MANUAL)
    }
    paths = {m.pk: m.org_path for m in members}
    create, update = [], []
    for key, (day, category, value, note) in desired.items():
        e = existing.pop(key, None)
        if e is None:
            create.append(PointEntry(
                member_id=key[0], org_path=paths[key[0]], date=day, year=year, category=category, points=value, source=key[1],
                source_id=key[2], description=note[:300], state=PointEntry.State.APPROVED,
            ))
        elif (e.points, e.category, e.date, e.description, e.org_path) != (value, category, day, note[:300], paths[key[0]]):
            e.points, e.category, e.date, e.description, e.org_path = value, category, day, note[:300], paths[key[0]]
            update.append(e)
    PointEntry.objects.bulk_create(create, batch_size=2000, ignore_conflicts=True)
    PointEntry.objects.bulk_update(update, ["points", "category", "date", "description", "org_path"], batch_size=2000)
    stale = [e.pk for e in existing.values()]
    PointEntry.objects.filter(pk__in=stale).delete()
    return len(create), len(update), len(stale)


@transaction.atomic
def recompute_points(target, year, *, actor=None, today=None):
    """Bring the automatic entries of `target` (an organization's subtree or one member) for `year` in line with the
    attendance, dues and confirmed community service records. Idempotent: entries are keyed by their source record (unique), so a rerun creates
    nothing twice; entries whose record no longer earns points are removed. Members are processed CHUNK at a time.
    Returns (created, updated, deleted)."""
    today = today or timezone.localdate()
    all_rules = {r.org_path: r for r in PointRule.objects.all()}
    if isinstance(target, Member):
        return _sync([target], year, today, all_rules)
    if actor is not None:
        _require_manage(actor, target)
    members = Member.objects.in_register().filter(org_path__startswith=target.path).only("id", "org_path").order_by("id")
    totals_ = [0, 0, 0]
    last_id = 0
    while True:
        chunk = list(members.filter(id__gt=last_id)[:CHUNK])
        if not chunk:
            break
        last_id = chunk[-1].pk
        for i, n in enumerate(_sync(chunk, year, today, all_rules)):
            totals_[i] += n
    created, updated, deleted = totals_
    if actor is not None:
        audit.record(audit.Action.UPDATE, target, actor=actor, org_path=target.path,
                     note=f"重新计算{year}年积分：新增{created}条，更新{updated}条，删除{deleted}条")
    return created, updated, deleted


# ---- manual entries -----------------------------------------------------------------------------------------


@transaction.atomic
def propose_entry(actor, member, data):
    """A manual entry (service done, another merit, a deduction) waiting for the branch's approval. A member may
    propose their own merits; the branch's managers may propose any entry for its members."""
    branch = branch_of(member.org)
    own = member.user_id is not None and member.user_id == actor.pk
    if not own:
        _require_manage(actor, branch)
    errors = {}
    category = data.get("category")
    allowed = (Category.SERVICE, Category.OTHER) if own and not scoping.can_manage_org(actor, branch) else rules.MANUAL_CATEGORIES
    if category not in [c.value for c in allowed]:
        errors["category"] = "请选择项目"
    try:
        points = int(str(data.get("points", "")).strip())
    except ValueError:
        errors["points"] = "请输入整数分值"
        points = None
    if points is not None and "category" not in errors:
        message = rules.manual_points_error(category, points)
        if message:
            errors["points"] = message
    day = data.get("date")
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day) if day else None
        except ValueError:
            day = None
            errors["date"] = "请输入有效日期"
    today = timezone.localdate()
    day = day or today
    if day > today:
        errors["date"] = "日期不能晚于今天"
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = "请填写事由"
    if errors:
        raise ValidationError(errors)
    entry = PointEntry.objects.create(
        member=member, org_path=member.org_path, date=day, year=day.year, category=category, points=points, source=Source.MANUAL,
        description=description[:300], state=PointEntry.State.PENDING, proposed_by=actor,
    )
    audit.record(audit.Action.CREATE, entry, after=audit.snapshot(entry, ENTRY_FIELDS), org_path=branch.path, actor=actor, note="申报积分")
    if own:
        from django.urls import reverse

        from grassroots.accounts.models import RoleAssignment
        from grassroots.core.roles import MANAGING_ROLES

        managers = RoleAssignment.objects.active().filter(org=branch, role__in=MANAGING_ROLES).values_list("user_id", flat=True)
        notifications.notify(list(managers), title=f"{member.name}申报积分：{description[:40]}", link=reverse("points:org", args=[branch.pk]),
                             org_path=branch.path)
    return entry


@transaction.atomic
def decide_entry(actor, entry, *, approve, note=""):
    entry = PointEntry.objects.select_for_update(of=("self",)).select_related("member__org").get(pk=entry.pk)
    branch = branch_of(entry.member.org)
    _require_manage(actor, branch)
    if entry.source != Source.MANUAL or entry.state != PointEntry.State.PENDING:
        raise ValidationError("该积分记录不在待审核状态")
    if not approve and not (note or "").strip():
        raise ValidationError({"decision_note": "不予认定时请填写理由"})
    if StarRating.objects.filter(member_id=entry.member_id, year=entry.year, confirmed=True).exists():
        raise ValidationError("该党员本年度星级已确认，不能再认定积分")
    before = audit.snapshot(entry, ENTRY_FIELDS)
    entry.state = PointEntry.State.APPROVED if approve else PointEntry.State.REJECTED
    entry.decided_by, entry.decided_at, entry.decision_note = actor, timezone.now(), (note or "")[:300]
    entry.save()
    audit.record(audit.Action.APPROVE if approve else audit.Action.REJECT, entry, before=before,
                 after=audit.snapshot(entry, ENTRY_FIELDS), org_path=branch.path, actor=actor, note=note)
    if entry.proposed_by_id and entry.proposed_by_id != actor.pk and entry.proposed_by_id == entry.member.user_id:
        from django.urls import reverse

        notifications.notify([entry.proposed_by_id], title=f"积分申报{entry.get_state_display()}：{entry.description[:40]}",
                             body=note, link=reverse("points:mine"), org_path=branch.path)
    return entry


# ---- star ratings -------------------------------------------------------------------------------------------


def totals(member_ids, year):
    """{member id: approved total for the year} in one query."""
    return dict(
        PointEntry.objects.filter(member_id__in=member_ids, year=year, state=PointEntry.State.APPROVED)
        .values("member_id").annotate(total=Sum("points")).values_list("member_id", "total")
    )


def _require_branch(org):
    if org.kind not in BRANCH_KINDS:
        raise ValidationError("星级评定以党支部为单位：请选择一个党支部")


@transaction.atomic
def rate_branch(actor, branch, year):
    """Rate every member of the branch for the year from their approved totals and the thresholds in force; can be
    re-run until confirmed."""
    _require_branch(branch)
    _require_manage(actor, branch)
    if StarRating.objects.filter(org=branch, year=year, confirmed=True).exists():
        raise ValidationError("本年度星级评定已确认，不能重新评定")
    if year > timezone.localdate().year:
        raise ValidationError({"year": "不能评定未来的年度"})
    rule = rule_for(branch)
    thresholds = list(rule.thresholds)
    members = list(Member.objects.in_register().filter(org_path__startswith=branch.path, joined_on__lte=datetime.date(year, 12, 31)))
    sums = totals([m.pk for m in members], year)
    StarRating.objects.filter(org=branch, year=year).delete()
    ratings = [
        StarRating(member=m, org=branch, org_path=branch.path, year=year, total=sums.get(m.pk, 0) or 0,
                   stars=rules.stars_for(sums.get(m.pk, 0) or 0, thresholds), thresholds=thresholds, rated_by=actor)
        for m in members
    ]
    StarRating.objects.bulk_create(ratings)
    audit.record(audit.Action.UPDATE, branch, actor=actor, org_path=branch.path,
                 note=f"评定{year}年党员星级：{len(ratings)}人，分数线{thresholds}")
    return ratings


@transaction.atomic
def confirm_rating(actor, branch, year):
    _require_branch(branch)
    _require_manage(actor, branch)
    qs = StarRating.objects.filter(org=branch, year=year)
    if not qs.exists():
        raise ValidationError("本年度尚未评定星级")
    if qs.filter(confirmed=True).exists():
        raise ValidationError("本年度星级评定已确认")
    n = qs.update(confirmed=True)
    audit.record(audit.Action.CONFIRM, branch, actor=actor, org_path=branch.path, note=f"确认{year}年党员星级评定（{n}人）")
    return n
