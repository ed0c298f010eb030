"""Pages of 驻村联户与结对帮扶: coverage, pairings, poor villages, stationed cadres (attendance, leave, work log),
task books and their 通报, households in need and visits, and the yearly assessment."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.models import User
from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.choices import Category, Kind
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org
from grassroots.tracking import services as tracking
from grassroots.tracking.models import Task

from . import coverage, engines, forms, queries, rules, services
from .choices import Grade, HouseholdKind, LeaveState, PairingState, StationState
from .models import Household, HouseholdLink, Leave, Pairing, PoorVillage, Stationing

# ---- helpers -----------------------------------------------------------------------------------------------------------


def _root(request):
    """The organization the page covers: ?org= if the user reads it, else the current scope."""
    pk = request.GET.get("org")
    if pk:
        return get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.read_paths(request.user))), pk=pk)
    return scope_org(request)


def _errors(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def villages(user, manage=True):
    """Village-level rural organizations the user manages (or reads)."""
    paths = scoping.manage_paths(user) if manage else scoping.record_paths(user)
    rows = list(Organization.objects.filter(scoping.path_q("path", paths), category=Category.RURAL, is_active=True).exclude(kind=Kind.GROUP))
    rural = {o.path for o in rows}
    return [o for o in rows if o.path[: -Organization.steplen] not in rural] if rows else []


def partners(user):
    return Organization.objects.filter(scoping.path_q("path", scoping.read_paths(user)), category__in=rules.PARTNER_CATEGORIES,
                                       is_active=True).exclude(kind=Kind.GROUP)


def _simple(request, title, form, action, back):
    return render(request, "assistance/form.html", {"title": title, "form": form, "action": action, "back": back})


def _month(request):
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return rules.month_start(timezone.localdate()).replace(day=1) - datetime.timedelta(days=1)


# ---- coverage -----------------------------------------------------------------------------------------------------------


@login_required
def coverage_page(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    root = _root(request)
    data = coverage.coverage(root)
    chart = {"labels": [r["county"] for r in data["rows"]],
             "units": [r["units_paired"] for r in data["rows"]], "units_gap": [r["units_gap"] for r in data["rows"]],
             "needy": [r["needy_paired"] for r in data["rows"]], "needy_gap": [r["needy_gap"] for r in data["rows"]]}
    return render(request, "assistance/coverage.html", {"root": root, **data, "chart": chart, "today": timezone.localdate()})


@login_required
def coverage_export(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    data = coverage.coverage(_root(request))
    rows = [[r["county"], r["units"], r["units_paired"], r["units_gap"], r["villages"], r["villages_paired"], r["needy"],
             r["needy_paired"], r["needy_gap"]] for r in data["rows"]]
    rows += [[]] + [["未结对单位", u["county"], u["name"]] for u in data["unpaired_units"]]
    rows += [["未结对的贫困村/整顿村", v["county"], v["name"], v["needs"]] for v in data["unpaired_villages"]]
    return xlsx_response("结对帮扶覆盖", "结对帮扶覆盖", ["县（市、区）", "应结对单位", "已结对", "未结对", "村", "已结对村",
                                                  "贫困村及整顿村", "已结对", "缺口"], rows)


# ---- pairings -------------------------------------------------------------------------------------------------------------


def _pairings(request):
    qs = Pairing.objects.visible_to(request.user).select_related("partner", "village")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(village__name__contains=q) | Q(partner__name__contains=q) | Q(village__initials__startswith=q.upper())
                       | Q(partner__initials__startswith=q.upper()))
    if request.GET.get("state") in PairingState.values:
        qs = qs.filter(state=request.GET["state"])
    return qs


@login_required
def pairing_list(request):
    page = paginate(request, _pairings(request))
    books = engines.task_books(page)
    rollups = queries.rollups(books.values())
    for p in page:
        p.book = books.get(p.pk)
        p.rollup = rollups.get(p.book.pk) if p.book else None
    return render(request, "assistance/pairing_list.html", {"page": page, "query": query_without_page(request), "q": request.GET.get("q", ""),
                                                            "can_create": bool(villages(request.user))})


@login_required
def pairing_export(request):
    rows = ([p.partner.name, p.village.name, p.started_on, p.get_state_display(), p.ended_on, p.contact_name, p.goals] for p in _pairings(request))
    return xlsx_response("结对帮扶台账", "结对帮扶", ["帮扶单位", "结对村", "结对日期", "状态", "结束日期", "联络人", "帮扶目标"], rows)


@login_required
def pairing_create(request):
    own = villages(request.user)
    if not own:
        raise PermissionDenied("您没有可结对的村")
    form = forms.PairingForm(request.POST or None, initial={"started_on": timezone.localdate(), "village": request.GET.get("village")})
    form.set_orgs("village", own)
    form.set_orgs("partner", partners(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pairing = services.create_pairing(request.user, Organization.objects.get(pk=d["partner"]), Organization.objects.get(pk=d["village"]),
                                              started_on=d["started_on"], contact_name=d["contact_name"], goals=d["goals"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "已建立结对")
            return redirect("assistance:pairing_detail", pairing.pk)
    return _simple(request, "新建结对帮扶", form, "", "assistance:pairing_list")


def _visible_pairing(request, pk):
    return get_object_or_404(Pairing.objects.visible_to(request.user).select_related("partner", "village"), pk=pk)


@login_required
def pairing_detail(request, pk):
    pairing = _visible_pairing(request, pk)
    return render(request, "assistance/pairing_detail.html", {
        "pairing": pairing, "can_manage": scoping.can_manage_org(request.user, pairing.village), "end_form": forms.EndForm(),
        **_book_context(request, pairing),
    })


@login_required
@require_POST
def pairing_end(request, pk):
    pairing = _visible_pairing(request, pk)
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_pairing(request.user, pairing, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["end_reason"])
            messages.success(request, "结对已结束")
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    else:
        messages.error(request, "请填写结束日期和原因")
    return redirect("assistance:pairing_detail", pk)


# ---- task books (a tracking.TaskList per pairing or stationing) -----------------------------------------------------------


def _book_context(request, obj):
    book = engines.task_book(obj)
    ctx = {"book": book, "task_form": forms.TaskForm(), "report_form": forms.ReportForm(initial={"reported_on": timezone.localdate()}),
           "kind": obj._meta.model_name}
    if book:
        tasks = list(book.tasks.order_by("position").prefetch_related("reports"))
        for t in tasks:
            t.can_report = tracking.can_report(request.user, t) and t.state not in ("done", "cancelled")
            t.overdue = t.due_on < timezone.localdate() and t.state not in ("done", "cancelled")
        ctx.update(tasks=tasks, rollup=queries.rollups([book]).get(book.pk), can_manage_book=tracking.can_manage_list(request.user, book),
                   engine_url=engines.engine_url("tracking:list", book.pk))
    return ctx


def _book_owner(request, kind, pk):
    model = {"pairing": Pairing, "stationing": Stationing}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.visible_to(request.user).select_related("village"), pk=pk)


@login_required
@require_POST
def book_open(request, kind, pk):
    obj = _book_owner(request, kind, pk)
    try:
        engines.open_task_book(request.user, obj)
        messages.success(request, "已建立任务书")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(f"assistance:{kind}_detail", pk)


@login_required
@require_POST
def book_task_add(request, kind, pk):
    obj = _book_owner(request, kind, pk)
    book = engines.task_book(obj)
    form = forms.TaskForm(request.POST)
    if book is None:
        raise Http404
    if form.is_valid():
        d = form.cleaned_data
        try:
            tracking.add_task(request.user, book, title=d["title"], due_on=d["due_on"], starts_on=d["starts_on"], responsible_name=d["responsible_name"],
                              assignee_org=obj.village, responsible_user=getattr(obj, "user", None))
            messages.success(request, "已添加任务")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写任务内容和完成时限")
    return redirect(f"assistance:{kind}_detail", pk)


@login_required
@require_POST
def book_report(request, task_pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).filter(task_list__source__in=engines.SOURCES.values()).select_related("task_list"), pk=task_pk)
    kind = task.task_list.source.split(".")[1]
    form = forms.ReportForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            tracking.report_progress(request.user, task, percent=d["percent"], text=d["text"], reported_on=d["reported_on"],
                                     files=request.FILES.getlist("files"))
            messages.success(request, f"已报送进度 {d['percent']}%")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
    return redirect(f"assistance:{kind}_detail", task.task_list.source_id)


@login_required
def bulletin(request):
    """通报: the progress of every task book in scope, printable and as Excel."""
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    root = _root(request)
    rows = queries.bulletin_rows(request.user, root, timezone.localdate())
    if request.GET.get("format") == "xlsx":
        return xlsx_response("任务书进展通报", "任务书进展通报", ["村", "类别", "帮扶单位/驻村干部", "任务数", "已完成", "逾期", "完成进度%"],
                             ([r["village"], r["kind"], r["who"], r["total"], r["done"], r["overdue"], r["percent"]] for r in rows))
    return render(request, "assistance/bulletin.html", {"root": root, "rows": rows, "today": timezone.localdate(),
                                                        "overdue": sum(r["overdue"] for r in rows), "chart": {
                                                            "labels": [f"{r['village']}·{r['who']}" for r in rows],
                                                            "values": [float(r["percent"] or 0) for r in rows]}})


# ---- poor villages ----------------------------------------------------------------------------------------------------------


@login_required
def poor_list(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    qs = PoorVillage.objects.filter(scoping.path_q("org_path", scoping.record_paths(request.user))).select_related("village")
    qs = qs.annotate(pairs=Count("village__pairings_received", filter=Q(village__pairings_received__state=PairingState.ACTIVE))).order_by("org_path", "pk")
    if request.GET.get("q"):
        qs = qs.filter(Q(village__name__contains=request.GET["q"]) | Q(village__initials__startswith=request.GET["q"].upper()))
    if request.GET.get("format") == "xlsx":
        return xlsx_response("贫困村台账", "贫困村", ["村", "认定依据", "认定日期", "退出日期", "退出原因", "结对单位数"],
                             ([p.village.name, p.source, p.designated_on, p.lifted_on, p.lifted_reason, p.pairs] for p in qs))
    page = paginate(request, qs)
    return render(request, "assistance/poor_list.html", {"page": page, "query": query_without_page(request), "lift_form": forms.LiftForm(),
                                                         "can_create": bool(villages(request.user)), "q": request.GET.get("q", "")})


@login_required
def poor_create(request):
    own = villages(request.user)
    if not own:
        raise PermissionDenied
    form = forms.PoorForm(request.POST or None)
    form.set_orgs("village", own)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.flag_poor(request.user, Organization.objects.get(pk=d["village"]), source=d["source"], designated_on=d["designated_on"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "已认定")
            return redirect("assistance:poor_list")
    return _simple(request, "认定贫困村（经济薄弱村）", form, "", "assistance:poor_list")


@login_required
@require_POST
def poor_lift(request, pk):
    flag = get_object_or_404(PoorVillage.objects.filter(scoping.path_q("org_path", scoping.record_paths(request.user))).select_related("village"), pk=pk)
    form = forms.LiftForm(request.POST)
    if form.is_valid():
        try:
            services.lift_poor(request.user, flag, lifted_on=form.cleaned_data["lifted_on"], reason=form.cleaned_data["lifted_reason"])
            messages.success(request, "已退出")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("assistance:poor_list")


# ---- stationed cadres ---------------------------------------------------------------------------------------------------------


def _stationings(request):
    qs = Stationing.objects.visible_to(request.user).select_related("village", "sending_unit")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(initials__startswith=q.upper()) | Q(village__name__contains=q))
    if request.GET.get("state") in StationState.values:
        qs = qs.filter(state=request.GET["state"])
    return qs


@login_required
def stationing_list(request):
    page = paginate(request, _stationings(request))
    return render(request, "assistance/stationing_list.html", {"page": page, "query": query_without_page(request), "q": request.GET.get("q", ""),
                                                               "can_create": bool(_stationing_villages(request.user)), "states": StationState.choices})


@login_required
def stationing_export(request):
    rows = ([s.name, s.get_kind_display(), s.village.name, s.sending_unit.name, s.position, s.phone_masked, s.started_on, s.term_years, s.ends_on,
             s.get_state_display(), s.left_on, s.left_reason] for s in _stationings(request))
    return xlsx_response("驻村干部台账", "驻村干部", ["姓名", "类别", "驻村", "派出单位", "原职务", "联系电话", "到村日期", "任期", "任期届满", "状态",
                                              "离村日期", "原因"], rows)


def _stationing_villages(user):
    """Villages whose township (or higher) the user manages: where they may station cadres."""
    return [v for v in villages(user) if scoping.covers(scoping.manage_paths(user), v.path[: -Organization.steplen])]


@login_required
def stationing_create(request):
    own = _stationing_villages(request.user)
    if not own:
        raise PermissionDenied("选派驻村干部须由乡镇以上党委（组织部门）办理")
    village_pk = request.GET.get("village")
    form = forms.StationingForm(request.POST or None, initial={"started_on": timezone.localdate(), "village": village_pk})
    form.set_orgs("village", own)
    form.set_orgs("sending_unit", partners(request.user))
    cases = {c.pk: c for c in queries.open_cases(own)}
    form.set_cases(cases.values())
    if village_pk and not request.POST:
        preset = next((c for c in cases.values() if str(c.org_id) == village_pk), None)
        form.initial["case"] = preset.pk if preset else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = None
        if d["username"]:
            user = User.objects.filter(username=d["username"]).first()
            if user is None:
                form.add_error("username", "找不到该账号")
        case = cases.get(d["case"]) if d["case"] else None
        if case is not None and case.org_id != d["village"]:
            form.add_error("case", "所选整顿案件不是该村的")
        if not form.errors:
            try:
                s = services.station(request.user, Organization.objects.get(pk=d["village"]), kind=d["kind"], name=d["name"],
                                     sending_unit=Organization.objects.get(pk=d["sending_unit"]), started_on=d["started_on"],
                                     term_years=d["term_years"], position=d["position"], phone=d["phone"], user=user, case=case)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "已登记选派")
                return redirect("assistance:stationing_detail", s.pk)
    return _simple(request, "选派驻村干部", form, "", "assistance:stationing_list")


def _visible_stationing(request, pk):
    return get_object_or_404(Stationing.objects.visible_to(request.user).select_related("village", "sending_unit", "user"), pk=pk)


@login_required
def stationing_detail(request, pk):
    s = _visible_stationing(request, pk)
    township = coverage.township_of(s.village)
    manages = township is not None and scoping.can_manage_org(request.user, township)
    leaves = list(s.leaves.select_related("approver_org"))
    for leave in leaves:
        leave.can_decide = leave.state == LeaveState.PENDING and scoping.can_manage_org(request.user, leave.approver_org)
    replace_form = forms.ReplaceForm(initial={"on": timezone.localdate()})
    replace_form.set_orgs("sending_unit", partners(request.user))
    return render(request, "assistance/stationing_detail.html", {
        "s": s, "can_record": services.can_record_for(request.user, s), "manages": manages, "leaves": leaves,
        "attendance": s.attendance.all()[:24], "logs": s.logs.all()[:12], "assessments": s.assessments.all(),
        "attendance_form": forms.AttendanceForm(), "leave_form": forms.LeaveForm(), "log_form": forms.LogForm(),
        "recall_form": forms.RecallForm(initial={"on": timezone.localdate()}), "replace_form": replace_form, "decide_form": forms.DecideForm(),
        "min_days": rules.min_days(rules.month_start(timezone.localdate())), "township_days": rules.township_leave_max_days(),
        **_book_context(request, s),
    })


def _post_action(request, pk, form_class, action, ok):
    s = _visible_stationing(request, pk)
    form = form_class(request.POST)
    if hasattr(form, "set_orgs") and "sending_unit" in form.fields:
        form.set_orgs("sending_unit", partners(request.user))
    if form.is_valid():
        try:
            action(s, form.cleaned_data)
            messages.success(request, ok)
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    else:
        messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''}：{m}" for f, ms in form.errors.items() for m in ms))
    return redirect("assistance:stationing_detail", s.pk)


@login_required
@require_POST
def attendance_record(request, pk):
    return _post_action(request, pk, forms.AttendanceForm, lambda s, d: services.record_attendance(
        request.user, s, month=d["month"], days=d["days"], note=d["note"]), "已填报考勤")


@login_required
@require_POST
def leave_request(request, pk):
    return _post_action(request, pk, forms.LeaveForm, lambda s, d: services.request_leave(
        request.user, s, starts_on=d["starts_on"], ends_on=d["ends_on"], reason=d["reason"]), "已提交请假申请")


@login_required
@require_POST
def log_write(request, pk):
    return _post_action(request, pk, forms.LogForm, lambda s, d: services.write_log(
        request.user, s, month=d["month"], work=d["work"], problems=d["problems"], plan=d["plan"]), "已保存工作月志")


@login_required
@require_POST
def stationing_recall(request, pk):
    return _post_action(request, pk, forms.RecallForm, lambda s, d: services.recall(request.user, s, on=d["on"], reason=d["left_reason"]), "已召回")


@login_required
@require_POST
def stationing_replace(request, pk):
    return _post_action(request, pk, forms.ReplaceForm, lambda s, d: services.replace(
        request.user, s, on=d["on"], reason=d["left_reason"], name=d["name"], sending_unit=Organization.objects.get(pk=d["sending_unit"]),
        term_years=d["term_years"], phone=d["phone"]), "已轮换")


def _leaves_for(user):
    return Leave.objects.filter(Q(scoping.path_q("approver_path", scoping.manage_paths(user))) | Q(scoping.path_q("org_path", scoping.record_paths(user))))


@login_required
def leave_list(request):
    qs = _leaves_for(request.user).select_related("stationing", "approver_org")
    state = request.GET.get("state", LeaveState.PENDING)
    if state in LeaveState.values:
        qs = qs.filter(state=state)
    page = paginate(request, qs)
    manage = scoping.manage_paths(request.user)
    for leave in page:
        leave.can_decide = leave.state == LeaveState.PENDING and scoping.covers(manage, leave.approver_path)
    return render(request, "assistance/leave_list.html", {"page": page, "query": query_without_page(request), "state": state,
                                                          "states": LeaveState.choices, "decide_form": forms.DecideForm()})


@login_required
@require_POST
def leave_decide(request, pk):
    leave = get_object_or_404(_leaves_for(request.user), pk=pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_leave(request.user, leave, approve=form.cleaned_data["approve"], note=form.cleaned_data["decision_note"])
            messages.success(request, "已审批")
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/assistance/") else "assistance:leave_list")


@login_required
def attendance_report(request):
    """A month's attendance of every active cadre in scope against the minimum, shortfalls first."""
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    month = rules.month_start(_month(request))
    rows = queries.attendance_rows(request.user, _root(request), month)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"在村考勤{month:%Y%m}", "在村考勤", ["姓名", "类别", "驻村", "在村天数", "最低天数", "是否达标"],
                             ([r.name, r.get_kind_display(), r.village.name, r.days, r.required, r.status] for r in rows))
    return render(request, "assistance/attendance.html", {"rows": rows, "month": month, "required": rules.min_days(month),
                                                          "short": sum(1 for r in rows if r.status != "达标"),
                                                          "chart": {"labels": [r.name for r in rows], "values": [r.days for r in rows],
                                                                    "required": rules.min_days(month)}})


