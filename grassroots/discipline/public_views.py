"""The public report form (anonymous or named), rate-limited per address like the disclosure portal's questions,
the reporter's look-up, and the published 通报."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from grassroots.core.errors import field_errors
from grassroots.core.pagination import paginate
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization

from . import services
from .choices import Category
from .models import Bulletin


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


def report_units():
    """The units a report can name: committees and general branches (townships, villages, communities)."""
    return Organization.objects.filter(is_active=True, kind__in=[Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH]).order_by("path")[:2000]


def report(request):
    context = {"units": report_units(), "categories": Category.choices, "data": request.POST, "errors": {}}
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot
            return render(request, "discipline/public_thanks.html", {"number": "", "code": ""})
        org = Organization.objects.filter(is_active=True, pk=request.POST.get("org") or 0).first()
        try:
            lead, code = services.submit_report(
                org=org, category=request.POST.get("category"), summary=request.POST.get("summary"), detail=request.POST.get("detail"),
                accused=request.POST.get("accused"), name="" if request.POST.get("anonymous") else request.POST.get("name"),
                phone="" if request.POST.get("anonymous") else request.POST.get("phone"), ip=client_ip(request),
            )
        except ValidationError as exc:
            context["errors"] = field_errors(exc)
            context["general_errors"] = context["errors"].get("__all__", [])
            return render(request, "discipline/public_report.html", context, status=400)
        return render(request, "discipline/public_thanks.html", {"number": lead.number, "code": code})
    return render(request, "discipline/public_report.html", context)


@require_GET
def lookup(request):
    lead = services.lead_by_code(request.GET.get("number", ""), request.GET.get("code", "")) if request.GET.get("number") else None
    if request.GET.get("number") and lead is None:
        messages.error(request, "编号或查询码不正确")
    return render(request, "discipline/public_lookup.html", {"lead": lead})


@require_GET
def bulletins(request):
    return render(request, "discipline/public_bulletins.html", {"page": paginate(request, Bulletin.objects.public().select_related("lead__org"))})


@require_GET
def bulletin(request, pk):
    return render(request, "discipline/public_bulletin.html", {"b": get_object_or_404(Bulletin.objects.public().select_related("lead__org"), pk=pk)})
