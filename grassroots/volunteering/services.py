"""Every change of 双报到 goes through these functions: register (by the member or in a batch by the unit), the
community's confirmation and receipt, needs, offers and matching, posts and slots, claims and cancellations, the
service log and its confirmation, points proposed through the points app, and the community's evaluations."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.models import Notification
from grassroots.core.roles import MANAGING_ROLES, Role
from grassroots.dues.services import branch_of
from grassroots.members.models import Member
from grassroots.members.rules import add_months
from grassroots.orgs.choices import Category, Kind
from grassroots.orgs.models import Organization

from . import rules, signals
from .choices import ACTIVE_REG_STATES, ClaimState, LogState, RegState
from .models import Claim, CommunityCap, Evaluation, Need, Offer, Post, Registration, ServiceCategory, ServiceLog, Slot

REG_FIELDS = ["member", "community", "basis", "state", "registered_on", "confirmed_on", "expires_on", "decision_note"]
LOG_FIELDS = ["member", "community", "served_on", "hours", "content", "state", "decision_note"]
KIND = Notification.Kind.VOLUNTEERING


def communities():
    """The organizations members may register at: the active Party organizations of urban communities."""
    return Organization.objects.active().filter(category=Category.COMMUNITY).exclude(kind=Kind.GROUP)


def keeps_desk(user, community):
    """The community's desk keepers and the managers of the community's Party organization."""
    return scoping.covers(scoping.community_desk_paths(user), community.path) or scoping.can_manage_org(user, community)


def _require_desk(user, community):
    if not keeps_desk(user, community):
        raise PermissionDenied("您不是该社区的报到管理员")


def _is_own(user, member):
    return member.user_id is not None and member.user_id == user.pk


def _unit_managers(unit):
    return list(RoleAssignment.objects.active().filter(org=unit, role__in=MANAGING_ROLES).values_list("user_id", flat=True))


def _desk_keepers(community):
    ids = RoleAssignment.objects.active().filter(
        Q(org=community, role=Role.COMMUNITY_DESK) | Q(org=community, role__in=MANAGING_ROLES)
    ).values_list("user_id", flat=True)
    return list(ids)


def cap_of(community):
    row = CommunityCap.objects.filter(community=community).first()
    return row.cap if row else rules.community_cap()


def current_registration(member, today=None):
    """The member's pending or confirmed registration, if any."""
    return Registration.objects.filter(member=member, state__in=ACTIVE_REG_STATES).select_related("community").first()


def _text(data, key, limit, required_message=None):
    value = (data.get(key) or "").strip()
    if required_message and not value:
        raise ValidationError({key: required_message})
    return value[:limit]


# ---- registration -------------------------------------------------------------------------------------------


def _check_member(member):
    if member.state != "normal":
        raise ValidationError("该党员党籍状态不正常，不能报到")
    if not member.in_service:
        raise ValidationError("双报到面向在职党员；离退休党员请参加居住地党组织活动")


@transaction.atomic
def register(actor, member, community, data, *, by_unit=False, today=None):
    """The member (or their unit, in a batch) registers at a community. One community at a time: a member whose
    registration is due (at most REMIND_DAYS_BEFORE days left, or lapsed) registers again, which ends the old one;
    a member with a current one must end it first."""
    today = today or timezone.localdate()
    if not (_is_own(actor, member) or scoping.can_manage_org(actor, member.org)):
        raise PermissionDenied("只能为本人或本单位党员报到")
    _check_member(member)
    if not communities().filter(pk=community.pk).exists():
        raise ValidationError({"community": "请选择一个城市社区党组织"})
    basis = data.get("basis")
    if basis not in ("live", "work", "chosen"):
        raise ValidationError({"basis": "请选择报到方式"})
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one registration at a time, even when two tabs submit
    current = current_registration(member)
    if current:
        due = current.state == RegState.CONFIRMED and current.expires_on and current.expires_on <= today + datetime.timedelta(
            days=rules.REMIND_DAYS_BEFORE)
        if not due:
            raise ValidationError({"community": f"已在{current.community.name}报到（{current.get_state_display()}），一次只能在一个社区报到"})
        current.state = RegState.ENDED
        current.decision_note = "重新报到"
        current.save(update_fields=["state", "decision_note"])
        audit.record(audit.Action.CLOSE, current, org_path=current.org_path, actor=actor, note="重新报到，原报到结束")
    Organization.objects.select_for_update().filter(pk=community.pk).first()  # the cap counts under this lock
    taken = Registration.objects.filter(community=community, state__in=ACTIVE_REG_STATES).count()
    if taken >= cap_of(community):
        raise ValidationError({"community": f"{community.name}报到人数已达上限（{cap_of(community)} 人），请选择其他社区"})
    unit = branch_of(member.org)
    reg = Registration.objects.create(
        member=member, org_path=member.org_path, unit=unit, community=community, community_path=community.path, basis=basis,
        skills=_text(data, "skills", 200), pledge=_text(data, "pledge", 300), by_unit=by_unit, registered_on=today, created_by=actor,
    )
    audit.record(audit.Action.CREATE, reg, after=audit.snapshot(reg, REG_FIELDS), org_path=member.org_path, actor=actor,
                 note="单位集中报到" if by_unit else "社区报到")
    notifications.notify(_desk_keepers(community), title=f"{member.name}（{unit.name}）到社区报到，请确认", link=reverse("volunteering:desk"),
                         kind=KIND, org_path=community.path)
    return reg


