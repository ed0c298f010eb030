"""Pages of member development: the pipeline board, the lists, the applicant's timeline with the next step's form,
the application form, corrections and the Excel ledger (发展党员工作台账)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org as _scope_org

from . import rules, services
from .forms import ApplicantEditForm, ApplicationForm, CorrectionForm, StepForm
from .models import Applicant, Stage, StepAttachment, StepRecord

BOARD_STAGES = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]


def _visible_org(request, pk):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)


def _visible_applicant(request, pk):
    qs = Applicant.objects.visible_to(request.user).select_related("org", "member__org")
    return get_object_or_404(qs, pk=pk)


def _apply_errors(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def applicants_in(user, org):
    """The applicants the user may read inside `org`'s subtree."""
    return Applicant.objects.visible_to(user).within_path(org.path)


def filter_applicants(qs, *, stage="", q="", overdue=False, today=None):
    """The list's filters (page and API): a stage, a name or pinyin initials, only the overdue; in list order."""
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(initials__startswith=q.lower()))
    if overdue:
        qs = qs.overdue(today or timezone.localdate())
    return qs.order_by("cur_path", "initials", "id")


def board_counts(user, org):
    """Per stage, the totals of `org`'s subtree and of each direct child (one grouped query)."""
    depth_len = len(org.path) + Organization.steplen
    rows = (
        applicants_in(user, org).annotate(prefix=Substr("cur_path", 1, depth_len)).order_by()
        .values("prefix", "stage").annotate(n=Count("id"))
    )
    totals = dict.fromkeys(Stage.values, 0)
    by_child = {}
    for r in rows:
        totals[r["stage"]] += r["n"]
        by_child.setdefault(r["prefix"], dict.fromkeys(Stage.values, 0))[r["stage"]] += r["n"]
    children = []
    if org.path in by_child:
        children.append({"org": org, "own": True, "counts": [by_child[org.path][s] for s in BOARD_STAGES]})
    for child in Organization.objects.children_of(org).visible_to(user):
        counts = by_child.get(child.path, dict.fromkeys(Stage.values, 0))
        children.append({"org": child, "own": False, "counts": [counts[s] for s in BOARD_STAGES]})
    return totals, children


def _board(request, org):
    today = timezone.localdate()
    totals, children = board_counts(request.user, org)
    overdue = applicants_in(request.user, org).overdue(today).select_related("org").order_by("talk_due_on", "id")
    overdue_count = overdue.count()
    overdue_rows = [{"a": a, "reasons": a.overdue_reasons(today)} for a in overdue[:30]]
    subs = [c for c in children if not c["own"]]
    chart = None
    if len(subs) > 1 and any(any(c["counts"]) for c in subs):
        chart = {
            "labels": [c["org"].short_name or c["org"].name for c in subs],
            "series": [{"name": Stage(s).label, "data": [c["counts"][i] for c in subs]} for i, s in enumerate(BOARD_STAGES)],
        }
    return render(request, "development/board.html", {
        "org": org, "stages": [(s, Stage(s).label, totals[s]) for s in BOARD_STAGES], "children": children,
        "stage_labels": [Stage(s).label for s in BOARD_STAGES], "overdue": overdue_rows, "overdue_count": overdue_count,
        "closed": totals[Stage.WITHDRAWN] + totals[Stage.DISQUALIFIED],
        "can_apply": org.kind in BRANCH_KINDS and scoping.can_manage_org(request.user, org), "chart": chart,
        "parent": Organization.objects.visible_to(request.user).filter(path=org.parent_path).first() if org.depth > 1 else None,
    })


@login_required
def board(request):
    return _board(request, _scope_org(request))


@login_required
def board_org(request, pk):
    return _board(request, _visible_org(request, pk))