# ---- households ------------------------------------------------------------------------------------------------------------------


def _households(request):
    qs = Household.objects.visible_to(request.user).select_related("village").annotate(
        visits=Count("links__visits", distinct=True), open_needs=Count("links__visits", filter=Q(links__visits__resolved=False), distinct=True)).order_by("org_path", "head_name", "pk")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(head_name__contains=q) | Q(initials__startswith=q.upper()))
    if request.GET.get("kind") in HouseholdKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    return qs


@login_required
def household_list(request):
    if not (scoping.reads_records(request.user)):
        raise PermissionDenied
    qs = _households(request)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("联系户台账", "联系户", ["户主", "类别", "所在村", "人口", "身份号码", "联系电话", "住址", "走访次数", "未解决诉求"],
                             ([h.head_name, h.get_kind_display(), h.village.name, h.members_count, h.id_number_masked, h.phone_masked, h.address_masked,
                               h.visits, h.open_needs] for h in qs))
    page = paginate(request, qs)
    return render(request, "assistance/household_list.html", {"page": page, "query": query_without_page(request), "q": request.GET.get("q", ""),
                                                              "kinds": HouseholdKind.choices, "can_create": bool(_household_villages(request.user))})


def _household_villages(user):
    return [v for v in villages(user, manage=False) if services.can_edit_households(user, v)]