@transaction.atomic
def batch_register(actor, unit, rows, today=None):
    """Rows [(line, name or ID number tail, community code, basis, skills)] of the unit's members: all or none.
    Each bad row is reported with its line number."""
    if not scoping.can_manage_org(actor, unit):
        raise PermissionDenied("您没有管理该党组织的权限")
    members = {m.name: m for m in Member.objects.in_register().filter(org_path__startswith=unit.path)}
    names_seen = set()
    errors, done = [], []
    basis_of = {"居住地": "live", "居住地社区": "live", "工作地": "work", "工作地社区": "work", "自选": "chosen", "自选社区": "chosen",
                "live": "live", "work": "work", "chosen": "chosen"}
    by_code = {o.code: o for o in communities()}
    for line, name, code, basis, skills in rows:
        member = members.get(name)
        community = by_code.get(code)
        if member is None:
            errors.append(f"第 {line} 行：本单位找不到党员“{name}”")
            continue
        if name in names_seen:
            errors.append(f"第 {line} 行：“{name}”重复")
            continue
        names_seen.add(name)
        if community is None:
            errors.append(f"第 {line} 行：找不到社区代码“{code}”")
            continue
        if basis_of.get(basis) is None:
            errors.append(f"第 {line} 行：报到方式须为 居住地、工作地 或 自选")
            continue
        try:
            with transaction.atomic():
                done.append(register(actor, member, community, {"basis": basis_of[basis], "skills": skills}, by_unit=True, today=today))
        except ValidationError as exc:
            errors.append(f"第 {line} 行：{name}：{'；'.join(m for ms in _messages(exc) for m in ms)}")
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return done


def _messages(exc):
    if hasattr(exc, "error_dict"):
        return [[m for e in es for m in e.messages] for es in exc.error_dict.values()]
    return [exc.messages]


@transaction.atomic
def decide_registration(actor, reg, *, accept, note="", today=None):
    """The community confirms (a receipt to the unit) or declines a pending registration."""
    today = today or timezone.localdate()
    reg = Registration.objects.select_for_update().select_related("member", "community", "unit").get(pk=reg.pk)
    _require_desk(actor, reg.community)
    if reg.state != RegState.PENDING:
        raise ValidationError("该报到不在待确认状态")
    if not accept and not note.strip():
        raise ValidationError({"decision_note": "不接收时请说明理由"})
    before = audit.snapshot(reg, REG_FIELDS)
    reg.state = RegState.CONFIRMED if accept else RegState.REJECTED
    reg.decided_by = actor
    reg.decision_note = note.strip()[:200]
    if accept:
        reg.confirmed_on = today
        reg.expires_on = add_months(today, rules.reregister_months())
    reg.save()
    audit.record(audit.Action.CONFIRM if accept else audit.Action.REJECT, reg, before=before, after=audit.snapshot(reg, REG_FIELDS),
                 org_path=reg.org_path, actor=actor, note="社区报到回执" if accept else "社区未接收报到")
    title = (f"报到回执：{reg.member.name}已于{today:%Y-%m-%d}到{reg.community.name}报到" if accept
             else f"{reg.community.name}未接收{reg.member.name}的报到：{reg.decision_note}")
    notifications.notify(_unit_managers(reg.unit), title=title, link=reverse("volunteering:unit"), kind=KIND, org_path=reg.unit.path)
    notifications.notify([reg.member.user_id], title=title, link=reverse("volunteering:my"), kind=KIND, org_path=reg.org_path)
    return reg


