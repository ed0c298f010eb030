"""Every change of this app: one function per business action, atomic, checked and audited."""

import datetime

from django.db import transaction
from django.utils import timezone

from grassroots.core import audit, crypto, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.models import Notification
from grassroots.core.notifications import notify
from grassroots.core.pinyin import initials
from grassroots.members.rules import add_years
from grassroots.orgs.choices import Category

from . import coverage, rules
from .choices import Grade, LeaveLevel, LeaveState, PairingState, StationState
from .models import Assessment, Attendance, Household, HouseholdLink, Leave, Pairing, PoorVillage, Stationing, Visit, WorkLog

A = audit.Action


def _manage(actor, org, what="该组织"):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied(f"您没有管理{what}的权限")


def _village(org):
    if org.category != Category.RURAL or not org.is_active:
        raise ValidationError({"village": "只能选择在册的村党组织"})


# ---- poor villages and pairings ------------------------------------------------------------------------------------


@transaction.atomic
def flag_poor(actor, village, *, source, designated_on):
    _manage(actor, village, "该村")
    _village(village)
    if not (source or "").strip():
        raise ValidationError({"source": "请填写认定依据"})
    if PoorVillage.objects.filter(village=village, lifted_on__isnull=True).exists():
        raise ValidationError({"village": "该村已认定为贫困村（经济薄弱村）"})
    flag = PoorVillage.objects.create(village=village, org_path=village.path, source=source.strip(), designated_on=designated_on, created_by=actor)
    audit.record(A.CREATE, flag, org_path=village.path, actor=actor, note=f"认定贫困村：{flag.source}")
    return flag


@transaction.atomic
def lift_poor(actor, flag, *, lifted_on, reason):
    _manage(actor, flag.village, "该村")
    if flag.lifted_on:
        raise ValidationError({"lifted_on": "该认定已退出"})
    if not reason.strip():
        raise ValidationError({"lifted_reason": "请填写退出原因"})
    flag.lifted_on, flag.lifted_reason = lifted_on, reason.strip()
    flag.save(update_fields=["lifted_on", "lifted_reason"])
    audit.record(A.CLOSE, flag, org_path=flag.org_path, actor=actor, note=f"退出贫困村：{reason}")
    return flag


@transaction.atomic
def create_pairing(actor, partner, village, *, started_on, contact_name="", goals=""):
    """Pair an assisting unit with a village. The actor must manage the village (or a common ancestor)."""
    _manage(actor, village, "该村")
    _village(village)
    if partner.category not in rules.PARTNER_CATEGORIES or not partner.is_active:
        raise ValidationError({"partner": "帮扶单位须为在册的机关、企事业单位党组织"})
    if not scoping.can_read_org(actor, partner):
        raise ValidationError({"partner": "帮扶单位不在您的管理范围内"})
    if Pairing.objects.filter(partner=partner, village=village, state=PairingState.ACTIVE).exists():
        raise ValidationError({"village": f"{partner.name}已与该村结对"})
    pairing = Pairing.objects.create(partner=partner, partner_path=partner.path, village=village, org_path=village.path,
                                     started_on=started_on, contact_name=contact_name, goals=goals, created_by=actor)
    audit.record(A.CREATE, pairing, org_path=village.path, actor=actor, note="结对帮扶")
    return pairing


