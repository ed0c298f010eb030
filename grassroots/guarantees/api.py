"""REST API of guarantees under /api/v1/guarantees/, scoped like the pages (read-only: changes go through the pages,
which call the same services)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Campaign, Report

router = Router(tags=["基础保障"])


class CampaignOut(Schema):
    id: int
    org_id: int
    year: int
    title: str
    due_on: datetime.date
    state: str


class FigureOut(Schema):
    item: str
    label: str
    value: Decimal | None
    present: bool | None
    required: Decimal | None
    met: bool | None
    gap: Decimal | None
    task_id: int | None


class ReportOut(Schema):
    id: int
    org_id: int
    org_name: str
    state: str
    failing: int
    gap_total: Decimal
    verified_on: datetime.date | None


class ReportDetailOut(ReportOut):
    figures: list[FigureOut]


def _report_out(r, figures=None):
    data = {"id": r.pk, "org_id": r.org_id, "org_name": r.org.name, "state": r.state, "failing": r.failing, "gap_total": r.gap_total,
            "verified_on": r.verified_on}
    if figures is not None:
        data["figures"] = [{"item": f.item, "label": f.label, "value": f.value, "present": f.present, "required": f.required, "met": f.met,
                            "gap": f.gap, "task_id": f.task_id} for f in figures]
    return data


@router.get("/campaigns", response=list[CampaignOut], summary="保障核查（本人可见范围）")
def list_campaigns(request):
    return list(Campaign.objects.visible_to(request.user).values("id", "org_id", "year", "title", "due_on", "state")[:200])


@router.get("/campaigns/{guarantee_campaign_id}/reports", response=list[ReportOut], summary="一次核查的各村（社区）填报")
def campaign_reports(request, guarantee_campaign_id: int):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=guarantee_campaign_id)
    return [_report_out(r) for r in Report.objects.visible_to(request.user).filter(campaign=campaign).select_related("org")]


@router.get("/reports/{guarantee_report_id}", response=ReportDetailOut, summary="一个村（社区）的填报、标准与缺口")
def report_detail(request, guarantee_report_id: int):
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("org"), pk=guarantee_report_id)
    return _report_out(report, list(report.figures.all()))
