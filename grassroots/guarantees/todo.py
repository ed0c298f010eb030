"""This app's lines in the home page's to-do panel (grassroots/core/todos.py)."""

from django.db.models import Q
from django.urls import reverse

from grassroots.core import scoping
from grassroots.core.todos import Todo

from .choices import CampaignState, ReportState
from .models import Report


def lines(user, org, today):
    manage = scoping.manage_paths(user)
    open_reports = Report.objects.filter(campaign__state=CampaignState.OPEN, org_path__startswith=org.path)
    to_report = open_reports.filter(state__in=[ReportState.DRAFT, ReportState.RETURNED]).filter(scoping.path_q("org_path", manage))
    # to verify: the township above the village (the report's parent path) is in my managed scope
    parents = Q()
    for path in manage:
        parents |= Q() if path == scoping.ALL else Q(org_path__startswith=path) & ~Q(org_path=path)
    to_verify = open_reports.filter(state=ReportState.SUBMITTED).filter(parents) if manage else open_reports.none()
    return [
        Todo("基础保障", "待填报的保障核查", to_report.count(), reverse("guarantees:campaigns")),
        Todo("基础保障", "待核实的村（社区）保障填报", to_verify.count(), reverse("guarantees:campaigns")),
    ]
