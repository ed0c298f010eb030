"""REST API of guarantees under /api/v1/guarantees/, scoped like the pages: the campaigns, reports and their figures,
and the writes of the yearly check — a village/community reports its figures and evidence and submits, the township
verifies or returns — through the same services as the pages."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from grassroots.core.api_support import ErrorOut

from . import services
from .models import Campaign, Report

router = Router(tags=["基础保障"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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


class FiguresIn(Schema):
    figures: dict[str, Decimal | bool | None]
    note: str | None = None


class ReturnIn(Schema):
    reason: str


class EvidenceOut(Schema):
    id: int
    name: str
    sha256: str
    size: int


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


def _report(request, pk):
    return get_object_or_404(Report.objects.visible_to(request.user).select_related("org", "campaign"), pk=pk)


def _detail(report):
    report = Report.objects.select_related("org").get(pk=report.pk)
    return _report_out(report, list(report.figures.all()))


@router.post("/reports/{guarantee_report_id}/figures", response={200: ReportDetailOut, **ERRORS}, summary="填报（或修改）一个村（社区）的保障数据")
def save_figures(request, guarantee_report_id: int, payload: FiguresIn):
    """`figures`: {item: number} for amounts, areas and percents, {item: true/false} for 有/无 items (rules.ITEMS)."""
    report = services.save_figures(request.user, _report(request, guarantee_report_id), payload.figures, note=payload.note)
    return _detail(report)


@router.post("/reports/{guarantee_report_id}/evidence", response={201: EvidenceOut, **ERRORS}, summary="上传佐证材料（文件、照片）")
def add_evidence(request, guarantee_report_id: int, file: File[UploadedFile]):
    e = services.add_evidence(request.user, _report(request, guarantee_report_id), file)
    return Status(201, {"id": e.pk, "name": e.original_name, "sha256": e.sha256, "size": e.size})


@router.post("/reports/{guarantee_report_id}/submit", response={200: ReportDetailOut, **ERRORS}, summary="报送乡镇（街道）核实")
def submit(request, guarantee_report_id: int):
    return _detail(services.submit_report(request.user, _report(request, guarantee_report_id)))


@router.post("/reports/{guarantee_report_id}/verify", response={200: ReportDetailOut, **ERRORS},
             summary="乡镇（街道）核实：对照标准，未达标项生成整改任务")
def verify(request, guarantee_report_id: int):
    return _detail(services.verify_report(request.user, _report(request, guarantee_report_id)))


@router.post("/reports/{guarantee_report_id}/return", response={200: ReportDetailOut, **ERRORS}, summary="退回补正")
def return_report(request, guarantee_report_id: int, payload: ReturnIn):
    return _detail(services.return_report(request.user, _report(request, guarantee_report_id), payload.reason))
