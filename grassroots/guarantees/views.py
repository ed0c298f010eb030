"""Pages of the basic guarantees: standards, the yearly check (reports, evidence, verification), the dashboard and
the township cadres' checklist. Every change goes through services.py."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.errors import PermissionDenied, ValidationError, field_errors
from grassroots.core.excel import xlsx_response
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import imports, queries, rules, services
from .choices import ApplyTo, CampaignState, ReportState
from .models import Campaign, Report, Standard, TownshipConditions


def _org(request):
    org = scope_org(request)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise DjangoPermissionDenied("您没有查看该单位基础保障的权限")
    return org


def _error(request, exc):
    text = "；".join(m for ms in field_errors(exc).values() for m in ms) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or str(exc))


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _year(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else timezone.localdate().year


@login_required
def standard_list(request):
    org = _org(request)
    rows = Standard.objects.filter(org_path__in=[org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]) \
        | Standard.objects.visible_to(request.user).filter(org_path__startswith=org.path)
    rows = rows.select_related("org").order_by("item", "applies_to", "-valid_from")
    if request.method == "POST":
        try:
            services.add_standard(request.user, org, item=request.POST.get("item"), applies_to=request.POST.get("applies_to"),
                                  valid_from=_date(request.POST.get("valid_from")), floor=request.POST.get("floor"), ratio=request.POST.get("ratio"),
                                  base=request.POST.get("base"), source=request.POST.get("source", ""))
            messages.success(request, "保障标准已保存")
            return redirect("guarantees:standards")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    if request.GET.get("export"):
        return xlsx_response("保障标准", "保障标准", ["制定单位", "项目", "适用", "执行日期", "截止日期", "最低标准", "比例", "基数", "标准值", "单位", "依据"],
                             ([s.org.name, s.get_item_display(), s.get_applies_to_display(), s.valid_from, s.valid_to, s.floor, s.ratio, s.base,
                               s.required, s.unit, s.source] for s in rows))
    return render(request, "guarantees/standards.html", {"org": org, "rows": rows, "items": rules.ITEM_CHOICES, "applies": ApplyTo.choices,
                                                         "can_add": scoping.can_manage_org(request.user, org)})


@login_required
def campaign_list(request):
    org = _org(request)
    if request.method == "POST":
        try:
            campaign = services.open_campaign(request.user, org, year=int(request.POST.get("year") or 0),
                                              due_on=_date(request.POST.get("due_on")) or timezone.localdate())
            messages.success(request, "核查已部署")
            return redirect("guarantees:campaign", campaign.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    campaigns = Campaign.objects.visible_to(request.user).for_scope(org).select_related("org")
    mine = Report.objects.filter(scoping.path_q("org_path", scoping.manage_paths(request.user)), org_path__startswith=org.path,
                                 state__in=[ReportState.DRAFT, ReportState.RETURNED]).select_related("org", "campaign")[:50]
    return render(request, "guarantees/campaigns.html", {"org": org, "campaigns": campaigns, "mine": mine, "year": timezone.localdate().year,
                                                         "can_open": scoping.can_manage_org(request.user, org)})


def _campaign(request, pk):
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)


@login_required
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    reports = Report.objects.visible_to(request.user).filter(campaign=campaign).select_related("org")
    import_errors = []
    if request.method == "POST":  # the Excel import of the figures (all rows or none)
        try:
            saved = imports.import_figures(request.user, campaign, request.FILES.get("file"))
            messages.success(request, f"已导入 {saved} 个单位的填报（尚未报送：请逐个上传佐证后报送乡镇核实）")
            return redirect("guarantees:campaign", campaign.pk)
        except ValidationError as exc:
            import_errors = [m for ms in field_errors(exc).values() for m in ms]
    if request.GET.get("template"):
        stamp = timezone.localdate().strftime("%Y%m%d")
        response = HttpResponse(imports.template(request.user, campaign),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'保障填报模板{campaign.year}-{stamp}.xlsx')}"
        return response
    if request.GET.get("export"):
        return xlsx_response(f"保障核查{campaign.year}", "核查台账", ["村（社区）", "类别", "状态", "未达标项", "资金缺口（元）", "核实日期"],
                             ([r.org.name, r.get_applies_to_display(), r.get_state_display(), r.failing, r.gap_total, r.verified_on] for r in reports))
    can_import = campaign.state == CampaignState.OPEN and imports.fillable(request.user, campaign).exists()
    return render(request, "guarantees/campaign.html", {"campaign": campaign, "reports": reports, "can_import": can_import,
                                                        "import_errors": import_errors,
                                                        "can_close": campaign.state == CampaignState.OPEN and scoping.can_manage_org(request.user, campaign.org)})


@login_required
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("campaign", "org", "task_list"), pk=pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "submit"):
                values = {f.item: request.POST.get(f.item) for f in report.figures.all()}
                services.save_figures(user, report, values, note=request.POST.get("note"))
                for uploaded in request.FILES.getlist("files"):
                    services.add_evidence(user, report, uploaded)
                if action == "submit":
                    services.submit_report(user, report)
                messages.success(request, "已报送乡镇核实" if action == "submit" else "已保存")
            elif action == "verify":
                services.verify_report(user, report)
                messages.success(request, "已核实")
            elif action == "return":
                services.return_report(user, report, request.POST.get("reason"))
                messages.success(request, "已退回补正")
            return redirect("guarantees:report", report.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    editable = report.state in (ReportState.DRAFT, ReportState.RETURNED) and scoping.can_manage_org(user, report.org)
    return render(request, "guarantees/report.html", {
        "report": report, "figures": report.figures.select_related("task"), "evidence": report.evidence.all(), "editable": editable,
        "can_verify": report.state == ReportState.SUBMITTED and services.can_verify(user, report),
    })


@login_required
def dashboard(request):
    org = _org(request)
    year = _year(request)
    reports = Report.objects.visible_to(request.user).filter(org_path__startswith=org.path, campaign__year=year)
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by("path"))
    rows, per_item, totals, chart = queries.dashboard(reports, children)
    failing = reports.filter(failing__gt=0).select_related("org").order_by("-gap_total")[:100]
    if request.GET.get("export"):
        return xlsx_response(f"保障未达标{year}", "未达标", ["村（社区）", "未达标项", "资金缺口（元）"], ([r.org.name, r.failing, r.gap_total] for r in failing))
    return render(request, "guarantees/dashboard.html", {"org": org, "year": year, "rows": rows, "per_item": per_item, "totals": totals,
                                                         "chart": chart, "failing": failing})


@login_required
def conditions(request):
    org = _org(request)
    year = _year(request)
    if request.method == "POST":
        township = get_object_or_404(Organization.objects.filter(path__startswith=org.path), pk=request.POST.get("org") or 0)
        try:
            services.check_conditions(request.user, township, year=year, canteen=bool(request.POST.get("canteen")),
                                      dormitory=bool(request.POST.get("dormitory")), bathhouse=bool(request.POST.get("bathhouse")),
                                      note=request.POST.get("note", ""))
            messages.success(request, f"{township.name}已登记")
            return redirect(f"{request.path}?year={year}")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    rows = TownshipConditions.objects.visible_to(request.user).filter(org_path__startswith=org.path, year=year).select_related("org")
    done = {r.org_id for r in rows}
    townships = [o for o in queries.townships(org) if o.pk not in done][:200] if services.can_check_conditions_below(request.user, org) else []
    if request.GET.get("export"):
        return xlsx_response(f"乡镇干部条件{year}", "检查表", ["乡镇（街道）", "食堂", "宿舍", "澡堂", "说明", "检查日期"],
                             ([r.org.name, "有" if r.canteen else "无", "有" if r.dormitory else "无", "有" if r.bathhouse else "无", r.note, r.checked_on] for r in rows))
    return render(request, "guarantees/conditions.html", {"org": org, "year": year, "rows": rows, "townships": townships})


@require_POST
@login_required
def campaign_close(request, pk):
    campaign = _campaign(request, pk)
    try:
        services.close_campaign(request.user, campaign)
    except PermissionDenied as exc:
        _error(request, exc)
    return redirect("guarantees:campaign", campaign.pk)