@transaction.atomic
def end_registration(actor, reg, note=""):
    reg = Registration.objects.select_for_update().select_related("member", "community").get(pk=reg.pk)
    if not (_is_own(actor, reg.member) or scoping.can_manage_org(actor, reg.member.org) or keeps_desk(actor, reg.community)):
        raise PermissionDenied("您不能结束该报到")
    if reg.state not in ACTIVE_REG_STATES:
        raise ValidationError("该报到已结束")
    reg.state = RegState.ENDED
    reg.decision_note = (note or "本人结束报到").strip()[:200]
    reg.save(update_fields=["state", "decision_note"])
    audit.record(audit.Action.CLOSE, reg, org_path=reg.org_path, actor=actor, note=reg.decision_note)
    return reg


@transaction.atomic
def set_cap(actor, community, cap):
    _require_desk(actor, community)
    try:
        cap = int(cap)
    except (TypeError, ValueError):
        raise ValidationError({"cap": "请输入整数"}) from None
    if not 1 <= cap <= 100000:
        raise ValidationError({"cap": "上限须在 1 到 100000 之间"})
    row, _ = CommunityCap.objects.update_or_create(community=community, defaults={"cap": cap, "community_path": community.path})
    audit.record(audit.Action.UPDATE, row, after={"cap": cap}, org_path=community.path, actor=actor, note="报到人数上限")
    return row


@transaction.atomic
def remind_and_lapse(today=None):
    """Remind members whose registration lapses within REMIND_DAYS_BEFORE days (once), and end the registrations
    that lapsed (the member and the unit are told). Returns (reminded, lapsed)."""
    today = today or timezone.localdate()
    soon = Registration.objects.filter(state=RegState.CONFIRMED, reminded_on__isnull=True, expires_on__gte=today,
                                       expires_on__lte=today + datetime.timedelta(days=rules.REMIND_DAYS_BEFORE)).select_related("member", "community")
    reminded = 0
    for reg in soon:
        notifications.notify([reg.member.user_id], title=f"您在{reg.community.name}的报到将于{reg.expires_on:%Y-%m-%d}到期，请重新报到",
                             link=reverse("volunteering:my"), kind=Notification.Kind.REMINDER, org_path=reg.org_path)
        reminded += 1
    soon.update(reminded_on=today)
    lapsed = list(Registration.objects.filter(state=RegState.CONFIRMED, expires_on__lt=today).select_related("member", "community", "unit"))
    for reg in lapsed:
        reg.state = RegState.ENDED
        reg.decision_note = "逾期未重新报到"
        reg.save(update_fields=["state", "decision_note"])
        audit.record(audit.Action.CLOSE, reg, org_path=reg.org_path, note="逾期未重新报到")
        title = f"{reg.member.name}在{reg.community.name}的报到已逾期结束，请重新报到"
        notifications.notify([reg.member.user_id, *_unit_managers(reg.unit)], title=title, link=reverse("volunteering:my"),
                             kind=Notification.Kind.REMINDER, org_path=reg.org_path)
    return reminded, len(lapsed)


# ---- needs, offers, posts and slots ---------------------------------------------------------------------------


def _category(data):
    try:
        return ServiceCategory.objects.get(pk=int(data.get("category") or 0), is_active=True)
    except (ValueError, ServiceCategory.DoesNotExist):
        raise ValidationError({"category": "请选择类别"}) from None


@transaction.atomic
def publish_need(actor, community, data):
    _require_desk(actor, community)
    need = Need.objects.create(community=community, community_path=community.path, category=_category(data),
                               title=_text(data, "title", 100, "请填写需求"), description=_text(data, "description", 2000))
    audit.record(audit.Action.PUBLISH, need, org_path=community.path, actor=actor, note="社区需求清单")
    return need


