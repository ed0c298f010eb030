"""Pages of supervision: notices and their completion tables, supervised tasks, supervision groups, visits,
findings and follow-ups, and each organization's supervision history (problem, responsibility, rectification lists)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org
from grassroots.rectification.models import Case
from grassroots.tracking import queries as tracking_queries

from . import queries, services
from .choices import FindingKind, InterventionKind, Reach
from .models import Assignment, Finding, Intervention, Notice, NoticeFile, Receipt, SupervisionGroup, Visit


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _errors(request, exc):
    for msgs in field_errors(exc).values():
        for m in msgs:
            messages.error(request, m)


def _org(request):
    value = request.GET.get("org", "")
    if value.isdigit():
        return get_object_or_404(Organization.objects.visible_to(request.user), pk=int(value))
    return scope_org(request)


def _readable(request, org):
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该党组织督导记录的权限")
    return org


# ---- notices ------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    org = _org(request)
    today = timezone.localdate()
    notices = queries.notices_with_counts(Notice.objects.visible_to(request.user).filter(
        Q(org_path__startswith=org.path) | Q(receipts__org_path__startswith=org.path)).distinct(), today)
    mine = Receipt.objects.filter(scoping.path_q("org_path", scoping.manage_paths(request.user)), signed_at__isnull=True).select_related("notice", "org")[:20]
    return render(request, "supervision/home.html", {
        "org": org, "page": paginate(request, notices), "query": query_without_page(request), "mine": mine, "today": today,
        "can_issue": scoping.can_manage_org(request.user, org),
    })


@login_required
def notice_new(request):
    org = _org(request)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有以该党组织名义下发通知的权限")
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            notice = services.issue_notice(
                request.user, org, title=data.get("title"), body=data.get("body"), number=data.get("number"), reach=data.get("reach"),
                issued_on=_date(data.get("issued_on")), receipt_due=_date(data.get("receipt_due")),
                measures=(data.get("measures") or "").splitlines(), measures_due=_date(data.get("measures_due")),
                files=request.FILES.getlist("files"),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"通知已下发至 {notice.receipts.count()} 个单位")
            return redirect("supervision:notice", notice.pk)
    return render(request, "supervision/notice_new.html", {"org": org, "data": data, "reaches": Reach.choices,
                                                           "today": timezone.localdate()}, status=400 if request.method == "POST" else 200)


def _notice(request, pk):
    return get_object_or_404(Notice.objects.visible_to(request.user).select_related("org", "task_list"), pk=pk)


def _visible_receipts(request, notice):
    """All receipts for the issuer's readers; a receiving side sees only its own subtree's."""
    receipts = notice.receipts.select_related("org", "task", "signed_by").order_by("org__path")
    if scoping.covers(scoping.record_paths(request.user), notice.org_path):
        return receipts
    return receipts.filter(scoping.path_q("org_path", scoping.record_paths(request.user)))


@login_required
def notice(request, pk):
    n = _notice(request, pk)
    receipts = list(_visible_receipts(request, n))
    today = timezone.localdate()
    for r in receipts:
        r.can_sign = services.can_sign(request.user, r)
    return render(request, "supervision/notice.html", {
        "n": n, "receipts": receipts, "measures": list(n.measures.all()), "files": list(n.files.all()), "today": today,
        "is_issuer": scoping.covers(scoping.record_paths(request.user), n.org_path),
    })


@login_required
def notice_table(request, pk):
    n = _notice(request, pk)
    receipts = list(_visible_receipts(request, n))
    summary = queries.completion_summary(receipts, n, timezone.localdate())
    return render(request, "supervision/notice_table.html", {"n": n, "receipts": receipts, "summary": summary, "today": timezone.localdate(),
                                                             "chart": summary["chart"]})


@login_required
def notice_table_export(request, pk):
    n = _notice(request, pk)
    rows = ([r.org.name, timezone.localtime(r.signed_at).strftime("%Y-%m-%d %H:%M") if r.signed_at else "未签收",
             "逾期" if (r.signed_late() or (not r.signed_at and n.receipt_due < timezone.localdate())) else "", r.reminders,
             r.task.percent if r.task else "", r.task.get_state_display() if r.task else "", r.feedback]
            for r in _visible_receipts(request, n))
    return xlsx_response(f"通知落实情况-{n.pk}", "落实情况", ["接收单位", "签收", "逾期", "催办次数", "落实进度（%）", "任务状态", "落实情况"], rows)


@login_required
def notice_file(request, pk):
    f = get_object_or_404(NoticeFile.objects.filter(notice__in=Notice.objects.visible_to(request.user)), pk=pk)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.original_name, content_type=f.content_type)


def _receipt(request, pk):
    return get_object_or_404(Receipt.objects.visible_to(request.user).select_related("notice", "org"), pk=pk)


@login_required
@require_POST
def receipt_sign(request, pk):
    r = _receipt(request, pk)
    try:
        services.sign_receipt(request.user, r)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"{r.org}已签收")
    return redirect("supervision:notice", r.notice_id)


@login_required
@require_POST
def receipt_feedback(request, pk):
    r = _receipt(request, pk)
    try:
        percent = int(request.POST.get("percent") or 100)
    except ValueError:
        percent = -1
    try:
        services.report_feedback(request.user, r, text=request.POST.get("text"), percent=percent, submit=bool(request.POST.get("submit")),
                                 files=request.FILES.getlist("files"))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "落实情况已反馈")
    return redirect("supervision:notice", r.notice_id)


# ---- supervised tasks --------------------------------------------------------------------------------------------


@login_required
def assignments(request):
    org = _readable(request, _org(request))
    today = timezone.localdate()
    items = Assignment.objects.visible_to(request.user).filter(org_path__startswith=org.path).select_related("org", "task_list")
    page = paginate(request, items)
    rollup = tracking_queries.rollup([a.task_list for a in page], today) if page.object_list else {}
    for a in page:
        a.roll = rollup.get(a.task_list_id) if isinstance(rollup, dict) else None
    overdue = queries.overdue_by_child(org, today)
    return render(request, "supervision/assignments.html", {
        "org": org, "page": page, "query": query_without_page(request), "overdue": overdue, "today": today,
        "can_issue": scoping.can_manage_org(request.user, org),
    })


@login_required
def assignments_export(request):
    """督办事项台账: one row per assignee's task of the supervised tasks in the subtree."""
    from grassroots.tracking.models import Task

    org = _readable(request, _org(request))
    today = timezone.localdate()
    lists = Assignment.objects.visible_to(request.user).filter(org_path__startswith=org.path)
    tasks = (Task.objects.filter(task_list__in=lists.values("task_list_id")).select_related("assignee_org", "task_list")
             .order_by("task_list_id", "assignee_path"))
    titles = dict(lists.values_list("task_list_id", "org__name"))
    rows = ([t.title, titles.get(t.task_list_id, ""), t.due_on, t.assignee_org.name if t.assignee_org else t.responsible_name, t.percent,
             t.get_state_display(), "逾期" if t.due_on < today and t.state not in ("done", "cancelled") else "", t.done_on] for t in tasks)
    return xlsx_response(f"督办事项台账-{org.code}", "督办事项", ["督办事项", "督办单位", "完成时限", "责任单位", "进度（%）", "状态", "逾期", "办结日期"], rows)