@transaction.atomic
def end_pairing(actor, pairing, *, ended_on, reason):
    """End a pairing. A village under rectification keeps its assisting unit until the case ends (the notice: the
    assisting unit may not detach before rectification ends), and a poor village may not be left without a pair."""
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    _manage(actor, pairing.village, "该村")
    if pairing.state != PairingState.ACTIVE:
        raise ValidationError({"state": "该结对已结束"})
    if not (reason or "").strip():
        raise ValidationError({"end_reason": "请填写结束原因"})
    others = Pairing.objects.filter(village=pairing.village, state=PairingState.ACTIVE).exclude(pk=pairing.pk).exists()
    if pairing.village_id in coverage.villages_under_rectification(pairing.village.path):
        raise ValidationError({"state": "该村正在软弱涣散整顿，整顿结束前帮扶单位不得脱钩"})
    if not others and PoorVillage.objects.filter(village=pairing.village, lifted_on__isnull=True).exists():
        raise ValidationError({"state": "该村为贫困村，须先安排新的结对单位再结束本结对"})
    pairing.state, pairing.ended_on, pairing.end_reason = PairingState.ENDED, ended_on, reason.strip()
    pairing.save(update_fields=["state", "ended_on", "end_reason"])
    audit.record(A.CLOSE, pairing, org_path=pairing.org_path, actor=actor, note=f"结束结对：{reason}")
    return pairing


# ---- stationing -----------------------------------------------------------------------------------------------------


def _set_phone(obj, phone):
    phone = (phone or "").strip()
    obj.phone_encrypted, obj.phone_masked = crypto.encrypt(phone), crypto.mask_phone(phone)


@transaction.atomic
def station(actor, village, *, kind, name, sending_unit, started_on, term_years, position="", phone="", user=None, replaces=None, case=None):
    """Station a first secretary or work-team member in a village (选派). The actor manages the village's county or
    township: a village secretary cannot station a cadre in their own village."""
    _village(village)
    township = coverage.township_of(village)
    if township is None or not scoping.can_manage_org(actor, township):
        raise PermissionDenied("选派驻村干部须由乡镇以上党委（组织部门）办理")
    if not rules.valid_term(term_years):
        low, high = rules.term_years_bounds()
        raise ValidationError({"term_years": f"任期应为 {low} 至 {high} 年"})
    if not (name or "").strip():
        raise ValidationError({"name": "请填写姓名"})
    if case is not None and not village.path.startswith(case.org.path) and not case.org.path.startswith(village.path):
        raise ValidationError({"case": "整顿案件须是该村的"})
    obj = Stationing(village=village, org_path=village.path, kind=kind, name=name.strip(), initials=initials(name.strip()),
                     user=user, sending_unit=sending_unit, sending_path=sending_unit.path, position=position,
                     started_on=started_on, term_years=term_years, ends_on=add_years(started_on, term_years) - datetime.timedelta(days=1),
                     replaces=replaces, case=case, created_by=actor)
    _set_phone(obj, phone)
    obj.save()
    audit.record(A.CREATE, obj, org_path=village.path, actor=actor, note=f"选派{obj.get_kind_display()}")
    return obj


def _leave_post(actor, stationing, *, on, reason, state):
    stationing = Stationing.objects.select_for_update().get(pk=stationing.pk)
    township = coverage.township_of(stationing.village)
    if township is None or not scoping.can_manage_org(actor, township):
        raise PermissionDenied("召回或轮换驻村干部须由乡镇以上党委（组织部门）办理")
    if stationing.state != StationState.ACTIVE:
        raise ValidationError({"state": "该干部已不在岗"})
    if not (reason or "").strip():
        raise ValidationError({"left_reason": "请填写原因"})
    if stationing.village_id in coverage.villages_under_rectification(stationing.village.path) and state == StationState.RECALLED:
        raise ValidationError({"state": "该村正在软弱涣散整顿，整顿结束前驻村干部不得撤离（可轮换）"})
    stationing.state, stationing.left_on, stationing.left_reason = state, on, reason.strip()
    stationing.save(update_fields=["state", "left_on", "left_reason"])
    return stationing


@transaction.atomic
def recall(actor, stationing, *, on, reason):
    stationing = _leave_post(actor, stationing, on=on, reason=reason, state=StationState.RECALLED)
    audit.record(A.CANCEL, stationing, org_path=stationing.org_path, actor=actor, note=f"召回：{reason}")
    return stationing


