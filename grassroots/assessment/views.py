"""Pages of 述职评议考核: the rounds, a round (reports, comments, appraisal, results), a report (write/submit,
comment). Voting itself is the ballots app's page (ballots:vote)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.core import scoping
from grassroots.core.errors import PermissionDenied, ValidationError, field_errors
from grassroots.core.excel import xlsx_response
from grassroots.orgs.scope import scope_org

from . import services
from .choices import Kind, RoundState
from .models import AssessmentRound, Report


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _error(request, exc):
    messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms) if isinstance(exc, ValidationError) else str(exc))


@login_required
def round_list(request):
    org = scope_org(request)
    if request.method == "POST":
        try:
            kind = request.POST.get("kind") or Kind.SECRETARY
            round = services.create_round(request.user, org, year=int(request.POST.get("year") or timezone.localdate().year), kind=kind,
                                          live_weight=request.POST.get("live_weight") or None, subjects=services.secretaries_below(org))
            messages.success(request, "述职评议已部署，请述职人撰写述职报告")
            return redirect("assessment:round", round.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    rounds = AssessmentRound.objects.visible_to(request.user).filter(org_path__startswith=org.path[: org.steplen]).select_related("org")
    mine = Report.objects.filter(user=request.user).select_related("round").order_by("-round__year")[:20]
    return render(request, "assessment/rounds.html", {"org": org, "rounds": rounds, "mine": mine, "kinds": Kind.choices,
                                                      "year": timezone.localdate().year, "can_open": scoping.can_manage_org(request.user, org)})


def _round(request, pk):
    return get_object_or_404(AssessmentRound.objects.visible_to(request.user).select_related("org", "ballot_round"), pk=pk)


@login_required
def round_detail(request, pk):
    round = _round(request, pk)
    organizer = scoping.can_manage_org(request.user, round.org)
    if request.method == "POST":
        if not organizer:
            raise DjangoPermissionDenied("只有组织本次述职评议的上级党组织可以进行此操作")
        try:
            if request.POST.get("action") == "open":
                services.open_appraisal(request.user, round)
                messages.success(request, "代表评议已开始")
            elif request.POST.get("action") == "publish":
                services.publish_results(request.user, round)
                messages.success(request, "结果已公布")
            return redirect("assessment:round", round.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    reports = round.reports.select_related("subject_org")
    published = round.state == RoundState.PUBLISHED
    if not organizer and not published:
        reports = reports.filter(user=request.user)
    if request.GET.get("export"):
        return xlsx_response(f"述职评议{round.year}", "评议结果", ["述职人", "职务", "状态", "年度考核得分", "现场测评得分", "综合得分", "综合评价", "后续处理"],
                             ([r.person_name, r.post, r.get_state_display(), r.year_score, r.live_score, r.combined, r.grade_label,
                               "、".join(r.follow_up_labels)] for r in reports))
    return render(request, "assessment/round.html", {"round": round, "reports": reports, "organizer": organizer, "published": published,
                                                     "weight_pct": round.live_weight * 100})


@login_required
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("round__org", "subject_org"), pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action in ("save", "submit"):
                services.save_report(user, report, submit=action == "submit", **{k: request.POST.get(k) for k in services.TEXT_FIELDS})
            elif action == "follow_up":
                services.record_follow_up(user, report, note=request.POST.get("follow_up_note"), done_on=_date(request.POST.get("follow_up_done_on")))
            elif action == "comment":
                services.comment(user, report, text=request.POST.get("comment"), year_score=request.POST.get("year_score"))
            messages.success(request, "已保存")
            return redirect("assessment:report", report.pk)
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    round = report.round
    return render(request, "assessment/report.html", {
        "report": report, "round": round, "parts": [(k, label, getattr(report, k)) for k, label in Report.PARTS],
        "can_write": round.state == RoundState.REPORTING and services.can_write(user, report),
        "can_comment": round.state != RoundState.PUBLISHED and scoping.can_manage_org(user, round.org) and report.user_id != user.pk,
        "village": round.kind == Kind.VILLAGE,
        "can_follow_up": bool(report.follow_ups) and scoping.can_manage_org(user, round.org),
    })
