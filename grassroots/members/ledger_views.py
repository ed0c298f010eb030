"""Pages of the member ledgers in Excel: the roster export, the import template, uploads and import jobs."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.pagination import paginate
from grassroots.orgs.forms import OrgCodeField
from grassroots.orgs.models import Organization

from . import exports, imports
from .choices import ImportState
from .models import ExportJob, ImportJob

ERRORS_ON_PAGE = 500


def visible_jobs(user):
    """Import jobs whose organization lies in a subtree whose member records the user may read."""
    return ImportJob.objects.filter(scoping.path_q("org_path", scoping.record_paths(user))).select_related("org", "created_by")


def job_for(request, pk):
    return get_object_or_404(visible_jobs(request.user), pk=pk)


class UploadForm(forms.Form):
    org = OrgCodeField(label="导入范围（党组织代码）", help_text="文件中每名党员的所在党组织都必须在该组织之内（含该组织本身）")
    file = forms.FileField(
        label="党员信息文件（.xlsx 或 .xls）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.xlsm"}),
        error_messages={"empty": "上传的文件是空的（0 字节），请重新选择文件", "required": "请选择要上传的文件"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.manageable_by(user).filter(is_active=True)


@login_required
def export(request):
    """The 党员花名册 of the member list for the same GET parameters, as .xlsx."""
    result = exports.roster_export(request.user, request.GET)
    if isinstance(result, ExportJob):  # too large for one request: the worker writes it, the page shows progress
        return redirect("members:export_job", result.pk)
    return result


def export_job_for(request, pk):
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@login_required
def export_job(request, pk):
    return render(request, "members/export_job.html", {"job": export_job_for(request, pk)})


@login_required
def export_progress(request, pk):
    """htmx fragment: the export's progress bar while the worker writes it (polled every second)."""
    return render(request, "members/export_job_status.html", {"job": export_job_for(request, pk)})


@login_required
def export_download(request, pk):
    job = export_job_for(request, pk)
    if job.state != ExportJob.State.DONE:
        raise Http404("文件尚未生成")
    return exports.export_file_response(job)


@login_required
def import_template(request):
    org = request.GET.get("org", "")
    within = get_object_or_404(Organization.objects.manageable_by(request.user), pk=org) if org.isdigit() else None
    return exports.template_response(request.user, within)


@login_required
def import_list(request):
    """Upload a ledger (for those who manage an organization) and the recent imports the user may see."""
    user = request.user
    can_import = bool(scoping.manage_paths(user))
    form = None
    if can_import:
        initial = {}
        scope = scoping.current_scope(request)
        if scope and scoping.can_manage_org(user, scope.org):
            initial["org"] = scope.org.code
        form = UploadForm(request.POST or None, request.FILES or None, user=user, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                job = imports.start_import(user, form.cleaned_data["org"], form.cleaned_data["file"])
            except ValidationError as exc:
                for field, errors in field_errors(exc).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"已上传《{job.original_name}》，正在后台检查和导入")
                return redirect("members:import_job", pk=job.pk)
    elif request.method == "POST":
        raise PermissionDenied("您没有导入党员信息的权限")
    page = paginate(request, visible_jobs(user))
    return render(request, "members/ledger_import.html", {"form": form, "page": page, "can_import": can_import})


def _job_context(job):
    return {
        "job": job,
        "running": job.state in (ImportState.PENDING, ImportState.CHECKING, ImportState.APPLYING),
        "summary": imports.summary(job),
        "shown_errors": job.errors[:ERRORS_ON_PAGE],
        "more_errors": max(len(job.errors) - ERRORS_ON_PAGE, 0),
    }


@login_required
def import_job(request, pk):
    job = job_for(request, pk)
    return render(request, "members/ledger_job.html", _job_context(job))


@login_required
def import_progress(request, pk):
    """htmx fragment: the job's progress bar while it runs (polled every second), then its result."""
    job = job_for(request, pk)
    return render(request, "members/ledger_job_status.html", _job_context(job))


@login_required
def import_errors(request, pk):
    job = job_for(request, pk)
    return exports.errors_response(job)


urlpatterns = [
    path("export.xlsx", export, name="export"),
    path("exports/<int:pk>/", export_job, name="export_job"),
    path("exports/<int:pk>/progress/", export_progress, name="export_progress"),
    path("exports/<int:pk>/file/", export_download, name="export_download"),
    path("import-template.xlsx", import_template, name="import_template"),
    path("import/", import_list, name="import"),
    path("import/<int:pk>/", import_job, name="import_job"),
    path("import/<int:pk>/progress/", import_progress, name="import_progress"),
    path("import/<int:pk>/errors.xlsx", import_errors, name="import_errors"),
]
