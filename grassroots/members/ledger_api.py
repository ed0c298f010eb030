"""API of the member ledgers in Excel (mounted at /api/v1/members): roster export, import template,
uploads and import jobs. Scoped like the pages: jobs of organizations outside the caller's scope are 404."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from grassroots.core.api_support import ErrorOut, paginated
from grassroots.orgs.models import Organization

from . import exports, imports
from .choices import ImportState
from .ledger_views import visible_jobs
from .models import ExportJob

router = Router(tags=["党员花名册与导入"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSE = {"responses": {"200": {"description": "Excel 文件（.xlsx）", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


class ImportErrorOut(Schema):
    row: int | None
    column: str
    reason: str


class ImportJobSummary(Schema):
    id: int
    org_id: int
    org_name: str
    original_name: str
    state: ImportState
    state_label: str
    total_rows: int
    processed_rows: int
    percent: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error_count: int
    created_by: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ImportJobOut(ImportJobSummary):
    errors: list[ImportErrorOut]
    unknown_columns: list[str]


class ImportJobPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ImportJobSummary]


def job_out(job, *, details=True):
    out = {
        "id": job.pk, "org_id": job.org_id, "org_name": job.org.name, "original_name": job.original_name,
        "state": job.state, "state_label": job.get_state_display(), "total_rows": job.total_rows,
        "processed_rows": job.processed_rows, "percent": job.percent, "created_count": job.created_count,
        "updated_count": job.updated_count, "unchanged_count": imports.summary(job)["unchanged"],
        "error_count": len(job.errors), "created_by": job.created_by.get_username() if job.created_by else "",
        "created_at": job.created_at, "finished_at": job.finished_at,
    }
    if details:
        out["errors"] = [{"row": e.get("row"), "column": e.get("column") or "", "reason": e.get("reason", "")} for e in job.errors]
        out["unknown_columns"] = job.unknown_columns
    return out


class ExportJobOut(Schema):
    id: int
    state: str
    state_label: str
    description: str
    total_rows: int
    written_rows: int
    percent: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    download_url: str | None


def export_out(job):
    return {
        "id": job.pk, "state": job.state, "state_label": job.get_state_display(), "description": job.description,
        "total_rows": job.total_rows, "written_rows": job.written_rows, "percent": job.percent, "error": job.error,
        "created_at": job.created_at, "finished_at": job.finished_at,
        "download_url": f"/api/v1/members/exports/{job.pk}/file" if job.state == ExportJob.State.DONE else None,
    }


@router.get("/export", summary="导出党员花名册（.xlsx，个人信息脱敏；人数多时转后台导出，返回 202 和进度）", openapi_extra=FILE_RESPONSE,
            response={202: ExportJobOut, 403: ErrorOut, 404: ErrorOut})
def export_roster(
    request,
    within: int | None = Query(None, description="党组织 id：该组织及全部下级；其余查询参数与党员列表相同（q、status、gender、state ……）"),
):
    result = exports.roster_export(request.user, request.GET)
    if isinstance(result, ExportJob):  # too large for one request: written by the worker
        return Status(202, export_out(result))
    return result


@router.get("/exports/{export_id}", response=ExportJobOut, summary="后台导出的进度（只有导出人可见）")
def get_export(request, export_id: int):
    return export_out(get_object_or_404(ExportJob, pk=export_id, created_by=request.user))


@router.get("/exports/{export_id}/file", summary="下载后台导出的党员花名册", openapi_extra=FILE_RESPONSE, response={404: ErrorOut})
def download_export(request, export_id: int):
    return exports.export_file_response(get_object_or_404(ExportJob, pk=export_id, created_by=request.user, state=ExportJob.State.DONE))


@router.get("/import-template", summary="下载党员信息导入模板（.xlsx）", openapi_extra=FILE_RESPONSE, response={403: ErrorOut, 404: ErrorOut})
def import_template(request, org_id: int | None = Query(None, description="只列出该党组织及其下级的组织代码")):
    within = get_object_or_404(Organization.objects.manageable_by(request.user), pk=org_id) if org_id else None
    return exports.template_response(request.user, within)


@router.get("/imports", response=ImportJobPage, summary="导入记录")
def list_imports(request, page: int = 1, page_size: int = 50):
    return paginated(visible_jobs(request.user), page, page_size, lambda jobs: [job_out(j, details=False) for j in jobs])


@router.post("/imports", response={201: ImportJobOut, 403: ErrorOut, 422: ErrorOut}, summary="上传党员信息文件并开始导入")
def create_import(
    request,
    org_id: Annotated[int, Form(description="导入范围：文件中每名党员的所在党组织都必须在该组织之内")],
    file: Annotated[UploadedFile, File(description=".xlsx 或 .xls 文件")],
):
    """multipart/form-data. The file is checked and applied in the background (all rows or none): poll
    GET /imports/{job_id} for progress, the result and the list of errors."""
    org = Organization.objects.manageable_by(request.user).filter(pk=org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织，或它不在您的管理范围内"})
    job = imports.start_import(request.user, org, file)
    return Status(201, job_out(visible_jobs(request.user).get(pk=job.pk)))


@router.get("/imports/{job_id}", response={200: ImportJobOut, 404: ErrorOut}, summary="导入进度、结果与错误清单")
def get_import(request, job_id: int):
    return job_out(get_object_or_404(visible_jobs(request.user), pk=job_id))