@transaction.atomic
def replace(actor, stationing, *, on, reason, name, sending_unit, term_years, phone="", user=None, position=""):
    """Rotate: the cadre leaves and a successor starts the same day, linked to the one they replace."""
    old = _leave_post(actor, stationing, on=on, reason=reason, state=StationState.REPLACED)
    new = station(actor, old.village, kind=old.kind, name=name, sending_unit=sending_unit, started_on=on, term_years=term_years,
                  phone=phone, user=user, position=position, replaces=old, case=old.case)
    audit.record(A.UPDATE, old, org_path=old.org_path, actor=actor, note=f"轮换：{reason}，由{new.name}接替")
    return new


def can_record_for(actor, stationing):
    """The cadre themself, or a manager of the village's township."""
    if stationing.user_id and stationing.user_id == actor.pk:
        return True
    township = coverage.township_of(stationing.village)
    return township is not None and scoping.can_manage_org(actor, township)


@transaction.atomic
def record_attendance(actor, stationing, *, month, days, note=""):
    if not can_record_for(actor, stationing):
        raise PermissionDenied("只有本人或乡镇党委可以填报在村考勤")
    month = rules.month_start(month)
    if month < rules.month_start(stationing.started_on) or (stationing.left_on and month > stationing.left_on):
        raise ValidationError({"month": "该月不在驻村期间"})
    if month > rules.month_start(timezone.localdate()):
        raise ValidationError({"month": "不能填报未来月份"})
    if not 0 <= days <= rules.days_in_month(month):
        raise ValidationError({"days": f"在村天数应在 0 至 {rules.days_in_month(month)} 之间"})
    required = rules.min_days(month)
    row, created = Attendance.objects.update_or_create(
        stationing=stationing, month=month,
        defaults={"org_path": stationing.org_path, "days": days, "required": required, "note": note, "recorded_by": actor},
    )
    audit.record(A.CREATE if created else A.UPDATE, row, org_path=stationing.org_path, actor=actor, object_repr=f"{stationing.name} {month:%Y-%m} 在村 {days} 天",
                 note=f"最低 {required} 天" + ("，不足" if days < required else ""))
    return row