@transaction.atomic
def close_need(actor, need):
    _require_desk(actor, need.community)
    if not need.is_open:
        raise ValidationError("该需求已结束征集")
    need.is_open = False
    need.save(update_fields=["is_open"])
    audit.record(audit.Action.CLOSE, need, org_path=need.community_path, actor=actor)
    return need


@transaction.atomic
def publish_offer(actor, org, community, data):
    """An agency branch lists what it offers the community it registers at (资源清单)."""
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织的权限")
    if not communities().filter(pk=community.pk).exists():
        raise ValidationError({"community": "请选择一个城市社区党组织"})
    offer = Offer.objects.create(org=org, org_path=org.path, community=community, community_path=community.path, category=_category(data),
                                 title=_text(data, "title", 100, "请填写资源"), description=_text(data, "description", 2000))
    audit.record(audit.Action.PUBLISH, offer, org_path=org.path, actor=actor, note=f"资源清单：面向{community.name}")
    notifications.notify(_desk_keepers(community), title=f"{org.name}提供资源：{offer.title}", link=reverse("volunteering:desk"), kind=KIND,
                         org_path=community.path)
    return offer


@transaction.atomic
def match_offer(actor, offer, need, today=None):
    _require_desk(actor, need.community)
    if offer.community_id != need.community_id:
        raise ValidationError("该资源不是面向本社区的")
    if offer.need_id:
        raise ValidationError("该资源已对接")
    offer.need = need
    offer.matched_on = today or timezone.localdate()
    offer.save(update_fields=["need", "matched_on"])
    audit.record(audit.Action.ASSIGN, offer, org_path=need.community_path, actor=actor, note=f"对接需求：{need.title}")
    notifications.notify(_unit_managers(offer.org), title=f"{need.community.name}已将“{offer.title}”对接需求“{need.title}”",
                         link=reverse("volunteering:unit"), kind=KIND, org_path=offer.org_path)
    return offer


@transaction.atomic
def create_post(actor, community, data):
    _require_desk(actor, community)
    post = Post.objects.create(community=community, community_path=community.path, category=_category(data),
                               title=_text(data, "title", 100, "请填写岗位名称"), description=_text(data, "description", 2000),
                               place=_text(data, "place", 100))
    audit.record(audit.Action.CREATE, post, org_path=community.path, actor=actor, note="服务岗位")
    return post


def _when(value, field):
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        return timezone.make_aware(datetime.datetime.fromisoformat(str(value)))
    except ValueError:
        raise ValidationError({field: "请输入有效的日期时间"}) from None


