"""Every change to standards, campaigns, reports and the township checklist (atomic, checked, audited).

Who may act: managers of a city or district enter standards and open campaigns; managers of the village/community
(or above) fill in and submit its report; managers of the organization directly above it (the township) verify it —
nobody verifies their own report. Verification compares each figure with the standard valid at the end of the
campaign's year and turns every shortfall into a dated tracking task for the village."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.core import audit, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.uploads import read_upload
from grassroots.orgs.choices import Category
from grassroots.orgs.models import Organization
from grassroots.tracking import rules as tracking_rules
from grassroots.tracking import services as tracking

from . import rules
from .choices import ApplyTo, CampaignState, ReportState
from .models import Campaign, Evidence, Figure, Report, Standard, TownshipConditions


def _require_manage(actor, org, message):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied(message)


def _require_city_or_district(org, message):
    if org.depth > rules.standard_max_depth():
        raise PermissionDenied(message)


def _decimal(value, field, label):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({field: f"{label}须为数字"}) from None
    if number < 0 or not number.is_finite():
        raise ValidationError({field: f"{label}不能为负数"})
    return number.quantize(rules.CENT) if field != "ratio" else number.quantize(Decimal("0.0001"))


def _parent(org):
    return Organization.objects.filter(path=org.parent_path).first() if org.depth > 1 else None


def applies_to(org):
    return ApplyTo.COMMUNITY if org.category == Category.COMMUNITY else ApplyTo.RURAL


# ---- standards ----------------------------------------------------------------------------------------------------


@transaction.atomic
def add_standard(actor, org, *, item, applies_to, valid_from, floor=None, ratio=None, base=None, source="", valid_to=None):
    """A new dated standard of a city or district. The previous open-ended standard of the same item and kind of
    unit ends the day before (so exactly one is valid on any date)."""
    _require_manage(actor, org, "只有市、区（县）党委组织部门可以制定保障标准")
    _require_city_or_district(org, "保障标准由市、区（县）制定")
    if item not in rules.ITEMS:
        raise ValidationError({"item": "请选择保障项目"})
    if applies_to not in ApplyTo.values:
        raise ValidationError({"applies_to": "请选择适用于村或社区"})
    if not isinstance(valid_from, datetime.date):
        raise ValidationError({"valid_from": "请填写执行日期"})
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "截止日期不能早于执行日期"})
    floor, ratio, base = _decimal(floor, "floor", "最低标准"), _decimal(ratio, "ratio", "比例"), _decimal(base, "base", "基数")
    if rules.item_kind(item) != rules.KIND_YES and floor is None and (ratio is None or base is None):
        raise ValidationError({"floor": "请填写最低标准，或同时填写比例和基数"})
    if Standard.objects.filter(org=org, item=item, applies_to=applies_to, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": "该项目在这一天已有标准"})
    previous = Standard.objects.filter(org=org, item=item, applies_to=applies_to, valid_from__lt=valid_from, valid_to__isnull=True)
    previous.update(valid_to=valid_from - datetime.timedelta(days=1))
    standard = Standard.objects.create(org=org, org_path=org.path, item=item, applies_to=applies_to, valid_from=valid_from, valid_to=valid_to,
                                       floor=floor, ratio=ratio, base=base, source=(source or "").strip()[:200], created_by=actor)
    audit.record(audit.Action.CREATE, standard, after=audit.snapshot(standard, ["item", "applies_to", "valid_from", "valid_to", "floor", "ratio", "base", "source"]),
                 org_path=org.path, note=f"制定保障标准：{standard}", actor=actor)
    return standard


def standard_for(org_path, item, applies_to, on):
    """The standard valid on `on` for a unit at `org_path`: the nearest city or district above it that entered one
    (a district's own standard overrides the city's)."""
    candidates = [s for s in Standard.objects.filter(item=item, applies_to=applies_to, valid_from__lte=on)
                  if org_path.startswith(s.org_path) and (s.valid_to is None or s.valid_to >= on)]
    candidates.sort(key=lambda s: (len(s.org_path), s.valid_from), reverse=True)
    return candidates[0] if candidates else None


# ---- campaigns and reports ----------------------------------------------------------------------------------------


@transaction.atomic
def open_campaign(actor, org, *, year, due_on, title=""):
    """The yearly check of a city or district: one report for every village and community in its subtree."""
    _require_manage(actor, org, "只有市、区（县）党委组织部门可以部署保障核查")
    _require_city_or_district(org, "保障核查由市、区（县）部署")
    if Campaign.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": f"{year}年度的保障核查已部署"})
    campaign = Campaign.objects.create(org=org, org_path=org.path, year=year, due_on=due_on, created_by=actor,
                                       title=(title or f"{year}年度村（社区）基础保障落实情况核查").strip()[:200])
    units = Organization.objects.filter(path__startswith=org.path, is_active=True, category__in=[Category.RURAL, Category.COMMUNITY],
                                        kind__in=["committee", "general_branch", "branch"])
    # a village/community is the topmost rural/community organization: skip those inside another one
    units = sorted(units, key=lambda o: o.path)
    tops = []
    for unit in units:
        if not any(unit.path.startswith(t.path) for t in tops):
            tops.append(unit)
    Report.objects.bulk_create([Report(campaign=campaign, org=u, org_path=u.path, applies_to=applies_to(u)) for u in tops])
    Figure.objects.bulk_create([Figure(report=report, item=k) for report in Report.objects.filter(campaign=campaign)
                                for k in rules.items_for(report.applies_to)])
    audit.record(audit.Action.CREATE, campaign, after={"year": year, "reports": len(tops)}, org_path=org.path, note=f"部署{campaign.title}", actor=actor)
    return campaign


def _editable(report):
    if report.campaign.state != CampaignState.OPEN:
        raise ValidationError("本次核查已结束，不能再填报")
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError(f"填报{report.get_state_display()}，不能再修改")


@transaction.atomic
def save_figures(actor, report, figures, note=None):
    """{item: value} (a number; True/False for yes/no items)."""
    report = Report.objects.select_for_update().select_related("campaign", "org").get(pk=report.pk)
    _require_manage(actor, report.org, "只有本村（社区）或上级组织的管理人员可以填报")
    _editable(report)
    rows = {f.item: f for f in report.figures.all()}
    before = {k: str(f.value if f.kind != rules.KIND_YES else f.present) for k, f in rows.items()}
    for item, raw in (figures or {}).items():
        if item not in rows:
            raise ValidationError({item: "本单位不填报该项目"})
        figure = rows[item]
        if figure.kind == rules.KIND_YES:
            figure.present = raw in (True, "1", "true", "on", "yes", "有") if raw not in (None, "") else None
        else:
            figure.value = _decimal(raw, item, rules.item_label(item))
        figure.save(update_fields=["value", "present"])
    if note is not None:
        report.note = note.strip()
        report.save(update_fields=["note"])
    audit.record(audit.Action.UPDATE, report, before=before, after={k: str(f.value if f.kind != rules.KIND_YES else f.present) for k, f in rows.items()},
                 org_path=report.org_path, note="填报保障情况", actor=actor)
    return report


@transaction.atomic
def add_evidence(actor, report, uploaded):
    report = Report.objects.select_related("campaign", "org").get(pk=report.pk)
    _require_manage(actor, report.org, "只有本村（社区）或上级组织的管理人员可以上传佐证")
    _editable(report)
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    size = getattr(uploaded, "size", 0) or 0
    head, sha256 = (b"", "") if size > tracking_rules.file_max_bytes() else read_upload(uploaded, tracking_rules.HEAD_BYTES)
    message = tracking_rules.file_error(name, size, head)
    if message:
        raise ValidationError({"file": f"《{name}》：{message}"})
    evidence = Evidence.objects.create(report=report, file=uploaded, original_name=name, sha256=sha256, size=size, uploaded_by=actor)
    audit.record(audit.Action.CREATE, evidence, after={"name": name, "sha256": sha256}, org_path=report.org_path, note=f"上传保障佐证《{name}》", actor=actor)
    return evidence


@transaction.atomic
def submit_report(actor, report):
    report = Report.objects.select_for_update().select_related("campaign", "org").get(pk=report.pk)
    _require_manage(actor, report.org, "只有本村（社区）或上级组织的管理人员可以报送")
    _editable(report)
    missing = [f.label for f in report.figures.all() if (f.present is None if f.kind == rules.KIND_YES else f.value is None)]
    if missing:
        raise ValidationError({"figures": f"尚未填写：{'、'.join(missing)}"})
    if not report.evidence.exists():
        raise ValidationError({"file": "请上传佐证材料（文件、照片）后再报送"})
    report.state, report.submitted_by, report.submitted_at = ReportState.SUBMITTED, actor, timezone.now()
    report.save(update_fields=["state", "submitted_by", "submitted_at"])
    audit.record(audit.Action.SUBMIT, report, after={"state": report.state}, org_path=report.org_path, note="报送保障情况", actor=actor)
    return report


def can_verify(user, report):
    """The township (the organization directly above the village/community) verifies: a manager whose scope
    covers the parent. The village's own managers are refused (nobody verifies their own figures)."""
    parent = _parent(report.org)
    if parent is None or not scoping.can_manage_org(user, parent):
        return False
    return True