@transaction.atomic
def request_leave(actor, stationing, *, starts_on, ends_on, reason):
    """Ask for leave. Up to rules.township_leave_max_days() days goes to the township, longer to the county."""
    if not can_record_for(actor, stationing):
        raise PermissionDenied("只有本人或乡镇党委可以申请请假")
    if stationing.state != StationState.ACTIVE:
        raise ValidationError({"state": "该干部已不在岗"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写请假事由"})
    overlap = stationing.leaves.exclude(state=LeaveState.REJECTED).filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlap.exists():
        raise ValidationError({"starts_on": "与已有的请假时间重叠"})
    days = (ends_on - starts_on).days + 1
    level = rules.leave_level(days)
    approver = coverage.township_of(stationing.village) if level == LeaveLevel.TOWNSHIP else coverage.county_of(stationing.village)
    leave = Leave.objects.create(stationing=stationing, org_path=stationing.org_path, starts_on=starts_on, ends_on=ends_on, days=days,
                                 reason=reason.strip(), level=level, approver_org=approver, approver_path=approver.path, requested_by=actor)
    audit.record(A.SUBMIT, leave, org_path=stationing.org_path, actor=actor, object_repr=f"{stationing.name} 请假 {days} 天",
                 note=f"{leave.get_level_display()}：{approver.name}")
    from grassroots.accounts.models import User
    from grassroots.core.roles import MANAGING_ROLES

    approvers = User.objects.filter(role_assignments__org=approver, role_assignments__role__in=MANAGING_ROLES).distinct()
    notify(list(approvers), title=f"{stationing.name}请假 {days} 天待审批", link=f"/assistance/stationings/{stationing.pk}/",
           kind=Notification.Kind.ASSISTANCE, org_path=approver.path)
    return leave


@transaction.atomic
def decide_leave(actor, leave, *, approve, note=""):
    """Approve or refuse leave: only a manager of the approving level (the township for short leave, the county's
    organization department for long leave)."""
    leave = Leave.objects.select_for_update().select_related("approver_org", "stationing").get(pk=leave.pk)
    if not scoping.can_manage_org(actor, leave.approver_org):
        raise PermissionDenied(f"该请假须由{leave.approver_org.name}审批（{leave.get_level_display()}）")
    if leave.state != LeaveState.PENDING:
        raise ValidationError({"state": "该请假已审批"})
    if not approve and not (note or "").strip():
        raise ValidationError({"decision_note": "不批准须说明理由"})
    leave.state = LeaveState.APPROVED if approve else LeaveState.REJECTED
    leave.decided_by, leave.decided_at, leave.decision_note = actor, timezone.now(), note.strip()
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(A.APPROVE if approve else A.REJECT, leave, org_path=leave.org_path, actor=actor, object_repr=f"{leave.stationing.name} 请假 {leave.days} 天", note=note)
    return leave


@transaction.atomic
def write_log(actor, stationing, *, month, work, problems="", plan=""):
    if not can_record_for(actor, stationing):
        raise PermissionDenied("只有本人或乡镇党委可以填写工作月志")
    if not (work or "").strip():
        raise ValidationError({"work": "请填写本月工作"})
    month = rules.month_start(month)
    if month > rules.month_start(timezone.localdate()):
        raise ValidationError({"month": "不能填写未来月份"})
    log, created = WorkLog.objects.update_or_create(stationing=stationing, month=month, defaults={
        "org_path": stationing.org_path, "work": work.strip(), "problems": problems, "plan": plan, "written_by": actor})
    audit.record(A.CREATE if created else A.UPDATE, log, org_path=stationing.org_path, actor=actor, object_repr=f"{stationing.name} {month:%Y-%m} 工作月志")
    return log


# ---- households ------------------------------------------------------------------------------------------------------

SENSITIVE = {"id_number": "公民身份号码", "phone": "联系电话", "address": "住址"}


def _set_sensitive(household, field, value):
    value = (value or "").strip()
    if field == "id_number":
        value = value.upper().replace(" ", "")
        household.id_number_hash = crypto.lookup_hash(value)
        masked = crypto.mask_id_number(value)
    elif field == "phone":
        masked = crypto.mask_phone(value)
    else:
        masked = (value[:4] + "****") if value else ""  # the township or village part only
    setattr(household, f"{field}_encrypted", crypto.encrypt(value))
    setattr(household, f"{field}_masked", masked)


def can_edit_households(actor, village):
    return scoping.can_manage_org(actor, village) or scoping.covers(scoping.stationed_paths(actor), village.path)


@transaction.atomic
def add_household(actor, village, *, kind, head_name, members_count=1, id_number="", phone="", address="", situation=""):
    _village(village)
    if not can_edit_households(actor, village):
        raise PermissionDenied("您没有登记该村联系户的权限")
    if not (head_name or "").strip():
        raise ValidationError({"head_name": "请填写户主姓名"})
    if id_number and len(id_number.strip()) != 18:
        raise ValidationError({"id_number": "公民身份号码应为18位"})
    h = Household(village=village, org_path=village.path, kind=kind, head_name=head_name.strip(), initials=initials(head_name.strip()),
                  members_count=members_count, situation=situation, created_by=actor)
    for field, value in (("id_number", id_number), ("phone", phone), ("address", address)):
        _set_sensitive(h, field, value)
    if h.id_number_hash and Household.objects.filter(village=village, id_number_hash=h.id_number_hash, active=True).exists():
        raise ValidationError({"id_number": "该户已登记"})
    h.save()
    audit.record(A.CREATE, h, org_path=village.path, actor=actor, note=f"登记联系户（{h.get_kind_display()}）")
    return h


def can_reveal(actor, household):
    """Managers of the village and the cadres stationed there see full values (as members.services.can_reveal)."""
    return scoping.covers(scoping.manage_paths(actor), household.org_path) or scoping.covers(scoping.stationed_paths(actor), household.org_path)


def reveal(actor, household, field):
    if field not in SENSITIVE:
        raise ValidationError({"field": "只能查看身份号码、联系电话或住址"})
    if not can_reveal(actor, household):
        raise PermissionDenied("您的角色不能查看完整的个人信息")
    value = crypto.decrypt(getattr(household, f"{field}_encrypted"))
    audit.record(A.REVEAL, household, org_path=household.org_path, actor=actor, note=f"查看完整{SENSITIVE[field]}")
    return value


@transaction.atomic
def link_household(actor, household, *, cadre_name="", stationing=None, started_on):
    if not can_edit_households(actor, household.village):
        raise PermissionDenied("您没有登记该村联户关系的权限")
    if stationing is not None:
        if stationing.village_id != household.village_id or stationing.state != StationState.ACTIVE:
            raise ValidationError({"stationing": "只能联系本村在岗的驻村干部"})
        cadre_name = stationing.name
    if not (cadre_name or "").strip():
        raise ValidationError({"cadre_name": "请填写联户干部"})
    link = HouseholdLink.objects.create(household=household, org_path=household.org_path, stationing=stationing,
                                        cadre_name=cadre_name.strip(), started_on=started_on, created_by=actor)
    audit.record(A.ASSIGN, link, org_path=household.org_path, actor=actor, object_repr=f"{link.cadre_name} 联系 {household.head_name}")
    return link


@transaction.atomic
def record_visit(actor, link, *, visited_on, needs, solved="", resolved=False):
    household = link.household
    own = link.stationing_id and link.stationing.user_id == actor.pk
    if not (own or can_edit_households(actor, household.village)):
        raise PermissionDenied("您没有记录该户走访的权限")
    if not (needs or "").strip():
        raise ValidationError({"needs": "请填写群众诉求"})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "走访日期不能晚于今天"})
    visit = Visit.objects.create(link=link, org_path=link.org_path, visited_on=visited_on, needs=needs.strip(), solved=solved,
                                 resolved=resolved, recorded_by=actor)
    audit.record(A.REPORT, visit, org_path=link.org_path, actor=actor, object_repr=f"走访 {household.head_name} {visited_on}")
    return visit