@login_required
def applicant_list(request):
    org = _visible_org(request, int(request.GET["org"])) if request.GET.get("org", "").isdigit() else _scope_org(request)
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    qs = filter_applicants(applicants_in(request.user, org).select_related("org"), stage=stage, q=request.GET.get("q", ""),
                           overdue=bool(request.GET.get("overdue")), today=today)
    page = paginate(request, qs)
    for a in page:
        a.reasons = a.overdue_reasons(today)
    return render(request, "development/list.html", {
        "org": org, "page": page, "query": query_without_page(request), "params": request.GET, "stages": Stage.choices,
        "stage_label": Stage(stage).label if stage in Stage.values else "",
    })


@login_required
def apply(request, pk):
    org = _visible_org(request, pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有办理该党支部发展党员工作的权限")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = services.apply(request.user, org, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{applicant.name}的入党申请")
            return redirect("development:detail", pk=applicant.pk)
    return render(request, "development/apply.html", {"form": form, "org": org})


@login_required
def edit(request, pk):
    """Correct an applicant's personal data before the member record exists, with a reason."""
    applicant = _visible_applicant(request, pk)
    if not services.can_act_for_branch(request.user, services.current_org(applicant)):
        raise PermissionDenied("您没有办理该党支部发展党员工作的权限")
    initial = {f: getattr(applicant, f) for f in services.EDITABLE_FIELDS}
    form = ApplicantEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.update_applicant(request.user, applicant, data, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已修改{applicant.name}的个人信息，修改理由已记入审计日志")
            return redirect("development:detail", pk=applicant.pk)
    return render(request, "development/edit.html", {"form": form, "a": applicant})


def _step_form(applicant, step, org, data=None, files=None):
    people = services.voting_roll(org, timezone.localdate()) if step.fields else []
    return StepForm(data, files, step=step, people=people, initial={"date": timezone.localdate()})


def _can_do(user, applicant, step, org):
    """`org`: services.current_org(applicant), found once by the caller (a Party group's branch costs a query)."""
    if services.step_by(applicant, step) == rules.HIGHER:
        return services.can_act_above(user, org)
    return services.can_act_for_branch(user, org)


@login_required
def detail(request, pk):
    applicant = _visible_applicant(request, pk)
    today = timezone.localdate()
    records = list(applicant.steps.select_related("corrects").prefetch_related("attachments").order_by("date", "id"))
    effective = {r.pk for r in services.effective_records(applicant)}
    rule_set = rules.RULE_SETS[applicant.rule_set]
    org = services.current_org(applicant)
    can_manage = services.can_act_for_branch(request.user, org)
    allowed = [(s, _can_do(request.user, applicant, s, org)) for s in services.allowed_steps(applicant)]
    if not any(ok for _s, ok in allowed) and not can_manage:
        allowed = []  # readers (supervisors, departments above without a managing role) see no to-do list
    next_step = next((s for s, ok in allowed if s.code == applicant.next_step and ok), None)
    form = _step_form(applicant, next_step, org) if next_step else None
    return render(request, "development/detail.html", {
        "a": applicant, "records": records, "effective": effective, "rule_set": rule_set, "allowed": allowed,
        "next_step": next_step, "form": form, "reasons": applicant.overdue_reasons(today),
        "can_manage": can_manage, "not_correctable": services.NOT_CORRECTABLE,
        "can_edit": applicant.stage in services.EDITABLE_STAGES and can_manage,
        "can_reveal": scoping.covers(scoping.manage_paths(request.user), org.path),
    })


@login_required
@require_POST
def reveal(request, pk, field):
    """The applicant's full ID number or phone, for a managing role (audited by the service)."""
    applicant = _visible_applicant(request, pk)
    if field not in ("id_number", "phone"):
        raise Http404("没有这一项")
    value = services.reveal(request.user, applicant, field)
    label = "公民身份号码" if field == "id_number" else "联系电话"
    if request.htmx:
        return render(request, "members/_revealed.html", {"value": value, "label": label})
    messages.info(request, f"{applicant.name}的{label}：{value or '（未填）'}（本次查看已记入审计日志）")
    return redirect("development:detail", pk=applicant.pk)


@login_required
def step(request, pk):
    applicant = _visible_applicant(request, pk)
    code = request.POST.get("code") or request.GET.get("code", "")
    rule_set = rules.RULE_SETS[applicant.rule_set]
    if code not in rule_set.by_code and code not in rules.ACTIONS:
        return redirect("development:detail", pk=applicant.pk)
    the_step = rules.step_for(rule_set, code)
    org = services.current_org(applicant)
    if not _can_do(request.user, applicant, the_step, org):
        raise PermissionDenied("该步骤应由上级党委办理，您没有相应权限" if the_step.by == rules.HIGHER else "您没有办理该党支部发展党员工作的权限")
    posted = request.method == "POST"
    form = _step_form(applicant, the_step, org, request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_step(
                request.user, applicant, code, date=form.cleaned_data["date"], note=form.cleaned_data["note"],
                documents=form.cleaned_data["documents"], data=form.data_for_service(), attachment=form.cleaned_data.get("attachment"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if record.warning:
                messages.warning(request, f"已登记“{record.title}”。{record.warning}")
            else:
                messages.success(request, f"已登记“{record.title}”")
            return redirect("development:detail", pk=applicant.pk)
    return render(request, "development/step.html", {"a": applicant, "step": the_step, "form": form})


@login_required
def correct(request, pk):
    record = get_object_or_404(StepRecord.objects.select_related("applicant"), pk=pk)
    applicant = _visible_applicant(request, record.applicant_id)
    if not services.can_act_for_branch(request.user, services.current_org(applicant)):
        raise PermissionDenied("您没有办理该党支部发展党员工作的权限")
    form = CorrectionForm(request.POST or None, initial={"date": record.date, "documents": record.documents, "note": record.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_step(request.user, record, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已更正“{record.title}”")
            return redirect("development:detail", pk=applicant.pk)
    return render(request, "development/correct.html", {"a": applicant, "record": record, "form": form})


@login_required
def attachment(request, pk):
    """A step's scanned document, as a download under its original name (never a public media URL)."""
    from django.http import FileResponse

    item = get_object_or_404(StepAttachment.objects.select_related("record"), pk=pk)
    applicant = _visible_applicant(request, item.record.applicant_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    audit.record(audit.Action.EXPORT, applicant, org_path=applicant.org_path, actor=request.user, note=f"下载材料《{item.original_name}》")
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


LEDGER_STEPS = rules.RULES_2026.steps


@login_required
def export(request, pk):
    org = _visible_org(request, pk)
    qs = applicants_in(request.user, org).select_related("org").prefetch_related(
        Prefetch("steps", queryset=StepRecord.objects.filter(passed=True, correction__isnull=True).order_by("date", "id"))
    ).order_by("cur_path", "initials", "id")
    audit.record(audit.Action.EXPORT, org, org_path=org.path, actor=request.user, note="导出发展党员工作台账")
    headers = ["姓名", "性别", "出生日期", "公民身份号码", "学历", "工作单位", "所在党支部", "当前阶段", "适用规定"]
    headers += [s.title for s in LEDGER_STEPS] + ["预备期满日期", "转正日期"]

    def rows():
        for a in qs.iterator(chunk_size=500):
            dates = {}
            for r in a.steps.all():
                dates.setdefault(r.code, r.date)
            yield [a.name, a.get_gender_display(), a.birth_date, a.id_number_masked, a.get_education_display(), a.work_unit,
                   a.org.name, a.get_stage_display(), rules.RULE_SETS[a.rule_set].title,
                   *[dates.get(s.code) for s in LEDGER_STEPS], a.probation_ends_on, a.full_on]

    return xlsx_response(f"发展党员工作台账-{org.short_name or org.name}", "发展党员工作台账", headers, rows())