@login_required
def household_create(request):
    own = _household_villages(request.user)
    if not own:
        raise PermissionDenied
    form = forms.HouseholdForm(request.POST or None)
    form.set_orgs("village", own)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            h = services.add_household(request.user, Organization.objects.get(pk=d.pop("village")), **d)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "已登记")
            return redirect("assistance:household_detail", h.pk)
    return _simple(request, "登记联系户", form, "", "assistance:household_list")


def _visible_household(request, pk):
    return get_object_or_404(Household.objects.visible_to(request.user).select_related("village"), pk=pk)


@login_required
def household_detail(request, pk, revealed=None):
    h = _visible_household(request, pk)
    link_form = forms.LinkForm(initial={"started_on": timezone.localdate()})
    link_form.fields["stationing"].choices = [("", "请选择")] + [(s.pk, str(s)) for s in h.village.stationings.filter(state=StationState.ACTIVE)]
    return render(request, "assistance/household_detail.html", {
        "h": h, "links": h.links.select_related("stationing").prefetch_related("visits"), "can_edit": services.can_edit_households(request.user, h.village),
        "can_reveal": services.can_reveal(request.user, h), "revealed": revealed or {}, "link_form": link_form,
        "visit_form": forms.VisitForm(initial={"visited_on": timezone.localdate()}),
    })