# ---- assessment -------------------------------------------------------------------------------------------------------


def assessed_in_county(county_path, year):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    from django.db.models import Q

    return Stationing.objects.filter(org_path__startswith=county_path, started_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))


@transaction.atomic
def assess(actor, stationing, *, year, grade, comment="", typical=False, typical_summary=""):
    """The yearly grade. Given by the county's organization department; 优秀 is capped at rules.excellent_percent() of
    the cadres stationed in the county that year (floor)."""
    county = coverage.county_of(stationing.village)
    if county is None or not scoping.can_manage_org(actor, county):
        raise PermissionDenied("驻村干部年度考核由县级党委组织部门确定")
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择考核等次"})
    if typical and not (typical_summary or "").strip():
        raise ValidationError({"typical_summary": "标为典型须填写事迹"})
    if typical and grade != Grade.EXCELLENT:
        raise ValidationError({"typical": "只有考核优秀的干部可以标为典型"})
    if grade == Grade.EXCELLENT:
        pool = assessed_in_county(county.path, year)
        total = pool.count()
        others = Assessment.objects.filter(stationing__in=pool, year=year, grade=Grade.EXCELLENT).exclude(stationing=stationing).count()
        if not rules.excellent_allowed(others + 1, total):
            raise ValidationError({"grade": f"优秀比例不得超过 {rules.excellent_percent()}%（本县 {total} 人，已有优秀 {others} 人）"})
    row, created = Assessment.objects.update_or_create(stationing=stationing, year=year, defaults={
        "org_path": stationing.org_path, "grade": grade, "comment": comment, "typical": typical, "typical_summary": typical_summary,
        "decided_by": actor})
    audit.record(A.CREATE if created else A.UPDATE, row, org_path=stationing.org_path, actor=actor,
                 object_repr=f"{stationing.name} {year} 年度考核", note=row.get_grade_display() + ("（典型）" if typical else ""))
    return row
