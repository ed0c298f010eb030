"""Pages of 软弱涣散党组织整顿: oversight (counts, charts, ledger), screening, the case page, the report upward."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.ballots import services as ballots
from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.orgs.models import Organization
from grassroots.tracking import queries as tracking_queries

from . import forms, queries, rules, services
from .models import Acceptance, Candidate, Case, Screening, Stationed


def reads(user):
    """Menu/page check: readers of records, assisting-unit contacts and stationed cadres see the cases."""
    return scoping.reads_records(user) or scoping.is_assisting_contact(user) or scoping.is_stationed(user)


def _scope_org(request):
    paths = scoping.record_paths(request.user)
    if request.GET.get("org", "").isdigit():
        return get_object_or_404(Organization.objects.filter(scoping.path_q("path", paths)), pk=int(request.GET["org"]))
    chosen = scoping.current_scope(request)
    if chosen is not None and scoping.covers(paths, chosen.org.path):
        return chosen.org
    org = Organization.objects.filter(scoping.path_q("path", paths)).order_by("depth", "path").first() if paths else None
    if org is None:
        # assisting-unit contacts and stationed cadres see their own cases: the whole tree, filtered by visible_to
        org = Organization.objects.filter(depth=1).first()
    if org is None:
        raise Http404("没有可查看的党组织")
    return org


def _year(request, today):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def _errors(request, exc):
    for msgs in field_errors(exc).values():
        for m in msgs:
            messages.error(request, m)


# ---- oversight, ledger, report ------------------------------------------------------------------------------------


@login_required
def home(request):
    if not reads(request.user):
        raise PermissionDenied("您没有查看整顿工作的权限")
    today = timezone.localdate()
    org = _scope_org(request)
    year = _year(request, today)
    qs = queries.cases_in(request.user, org, year)
    q = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    counts = queries.stage_counts(qs, today)
    listed = qs
    if q:
        listed = listed.filter(Q(org__name__contains=q) | Q(org__initials__icontains=q))
    if stage in Case.Stage.values:
        listed = listed.filter(stage=stage)
    if request.GET.get("overdue"):
        listed = listed.filter(due_on__lt=today).exclude(stage=Case.Stage.CLOSED)
    cases = queries.ledger_rows(listed, today, limit=500)
    version = rules.rule_set_for(today).version
    chart = {"stages": [[label, n] for label, n in counts["stages"]], "problems": queries.problem_counts(qs, version)}
    return render(request, "rectification/home.html", {
        "org": org, "today": today, "year": year, "counts": counts, "cases": cases, "chart": chart, "q": q, "stage": stage,
        "stages": Case.Stage.choices, "towns": queries.by_township(queries.ledger_rows(qs, today)),
        "overdue_measures": queries.overdue_measures(org, today), "can_screen": scoping.manages(request.user),
    })


def _ledger(cases, version):
    labels = dict(rules.rule_set_named(version).choices())
    for c in cases:
        yield [
            c.year, str(c.township or ""), c.org.name, "、".join(labels.get(p, p) for p in c.problems), c.contact_leader,
            str(c.assisting_unit or ""), c.get_stage_display(), f"{c.rollup.percent or 0}%", c.rollup.total, c.rollup.done, c.rollup.overdue,
            c.due_on.isoformat(), c.closed_on.isoformat() if c.closed_on else "", c.reopen_count, c.reopen_reason,
        ]


LEDGER_HEADERS = ["年度", "乡镇（街道）", "党组织", "问题类型", "县级联系领导", "帮扶单位", "阶段", "措施完成", "措施数", "已办结", "逾期",
                  "整顿时限", "销号日期", "补课次数", "重新整顿原因"]


@login_required
def export(request):
    if not reads(request.user):
        raise PermissionDenied("您没有查看整顿工作的权限")
    today = timezone.localdate()
    org = _scope_org(request)
    cases = queries.ledger_rows(queries.cases_in(request.user, org, _year(request, today)), today)
    audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path, note="导出软弱涣散党组织整顿台账")
    return xlsx_response(f"整顿台账-{org.short_name or org.name}", "整顿台账", LEDGER_HEADERS, _ledger(cases, rules.rule_set_for(today).version))


def report_data(user, org, year, today):
    qs = queries.cases_in(user, org, year)
    cases = queries.ledger_rows(qs, today)
    screenings = list(Screening.objects.visible_to(user).filter(org_path__startswith=org.path, year=year)) if year else []
    failed = Acceptance.objects.filter(case__in=qs.values("pk"), passed=False).count()
    return {
        "org": org, "year": year, "today": today, "counts": queries.stage_counts(qs, today), "cases": cases,
        "towns": queries.by_township(cases), "problems": queries.problem_counts(qs, rules.rule_set_for(today).version),
        "screenings": screenings, "failed_acceptances": failed,
        "share": [services.share_status(s) | {"screening": s} for s in screenings],
    }


@login_required
def report(request):
    """The report upward at the end of the campaign, generated from the records (print it from the browser)."""
    if not scoping.reads_records(request.user):
        raise PermissionDenied("您没有查看整顿工作的权限")
    today = timezone.localdate()
    org = _scope_org(request)
    year = _year(request, today) or today.year
    return render(request, "rectification/report.html", report_data(request.user, org, year, today))


@login_required
def report_export(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied("您没有查看整顿工作的权限")
    today = timezone.localdate()
    org = _scope_org(request)
    year = _year(request, today) or today.year
    data = report_data(request.user, org, year, today)
    c = data["counts"]
    rows = [["总数", c["total"]], *[[label, n] for label, n in c["stages"]], ["逾期未销号", c["overdue"]], ["重新整顿（补课、回潮）", c["reopened"]]]
    rows += [[f"问题：{label}", n] for label, n in data["problems"]]
    rows += [[f"{t['name']}：列入 / 销号 / 逾期 / 补课", f"{t['total']} / {t['closed']} / {t['overdue']} / {t['reopened']}"] for t in data["towns"]]
    audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path, note=f"导出 {year} 年整顿工作报告")
    return xlsx_response(f"{year}年整顿软弱涣散基层党组织工作报告-{org.short_name or org.name}", "工作报告", ["项目", "数量"], rows)


# ---- screening ----------------------------------------------------------------------------------------------------


def visible_screenings(user):
    """Screenings of a district the user reads, or of the district above a township the user reads (a township
    adds and removes its villages; a village or branch does not screen itself)."""
    paths = scoping.record_paths(user)
    if not paths:
        return Screening.objects.none()
    above = [p[: 2 * Organization.steplen] for p in paths if len(p) == 3 * Organization.steplen]
    return Screening.objects.filter(scoping.path_q("org_path", paths) | Q(org_path__in=above))


@login_required
def screening_list(request):
    if not scoping.reads_records(request.user):
        raise PermissionDenied("您没有查看摸底排查的权限")
    districts = [o for o in Organization.objects.filter(scoping.path_q("path", scoping.manage_paths(request.user)), depth__lte=2)] if scoping.manages(request.user) else []
    if request.method == "POST":
        form = forms.ScreeningForm(request.POST)
        district = get_object_or_404(Organization, pk=request.POST.get("district") or 0)
        if form.is_valid():
            try:
                s = services.start_screening(request.user, district, form.cleaned_data["year"])
                return redirect("rectification:screening", s.pk)
            except ValidationError as exc:
                _errors(request, exc)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
    else:
        form = forms.ScreeningForm(initial={"year": timezone.localdate().year})
    screenings = visible_screenings(request.user).select_related("org")
    return render(request, "rectification/screening_list.html", {"screenings": screenings, "form": form, "districts": districts})


def _screening(request, pk):
    return get_object_or_404(visible_screenings(request.user).select_related("org"), pk=pk)


@login_required
def screening_detail(request, pk):
    s = _screening(request, pk)
    rule_set = rules.rule_set_named(s.rule_version)
    candidates = list(s.candidates.filter(scoping.path_q("org_path", scoping.record_paths(request.user))).select_related("org", "township", "decided_by"))
    labels = dict(rule_set.choices())
    for c in candidates:
        c.problem_labels = [labels.get(p, p) for p in c.problems]
    manageable = [u for u in services.units_within(s.org_path) if scoping.can_manage_org(request.user, u)]
    return render(request, "rectification/screening_detail.html", {
        "s": s, "rule_set": rule_set, "candidates": candidates, "status": services.share_status(s),
        "add_form": forms.CandidateForm(units=manageable, criteria=rule_set.choices()), "confirm_form": forms.ConfirmForm(),
        "can_district": scoping.can_manage_org(request.user, s.org), "can_add": bool(manageable) and s.state == Screening.State.DRAFT,
    })


@login_required
@require_POST
def screening_act(request, pk):
    s = _screening(request, pk)
    action = request.POST.get("action")
    try:
        if action == "propose":
            services.propose(request.user, s)
            messages.success(request, "已按最新数据重新预警")
        elif action == "add":
            rule_set = rules.rule_set_named(s.rule_version)
            units = [u for u in services.units_within(s.org_path) if scoping.can_manage_org(request.user, u)]
            form = forms.CandidateForm(request.POST, units=units, criteria=rule_set.choices())
            if not form.is_valid():
                raise ValidationError({k: v[0] for k, v in form.errors.items()})
            services.add_candidate(request.user, s, form.cleaned_data["org"], problems=form.cleaned_data["problems"], reason=form.cleaned_data["reason"])
            messages.success(request, "已增列")
        elif action == "exclude":
            c = get_object_or_404(Candidate.objects.visible_to(request.user), pk=request.POST.get("candidate") or 0, screening=s)
            services.exclude_candidate(request.user, c, reason=request.POST.get("reason", ""))
            messages.success(request, f"已剔除 {c.org}")
        elif action == "include":
            c = get_object_or_404(Candidate.objects.visible_to(request.user), pk=request.POST.get("candidate") or 0, screening=s)
            services.add_candidate(request.user, s, c.org, problems=c.problems or request.POST.getlist("problems"), reason=request.POST.get("reason", ""))
            messages.success(request, f"已重新列入 {c.org}")
        elif action == "confirm":
            form = forms.ConfirmForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"due_on": "请填写整顿时限"})
            cases = services.confirm_screening(request.user, s, due_on=form.cleaned_data["due_on"])
            messages.success(request, f"已确定 {len(cases)} 个软弱涣散基层党组织并建立整顿台账")
            return redirect(f"{_home_url()}?year={s.year}")
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("rectification:screening", s.pk)


def _home_url():
    from django.urls import reverse

    return reverse("rectification:home")


# ---- the case -----------------------------------------------------------------------------------------------------


def _case(request, pk):
    return get_object_or_404(Case.objects.visible_to(request.user).select_related("org", "township", "assisting_unit", "task_list__org", "screening"), pk=pk)


@login_required
def case_detail(request, pk):
    case = _case(request, pk)
    today = timezone.localdate()
    rule_set = rules.rule_set_named(case.screening.rule_version if case.screening_id else rules.rule_set_for(case.opened_on).version)
    labels = dict(rule_set.choices())
    can_manage = scoping.can_manage_org(request.user, case.task_list.org)
    acceptances = list(case.acceptances.select_related("round", "decided_by"))
    district = services.district_of(case.org)
    units = Organization.objects.filter(path__startswith=district.path, is_active=True).exclude(path__startswith=case.org_path).order_by("path")
    timeline = sorted(
        [(e.on, e.label, e.note, e.actor) for e in case.events.select_related("actor")]
        + [(e.on, e.label, f"{e.task.title}：{e.text}", e.actor) for e in tracking_queries.timeline(case.task_list)],
        key=lambda r: r[0],
    )
    return render(request, "rectification/case_detail.html", {
        "case": case, "today": today, "problems": [labels.get(p, p) for p in case.problems], "can_manage": can_manage,
        "rollup": tracking_queries.rollup([case.task_list_id], today)[case.task_list_id], "acceptances": acceptances,
        "obligations": list(case.obligations.all()), "stationed": list(case.stationed.all()), "timeline": timeline,
        "support_form": forms.SupportForm(initial={"contact_leader": case.contact_leader, "assisting_unit": case.assisting_unit_id}, units=units),
        "stationed_form": forms.StationedForm(), "measure_form": forms.MeasureForm(), "obligation_form": forms.ObligationForm(),
        "poll_form": forms.PollForm(), "current": services.current_acceptance(case),
        "tokens": request.session.pop(f"rectification_tokens_{case.pk}", []),
    })


@login_required
@require_POST
def case_act(request, pk):
    case = _case(request, pk)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "support":
            district = services.district_of(case.org)
            form = forms.SupportForm(request.POST, units=Organization.objects.filter(path__startswith=district.path))
            if not form.is_valid():
                raise ValidationError({k: v[0] for k, v in form.errors.items()})
            services.set_support(user, case, contact_leader=form.cleaned_data["contact_leader"], assisting_unit=form.cleaned_data["assisting_unit"])
            messages.success(request, "已保存联系领导和帮扶单位")
        elif action == "station":
            form = forms.StationedForm(request.POST)
            if not form.is_valid():
                raise ValidationError({k: v[0] for k, v in form.errors.items()})
            services.add_stationed(user, case, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"])
            messages.success(request, "已选派")
        elif action == "unstation":
            row = get_object_or_404(Stationed, pk=request.POST.get("stationed") or 0, case=case)
            services.remove_stationed(user, row, reason=request.POST.get("reason", ""))
            messages.success(request, f"{row} 已撤离")
        elif action == "measure":
            form = forms.MeasureForm(request.POST)
            if not form.is_valid():
                raise ValidationError({k: v[0] for k, v in form.errors.items()})
            services.add_measure(user, case, **form.cleaned_data)
            messages.success(request, "已增加整改措施")
        elif action == "obligation":
            ob = get_object_or_404(case.obligations, pk=request.POST.get("obligation") or 0)
            services.meet_obligation(user, ob, how=request.POST.get("how", ""))
            messages.success(request, "已落实")
        elif action == "poll":
            form = forms.PollForm(request.POST)
            if not form.is_valid():
                raise ValidationError({k: v[0] for k, v in form.errors.items()})
            d = form.cleaned_data
            members = []
            if d.get("members_online"):
                from grassroots.members.models import Member

                members = [m.user for m in Member.objects.in_register().filter(org_path__startswith=case.org_path, user__isnull=False).select_related("user")]
            _round, raw = services.start_poll(user, case, members=members, tokens=d.get("tokens") or 0,
                                             paper_members=d.get("paper_members") or 0, paper_masses=d.get("paper_masses") or 0)
            request.session[f"rectification_tokens_{case.pk}"] = raw
            messages.success(request, "满意度测评已开始")
        elif action == "close_poll":
            current = services.current_acceptance(case)
            if current is None:
                raise ValidationError("没有进行中的满意度测评")
            ballots.close_round(user, current.round)
            messages.success(request, "满意度测评已截止")
        elif action == "accept":
            result = services.accept(user, case, note=request.POST.get("note", ""))
            if result.passed:
                messages.success(request, f"验收通过，满意度 {result.satisfaction:.1%}，已销号")
            else:
                messages.warning(request, f"满意度 {result.satisfaction:.1%} 未达到 {result.threshold:.0%}，验收未通过，转入补课")
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("rectification:case", case.pk)


@login_required
def case_print(request, pk):
    case = _case(request, pk)
    return render(request, "rectification/case_print.html", {
        "case": case, "obligations": case.obligations.all(), "stationed": case.stationed.all(), "acceptances": case.acceptances.all(),
        "rollup": tracking_queries.rollup([case.task_list_id])[case.task_list_id], "events": case.events.all(),
        "problems": [dict(rules.rule_set_for(case.opened_on).choices()).get(p, p) for p in case.problems],
    })