def _require_verify(actor, report):
    if not can_verify(actor, report):
        raise PermissionDenied("保障填报由乡镇（街道）党委核实，您不能核实本单位或其他辖区的填报")


@transaction.atomic
def return_report(actor, report, reason):
    report = Report.objects.select_for_update().select_related("campaign", "org").get(pk=report.pk)
    _require_verify(actor, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("只有待核实的填报才能退回")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    report.state, report.return_reason = ReportState.RETURNED, reason[:300]
    report.save(update_fields=["state", "return_reason"])
    audit.record(audit.Action.REJECT, report, after={"state": report.state, "reason": reason}, org_path=report.org_path, note="退回保障填报", actor=actor)
    return report


@transaction.atomic
def verify_report(actor, report, today=None):
    """Verify a submitted report: compare every figure with its standard (valid on 31 December of the year) and
    make one tracking task per shortfall, due in rules.fix_days(). Returns the report."""
    today = today or timezone.localdate()
    report = Report.objects.select_for_update().select_related("campaign", "org").get(pk=report.pk)
    _require_verify(actor, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("只有已报送、待核实的填报才能核实")
    on = datetime.date(report.campaign.year, 12, 31)
    figures = list(report.figures.all())
    failing = []
    for figure in figures:
        standard = standard_for(report.org_path, figure.item, report.applies_to, on)
        figure.standard = standard
        figure.required = standard.required if standard else None
        if standard is None:
            figure.met, figure.gap = None, None  # no standard entered: not judged
        else:
            figure.met, figure.gap = rules.shortfall(figure.kind, figure.required, figure.value, figure.present)
            if not figure.met:
                failing.append(figure)
    gap_total = sum((f.gap for f in failing if f.gap is not None and f.kind == rules.KIND_MONEY), Decimal(0))
    if failing:
        parent = _parent(report.org)
        task_list = report.task_list or tracking.create_list(
            actor, parent, title=f"{report.org.short_name or report.org.name}{report.campaign.year}年度基础保障整改",
            source="guarantees.report", source_id=report.pk, source_url=reverse("guarantees:report", args=[report.pk]))
        report.task_list = task_list
        due = today + datetime.timedelta(days=rules.fix_days())
        for figure in failing:
            detail = f"标准：{figure.required if figure.required is not None else '有'}{figure.unit}；实际：{figure.value if figure.kind != rules.KIND_YES else '无'}"
            if figure.gap:
                detail += f"；缺口 {figure.gap}{figure.unit}"
            figure.task = tracking.add_task(actor, task_list, title=f"落实{figure.label}", detail=detail, due_on=due, assignee_org=report.org)
    Figure.objects.bulk_update(figures, ["standard", "required", "met", "gap", "task"])
    report.state, report.verified_by, report.verified_on = ReportState.VERIFIED, actor, today
    report.failing, report.gap_total = len(failing), gap_total
    report.save(update_fields=["state", "verified_by", "verified_on", "failing", "gap_total", "task_list"])
    audit.record(audit.Action.CONFIRM, report, after={"failing": [f.item for f in failing], "gap_total": str(gap_total)},
                 org_path=report.org_path, note=f"核实保障填报：{len(failing)} 项未达标", actor=actor)
    return report


@transaction.atomic
def close_campaign(actor, campaign):
    _require_manage(actor, campaign.org, "只有部署单位可以结束核查")
    campaign.state = CampaignState.CLOSED
    campaign.save(update_fields=["state"])
    audit.record(audit.Action.CLOSE, campaign, org_path=campaign.org_path, note=f"结束{campaign.title}", actor=actor)
    return campaign


# ---- township cadres' conditions ------------------------------------------------------------------------------------


def can_check_conditions_below(user, org):
    """Whether the user may record the checklist of some township under `org` (a manager above the township level)."""
    return scoping.can_manage_org(user, org) and org.depth < rules.standard_max_depth() + 1


@transaction.atomic
def check_conditions(actor, township, *, year, canteen, dormitory, bathhouse, note="", checked_on=None):
    """Record (or update) the township's 食堂/宿舍/澡堂 checklist of `year`: by a manager above the township."""
    parent = _parent(township)
    if parent is None or not scoping.can_manage_org(actor, parent):
        raise PermissionDenied("乡镇干部工作生活条件由区（县）党委组织部门检查")
    row, created = TownshipConditions.objects.get_or_create(
        org=township, year=year, defaults={"org_path": township.path, "checked_on": checked_on or timezone.localdate(), "checked_by": actor})
    before = None if created else audit.snapshot(row, ["canteen", "dormitory", "bathhouse", "note"])
    row.canteen, row.dormitory, row.bathhouse = bool(canteen), bool(dormitory), bool(bathhouse)
    row.note, row.checked_by, row.checked_on = (note or "").strip()[:300], actor, checked_on or timezone.localdate()
    row.save()
    audit.record(audit.Action.CREATE if created else audit.Action.UPDATE, row, before=before,
                 after=audit.snapshot(row, ["canteen", "dormitory", "bathhouse", "note"]), org_path=township.path,
                 note=f"检查{township.name}{year}年干部工作生活条件", actor=actor)
    return row