@login_required
@require_POST
def household_reveal(request, pk, field):
    h = _visible_household(request, pk)
    value = services.reveal(request.user, h, field)
    return household_detail(request, pk, revealed={field: value})


@login_required
@require_POST
def household_link(request, pk):
    h = _visible_household(request, pk)
    form = forms.LinkForm(request.POST)
    form.fields["stationing"].choices = [("", "")] + [(s.pk, s.name) for s in h.village.stationings.all()]
    if form.is_valid():
        d = form.cleaned_data
        stationing = h.village.stationings.filter(pk=d["stationing"]).first() if d["stationing"] else None
        try:
            services.link_household(request.user, h, cadre_name=d["cadre_name"], stationing=stationing, started_on=d["started_on"])
            messages.success(request, "已建立联户关系")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("assistance:household_detail", pk)


@login_required
@require_POST
def visit_record(request, pk):
    link = get_object_or_404(HouseholdLink.objects.filter(household__in=Household.objects.visible_to(request.user)).select_related("household__village", "stationing"), pk=pk)
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        try:
            services.record_visit(request.user, link, **form.cleaned_data)
            messages.success(request, "已记录走访")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写走访日期和群众诉求")
    return redirect("assistance:household_detail", link.household_id)


# ---- assessment ---------------------------------------------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    root = _root(request)
    rows = queries.assessment_rows(request.user, root, year)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"驻村干部年度考核{year}", "年度考核", ["姓名", "类别", "驻村", "派出单位", "党员评议满意度%", "等次", "典型", "评语"],
                             ([r.name, r.get_kind_display(), r.village.name, r.sending_unit.name, r.satisfaction, r.grade_label, "是" if r.typical else "",
                               r.comment] for r in rows))
    counts = {g: sum(1 for r in rows if r.grade == g) for g in Grade.values}
    return render(request, "assistance/assessment_list.html", {
        "rows": rows, "year": year, "root": root, "form": forms.AssessmentForm(), "percent": rules.excellent_percent(),
        "counts": [(label, counts[key]) for key, label in Grade.choices], "typical": [r for r in rows if r.typical],
        "rating_villages": queries.rating_villages(request.user, rows, year),
    })


@login_required
@require_POST
def assessment_save(request, pk):
    s = _visible_stationing(request, pk)
    form = forms.AssessmentForm(request.POST)
    year = int(request.POST.get("year") or timezone.localdate().year)
    if form.is_valid():
        try:
            services.assess(request.user, s, year=year, **form.cleaned_data)
            messages.success(request, f"已确定{s.name}的等次")
        except ValidationError as exc:
            messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    return redirect(f"/assistance/assessment/?year={year}")


@login_required
@require_POST
def rating_open(request, pk):
    village = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=pk)
    year = int(request.POST.get("year") or timezone.localdate().year)
    try:
        r = engines.open_rating(request.user, village, year)
        messages.success(request, f"已建立评议《{r.title}》")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(f"/assistance/assessment/?year={year}")