@login_required
def assignment_new(request):
    org = _org(request)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有以该党组织名义督办任务的权限")
    candidates = list(Organization.objects.get_children(org).filter(is_active=True).order_by("path"))
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        chosen = [c for c in candidates if str(c.pk) in request.POST.getlist("assignees")]
        try:
            a = services.create_assignment(request.user, org, title=data.get("title"), detail=data.get("detail"), due_on=_date(data.get("due_on")),
                                           assignees=chosen)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "督办任务已下达")
            return redirect("supervision:assignment", a.pk)
    return render(request, "supervision/assignment_new.html", {"org": org, "data": data, "candidates": candidates},
                  status=400 if request.method == "POST" else 200)


@login_required
def assignment(request, pk):
    a = get_object_or_404(Assignment.objects.visible_to(request.user).select_related("org", "task_list"), pk=pk)
    tasks = list(a.task_list.tasks.select_related("assignee_org").order_by("assignee_path"))
    return render(request, "supervision/assignment.html", {"a": a, "tasks": tasks, "today": timezone.localdate(),
                                                           "percent": tracking_queries.list_percent(a.task_list)})


# ---- supervision groups, visits, findings, follow-ups ----------------------------------------------------------


@login_required
def groups(request):
    org = _org(request)
    if request.method == "POST":
        try:
            g = services.create_group(request.user, org, name=request.POST.get("name"), leader_name=request.POST.get("leader_name"),
                                      member_names=request.POST.get("member_names"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "督导组已组建")
            return redirect("supervision:group", g.pk)
    items = SupervisionGroup.objects.visible_to(request.user).filter(org_path__startswith=org.path).select_related("org").annotate(
        n_visits=Count("visits", distinct=True)).order_by("org_path", "name")  # (Meta.ordering does not apply with GROUP BY)
    return render(request, "supervision/groups.html", {"org": org, "page": paginate(request, items), "query": query_without_page(request),
                                                       "can_issue": scoping.can_manage_org(request.user, org)})


@login_required
def group(request, pk):
    g = get_object_or_404(SupervisionGroup.objects.visible_to(request.user).select_related("org"), pk=pk)
    if request.method == "POST":
        target = Organization.objects.filter(path__startswith=g.org_path, pk=request.POST.get("org") or 0).first()
        try:
            if target is None:
                raise ValidationError({"org": "请选择督导对象"})
            v = services.plan_visit(request.user, g, target, planned_on=_date(request.POST.get("planned_on")), purpose=request.POST.get("purpose"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "督导计划已登记")
            return redirect("supervision:visit", v.pk)
    visits = Visit.objects.visible_to(request.user).filter(group=g).select_related("org").annotate(n_findings=Count("findings"))
    targets = Organization.objects.get_descendants(g.org).filter(is_active=True).exclude(kind="group").order_by("path")[:500]
    return render(request, "supervision/group.html", {"g": g, "visits": visits, "targets": targets})


@login_required
def visit(request, pk):
    v = get_object_or_404(Visit.objects.visible_to(request.user).select_related("group__org", "org"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "record":
                services.record_visit(request.user, v, visited_on=_date(request.POST.get("visited_on")), summary=request.POST.get("summary"))
                messages.success(request, "督导情况已登记")
            else:
                services.record_finding(request.user, v, kind=request.POST.get("kind"), text=request.POST.get("text"),
                                        found_on=_date(request.POST.get("found_on")), responsible_name=request.POST.get("responsible_name"),
                                        responsible_post=request.POST.get("responsible_post"), rectify_by=_date(request.POST.get("rectify_by")))
                messages.success(request, "问题已登记")
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("supervision:visit", v.pk)
    findings = Finding.objects.visible_to(request.user).filter(visit=v).select_related("org")
    return render(request, "supervision/visit.html", {"v": v, "findings": findings, "kinds": FindingKind.choices, "today": timezone.localdate()})


@login_required
def finding(request, pk):
    f = get_object_or_404(Finding.objects.visible_to(request.user).select_related("visit__group", "org"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.close_finding(request.user, f, note=request.POST.get("note"))
                messages.success(request, "问题已销号")
            else:
                item = services.issue_intervention(
                    request.user, f, kind=request.POST.get("kind"), text=request.POST.get("text"), issued_on=_date(request.POST.get("issued_on")),
                    person_name=request.POST.get("person_name"), talked_on=_date(request.POST.get("talked_on")),
                    talker_name=request.POST.get("talker_name"), due_on=_date(request.POST.get("due_on")),
                )
                messages.success(request, f"{item.get_kind_display()}已下达")
                return redirect("supervision:intervention", item.pk)
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("supervision:finding", f.pk)
    items = f.interventions.select_related("org", "referred_to")
    return render(request, "supervision/finding.html", {"f": f, "items": items, "kinds": InterventionKind.choices, "today": timezone.localdate()})


@login_required
def intervention(request, pk):
    item = get_object_or_404(Intervention.objects.filter(
        Q(pk__in=Intervention.objects.visible_to(request.user).values("pk"))
        | Q(scoping.path_q("referred_path", scoping.record_paths(request.user)), referred_path__gt="")
    ).select_related("finding", "org", "referred_to", "verified_by", "rectification_case__org"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "report":
                services.report_rectified(request.user, item, result=request.POST.get("result"))
            elif action in ("accept", "reject"):
                services.verify_order(request.user, item, accepted=action == "accept", note=request.POST.get("note"))
            elif action == "decide":
                services.decide_referral(request.user, item, decision=request.POST.get("decision"), decided_on=_date(request.POST.get("decided_on")))
            elif action == "case":
                value = request.POST.get("case") or ""
                case = services.linkable_cases(request.user, item).filter(pk=int(value)).first() if value.isdigit() else None
                services.link_case(request.user, item, case)
            else:
                raise ValidationError("未知操作")
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已保存")
        return redirect("supervision:intervention", item.pk)
    can_verify = services._issuer_side(request.user, item)
    return render(request, "supervision/intervention.html", {
        "item": item, "today": timezone.localdate(),
        "case_readable": item.rectification_case_id and Case.objects.visible_to(request.user).filter(pk=item.rectification_case_id).exists(),
        "cases": list(services.linkable_cases(request.user, item)) if item.kind == InterventionKind.ORDER and can_verify else [],
        "can_report": scoping.can_manage_org(request.user, item.org),
        "can_verify": can_verify,
        "can_decide": item.referred_to_id and scoping.can_manage_org(request.user, item.referred_to),
    })


# ---- an organization's history: problem, responsibility and rectification lists ---------------------------------


def _history(request, pk):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    _readable(request, org)
    return org, queries.org_lists(request.user, org)


@login_required
def org_history(request, pk):
    org, lists = _history(request, pk)
    return render(request, "supervision/org_history.html", {"org": org, **lists, "today": timezone.localdate()})


@login_required
def org_history_export(request, pk):
    org, lists = _history(request, pk)
    rows = []
    for f in lists["findings"]:
        orders = [i for i in f.interventions.all() if i.kind == InterventionKind.ORDER]
        rows.append([f.found_on, f.org.name, f.get_kind_display(), f.text, f.responsible_name, f.responsible_post, f.rectify_by,
                     "；".join(f"{i.get_kind_display()}{i.get_state_display()}" for i in f.interventions.all()),
                     f.get_state_display(), f.closed_on, f.closing_note, len(orders),
                     "；".join(str(i.rectification_case) for i in orders if i.rectification_case_id)])
    return xlsx_response(f"问题责任整改清单-{org.code}", "问题清单", [
        "发现日期", "党组织", "问题类别", "问题描述", "责任人", "职务", "整改时限", "处置", "状态", "销号日期", "销号说明", "限期整改数", "整顿台账"], rows)