@transaction.atomic
def add_slot(actor, post, data):
    _require_desk(actor, post.community)
    starts_at, ends_at = _when(data.get("starts_at"), "starts_at"), _when(data.get("ends_at"), "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
    try:
        capacity = int(data.get("capacity") or 0)
    except ValueError:
        capacity = 0
    if not 1 <= capacity <= 500:
        raise ValidationError({"capacity": "人数须在 1 到 500 之间"})
    slot = Slot.objects.create(post=post, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    audit.record(audit.Action.CREATE, slot, org_path=post.community_path, actor=actor, note=f"岗位时段：{post.title}")
    return slot


# ---- claims -------------------------------------------------------------------------------------------------


@transaction.atomic
def claim_slot(actor, member, slot, now=None):
    """The member claims a slot of a post of the community they are registered at. The member's own row is locked
    (no two clashing claims at once); the slot's count goes up by a conditional UPDATE that matches no row when the
    slot is full, so simultaneous claims can never overbook it."""
    now = now or timezone.now()
    if not _is_own(actor, member):
        raise PermissionDenied("只能本人认领岗位")
    Member.objects.select_for_update().filter(pk=member.pk).first()
    slot = Slot.objects.select_related("post").get(pk=slot.pk)
    reg = current_registration(member)
    if reg is None or reg.state != RegState.CONFIRMED or reg.community_id != slot.post.community_id:
        raise ValidationError("请先到该社区报到并经社区确认后再认领岗位")
    if reg.expires_on and reg.expires_on < now.date():
        raise ValidationError("您的报到已到期，请重新报到")
    if not slot.post.is_open:
        raise ValidationError("该岗位已停止认领")
    if slot.starts_at <= now:
        raise ValidationError("该时段已开始，不能认领")
    if Claim.objects.filter(member=member, slot=slot, state=ClaimState.ACTIVE).exists():
        raise ValidationError("您已认领该时段")
    clash = Claim.objects.filter(member=member, state=ClaimState.ACTIVE, slot__starts_at__lt=slot.ends_at,
                                 slot__ends_at__gt=slot.starts_at).select_related("slot__post").first()
    if clash:
        raise ValidationError(f"与您已认领的“{clash.slot.post.title}”（{timezone.localtime(clash.slot.starts_at):%m-%d %H:%M}）时间冲突")
    if not Slot.objects.filter(pk=slot.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1):
        raise ValidationError("该时段已满员")
    try:
        with transaction.atomic():
            claim = Claim.objects.create(slot=slot, member=member, org_path=member.org_path, community_path=slot.post.community_path)
    except IntegrityError:
        raise ValidationError("您已认领该时段") from None
    audit.record(audit.Action.CREATE, claim, org_path=member.org_path, actor=actor, note=f"认领岗位：{slot}")
    return claim


@transaction.atomic
def cancel_claim(actor, claim, now=None):
    now = now or timezone.now()
    claim = Claim.objects.select_for_update().select_related("slot", "member").get(pk=claim.pk)
    desk = keeps_desk(actor, claim.slot.post.community)
    if not (_is_own(actor, claim.member) or desk):
        raise PermissionDenied("只能取消本人的认领")
    if claim.state != ClaimState.ACTIVE:
        raise ValidationError("该认领已取消")
    if not desk and not rules.can_cancel(claim.slot.starts_at, now):
        raise ValidationError(f"开始前 {rules.cancel_hours()} 小时内不能自行取消，请联系社区")
    claim.state = ClaimState.CANCELLED
    claim.cancelled_at = now
    claim.save(update_fields=["state", "cancelled_at"])
    Slot.objects.filter(pk=claim.slot_id).update(taken=F("taken") - 1)
    audit.record(audit.Action.CANCEL, claim, org_path=claim.org_path, actor=actor, note=f"取消认领：{claim.slot}")
    return claim


# ---- service log ------------------------------------------------------------------------------------------


def _hours(value):
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        hours = None
    message = rules.hours_error(hours)
    if message:
        raise ValidationError({"hours": message})
    return hours


def _day(value, today):
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({"served_on": "请输入有效日期"}) from None
    if day > today:
        raise ValidationError({"served_on": "服务日期不能晚于今天"})
    return day


@transaction.atomic
def record_hours(actor, member, community, data, *, claim=None, today=None):
    """Hours of service: the community records them (confirmed at once), or the member reports them (pending)."""
    today = today or timezone.localdate()
    own = _is_own(actor, member)
    desk = keeps_desk(actor, community)
    if not (own or desk):
        raise PermissionDenied("只能由社区登记或本人申报")
    if not Registration.objects.filter(member=member, community=community).exclude(state=RegState.REJECTED).exists():
        raise ValidationError("该党员未在该社区报到")
    if claim is not None and (claim.member_id != member.pk or claim.state != ClaimState.ACTIVE or hasattr(claim, "log")):
        raise ValidationError("该认领不能登记时长")
    day = _day(data.get("served_on") or today, today)
    hours = _hours(data.get("hours"))
    content = _text(data, "content", 200) or (claim.slot.post.title if claim else "")
    if not content:
        raise ValidationError({"content": "请填写服务内容"})
    log = ServiceLog.objects.create(
        member=member, org_path=member.org_path, unit=branch_of(member.org), community=community, community_path=community.path, claim=claim,
        served_on=day, year=day.year, hours=hours, content=content, self_reported=not desk,
        state=LogState.CONFIRMED if desk else LogState.PENDING, decided_by=actor if desk else None,
    )
    audit.record(audit.Action.CREATE, log, after=audit.snapshot(log, LOG_FIELDS), org_path=member.org_path, actor=actor,
                 note="社区登记服务时长" if desk else "本人申报服务时长")
    if desk:
        signals.service_confirmed.send(sender=ServiceLog, log=log)
    else:
        notifications.notify(_desk_keepers(community), title=f"{member.name}申报服务时长 {hours} 小时，请确认", link=reverse("volunteering:desk"),
                             kind=KIND, org_path=community.path)
    return log


@transaction.atomic
def decide_hours(actor, log, *, approve, note=""):
    log = ServiceLog.objects.select_for_update().select_related("community", "member").get(pk=log.pk)
    _require_desk(actor, log.community)
    if log.state != LogState.PENDING:
        raise ValidationError("该记录不在待确认状态")
    if not approve and not note.strip():
        raise ValidationError({"decision_note": "不予确认时请说明理由"})
    before = audit.snapshot(log, LOG_FIELDS)
    log.state = LogState.CONFIRMED if approve else LogState.REJECTED
    log.decided_by = actor
    log.decision_note = note.strip()[:200]
    log.save()
    audit.record(audit.Action.APPROVE if approve else audit.Action.REJECT, log, before=before, after=audit.snapshot(log, LOG_FIELDS),
                 org_path=log.org_path, actor=actor)
    if approve:
        signals.service_confirmed.send(sender=ServiceLog, log=log)
    notifications.notify([log.member.user_id], title=f"服务时长 {log.hours} 小时{'已确认' if approve else '未确认'}", link=reverse("volunteering:my"),
                         kind=KIND, org_path=log.org_path)
    return log


# ---- evaluations ------------------------------------------------------------------------------------------


def hours_between(member_ids, community, start, end):
    rows = ServiceLog.objects.filter(member_id__in=member_ids, community=community, state=LogState.CONFIRMED, served_on__range=(start, end))
    return rows.aggregate(h=Sum("hours"))["h"] or Decimal(0)


@transaction.atomic
def evaluate(actor, community, unit, data, *, member=None):
    """The community's evaluation of a registered member (or of a unit) for a quarter or the year, delivered to the
    unit's managers and visible in the member's record; it feeds 民主评议 through member_evaluations()."""
    _require_desk(actor, community)
    try:
        year, quarter = int(data.get("year")), int(data.get("quarter") or 0)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请选择年度"}) from None
    if not 0 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationError({"quarter": "季度须为 1 至 4，或全年"})
    grade = data.get("grade")
    if grade not in ("excellent", "good", "fair", "poor"):
        raise ValidationError({"grade": "请选择评价"})
    regs = Registration.objects.filter(community=community, unit=unit).exclude(state=RegState.REJECTED)
    if member is not None:
        regs = regs.filter(member=member)
    if not regs.exists():
        raise ValidationError("该党员（单位）未在本社区报到")
    start, end = rules.quarter_range(year, quarter)
    ids = [member.pk] if member else list(regs.values_list("member_id", flat=True))
    if Evaluation.objects.filter(community=community, unit=unit, member=member, year=year, quarter=quarter).exists():
        raise ValidationError("该期评价已提交")
    ev = Evaluation.objects.create(community=community, community_path=community.path, unit=unit, org_path=member.org_path if member else unit.path,
                                   member=member, year=year, quarter=quarter, grade=grade, hours=hours_between(ids, community, start, end),
                                   comment=_text(data, "comment", 300), created_by=actor)
    audit.record(audit.Action.REPORT, ev, org_path=ev.org_path, actor=actor, note=f"社区评价：{ev.period} {ev.get_grade_display()}")
    who = member.name if member else unit.name
    notifications.notify(_unit_managers(unit), title=f"{community.name}反馈：{who}{ev.period}评价{ev.get_grade_display()}",
                         link=reverse("volunteering:unit"), kind=KIND, org_path=unit.path)
    return ev


def member_evaluations(member, year):
    """The community's evaluations of a member for a year, with confirmed hours: for 民主评议 and the member's record."""
    evaluations = list(Evaluation.objects.filter(member=member, year=year).select_related("community"))
    hours = ServiceLog.objects.filter(member=member, year=year, state=LogState.CONFIRMED).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    return {"evaluations": evaluations, "hours": hours}


# ---- coordination ----------------------------------------------------------------------------------------


def load_per_unit(community):
    return (Registration.objects.filter(community=community, state__in=ACTIVE_REG_STATES).values("unit__name", "unit_id")
            .annotate(n=Count("id"), confirmed=Count("id", filter=Q(state=RegState.CONFIRMED))).order_by("-n", "unit__name"))


def load_per_post(community):
    return (Post.objects.filter(community=community).select_related("category")
            .annotate(slot_count=Count("slots", distinct=True), capacity=Sum("slots__capacity"), taken=Sum("slots__taken")).order_by("-taken", "title"))
