"""Pages of 四议两公开: matters and their steps, the two disclosures, supervisory opinions, village settings, oversight."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.models import AuditLog
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.models import Organization

from . import queries, rules, services
from .choices import Category, MatterState, StepKind, StepState
from .forms import (
    AmendForm,
    AnswerForm,
    CommitteeForm,
    CommitteeMemberForm,
    FailureForm,
    MatterForm,
    OpinionForm,
    PublishForm,
    SettingsForm,
    StepForm,
    committee_meetings,
)
from .models import Matter, Opinion, Step, StepAmendment, SupervisoryCommittee, read_q


def _visible_matter(request, pk):
    return get_object_or_404(Matter.objects.visible_to(request.user).select_related("org"), pk=pk)


def _managed_matter(request, pk):
    matter = _visible_matter(request, pk)
    if not scoping.can_manage_org(request.user, matter.org):
        raise PermissionDenied("您没有管理该村（社区）议事事项的权限")
    return matter


def _visible_step(request, pk):
    return get_object_or_404(Step.objects.filter(read_q(request.user, "matter__org_path")).select_related("matter__org"), pk=pk)


def _readable_org(request, pk):
    return get_object_or_404(Organization.objects.filter(read_q(request.user, "path")), pk=pk)


def _errors_to_form(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def _simple(request, template_context):
    return render(request, "decisions/simple_form.html", template_context)


def manageable_villages(user):
    return Organization.objects.manageable_by(user).filter(category__in=rules.MATTER_CATEGORIES, is_active=True).exclude(kind="group")


# ---- matters ------------------------------------------------------------------------------------------------------


@login_required
def matter_list(request):
    today = timezone.localdate()
    qs = queries.matter_queryset(request.user, request.GET, today)
    page = paginate(request, qs)
    for m in page:
        m.overdue_label = queries.overdue_label(m.overdue)
    return render(request, "decisions/matter_list.html", {
        "page": page, "query": query_without_page(request), "params": request.GET, "categories": Category.choices,
        "states": MatterState.choices, "can_create": manageable_villages(request.user).exists(),
        "can_oversee": bool(scoping.record_paths(request.user)),
    })


EXPORT_HEADERS = ["序号", "村（社区）", "事项名称", "事项类别", "涉及金额（元）", "轮次", "状态", "当前环节", "进入当前环节日期", "决议日期",
                  "最近公开日期", "计划完成日期", "逾期情况"]


def _export_rows(qs):
    for n, m in enumerate(qs.iterator(chunk_size=500), start=1):
        yield [n, m.org.name, m.title, m.get_category_display(), m.amount, m.round, m.get_state_display(), queries.stage_label(m.state, m.stage),
               m.stage_since, m.resolved_on, m.last_disclosed_on, m.planned_completion, queries.overdue_label(m.overdue)]


@login_required
def matter_export(request):
    qs = queries.matter_queryset(request.user, request.GET, timezone.localdate())
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="四议两公开事项台账", note="导出四议两公开事项台账")
    return xlsx_response("四议两公开事项台账", "四议两公开事项台账", EXPORT_HEADERS, _export_rows(qs))


@login_required
def matter_create(request):
    orgs = list(manageable_villages(request.user)[:200])
    if not orgs:
        raise PermissionDenied("只有村、社区党组织书记可以登记“四议两公开”事项")
    form = MatterForm(request.POST or None, orgs=orgs, initial={"org": orgs[0].pk})
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.pk == form.cleaned_data["org"])
        try:
            matter = services.create_matter(request.user, org, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "事项已登记，请从党组织提议开始依次进行")
            return redirect(matter)
    return _simple(request, {"title": "登记“四议两公开”事项", "form": form, "submit": "登记", "cancel": "decisions:matter_list"})


def _steps_with_extras(matter):
    steps = list(
        matter.steps.select_related("disclosure", "meeting", "confirmed_by").prefetch_related(
            "roll",
            Prefetch("amendments", queryset=StepAmendment.objects.select_related("actor")),
            Prefetch("opinions", queryset=Opinion.objects.select_related("answered_by")),
        ).order_by("round", "seq")
    )
    rounds = {}
    for s in steps:
        rounds.setdefault(s.round, []).append(s)
    return steps, sorted(rounds.items())


@login_required
def matter_detail(request, pk):
    matter = _visible_matter(request, pk)
    steps, rounds = _steps_with_extras(matter)
    can_manage = scoping.can_manage_org(request.user, matter.org)
    allowed = services.allowed_kinds(matter)
    draft = steps[-1] if steps and steps[-1].state == StepState.DRAFT else None
    today = timezone.localdate()
    overdue = queries.with_overdue(Matter.objects.filter(pk=matter.pk), today).values_list("overdue", flat=True).first()
    disclosure_opinions = Opinion.objects.filter(disclosure__source_url=matter.public_url()).select_related("disclosure", "answered_by")
    history = None
    if can_manage:  # the matter's own rows and its steps' (recorded, confirmed, corrected, published)
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Q

        history = AuditLog.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Matter), object_id=str(matter.pk))
            | Q(content_type=ContentType.objects.get_for_model(Step), object_id__in=[str(s.pk) for s in steps])
        ).select_related("actor", "content_type").order_by("-time", "-id")[:100]
    return render(request, "decisions/matter_detail.html", {
        "matter": matter, "rounds": rounds, "can_manage": can_manage, "draft": draft,
        "can_monitor": services.can_monitor(request.user, matter.org),
        "next_meeting": [k for k in allowed if k not in rules.DISCLOSURE_STEP_KINDS and not draft],
        "next_disclosure": [(k, services.step_set_of(matter).label_of(k)) for k in allowed if k in rules.DISCLOSURE_STEP_KINDS],
        "next_label": " / ".join(services.step_set_of(matter).label_of(k) for k in allowed),
        "overdue": queries.overdue_label(overdue), "open_objections": services.open_objections(matter).count(),
        "disclosure_opinions": disclosure_opinions, "history": history, "show_object": True, "failure_form": FailureForm(),
        "step_set": services.step_set_of(matter), "public": matter.public_since is not None,
    })


def _step_data(form, kind, meetings):
    data = dict(form.cleaned_data)
    if kind == StepKind.PROPOSAL:
        data["meeting"] = next((m for m in meetings if m.pk == data.get("meeting")), None)
    return data


@login_required
def step_record(request, pk):
    matter = _managed_matter(request, pk)
    kinds = [k for k in services.allowed_kinds(matter) if k not in rules.DISCLOSURE_STEP_KINDS]
    if not kinds:
        messages.error(request, "该事项现在没有可登记的会议环节")
        return redirect(matter)
    kind = kinds[0]
    steps = services.round_steps(matter)
    draft = steps[-1] if steps and steps[-1].state == StepState.DRAFT else None
    today = timezone.localdate()
    meetings = list(committee_meetings(matter)) if kind == StepKind.PROPOSAL else []
    roll = list(services.assembly_roll(matter, today)) if kind == StepKind.REVIEW else []
    initial = {"held_on": today}
    if draft:
        initial = {f: getattr(draft, f) for f in ("held_on", "place", "content", "body", "entitled", "present", "households_present",
                                                    "votes_for", "votes_against", "votes_abstain", "materials_sent_on")}
        initial["attendees"] = "、".join(draft.attendees)
        initial["meeting"] = draft.meeting_id
        initial["roll"] = list(draft.roll.values_list("pk", flat=True))
    form = StepForm(request.POST or None, kind=kind, matter=matter, roll=roll, meetings=meetings, bodies=services.step_set_of(matter).bodies,
                    initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(request.user, matter, kind, _step_data(form, kind, meetings))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "已登记，核对无误后请确认；确认后不能修改")
            return redirect(matter)
    settings_row = services.settings_for(matter.org)
    return render(request, "decisions/step_form.html", {
        "matter": matter, "form": form, "label": services.step_set_of(matter).label_of(kind), "kind": kind, "roll_row": settings_row,
        "round": matter.round,
    })


@login_required
@require_POST
def step_confirm(request, pk):
    step = _visible_step(request, pk)
    try:
        step = services.confirm_step(request.user, step)
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    else:
        if step.is_vote and not step.passed:
            messages.warning(request, f"{step.label}未通过：{step.outcome}。请决定终止事项或重新提议")
        else:
            messages.success(request, f"{step.label}已确认")
    return redirect(step.matter)


@login_required
def step_amend(request, pk):
    step = _visible_step(request, pk)
    services.require_manage(request.user, step.matter.org)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_step(request.user, step, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "更正已记录，显示在原记录旁")
            return redirect(step.matter)
    return _simple(request, {"title": f"更正：{step.label}", "form": form, "submit": "提交更正", "back": step.matter.get_absolute_url(),
                             "intro": "已确认的记录不会被改写；更正连同理由显示在原记录旁。人数和票数不能更正。"})


@login_required
def after_failure(request, pk):
    matter = _managed_matter(request, pk)
    form = FailureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_after_failure(request.user, matter, form.cleaned_data["choice"], form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "已记录处理决定；未通过的一轮保留在事项记录中")
            return redirect(matter)
    return _simple(request, {"title": f"表决未通过：{matter.title}", "form": form, "submit": "确定", "back": matter.get_absolute_url()})


@login_required
def publish(request, pk):
    matter = _managed_matter(request, pk)
    allowed = [k for k in services.allowed_kinds(matter) if k in rules.DISCLOSURE_STEP_KINDS]
    kind = request.POST.get("kind") or request.GET.get("kind") or (allowed[0] if allowed else "")
    if kind not in allowed:
        messages.error(request, "该事项现在不能发布这项公开")
        return redirect(matter)
    title, body = services.default_disclosure_text(matter, kind)
    form = PublishForm(request.POST or None, request.FILES or None, kind=kind,
                       initial={"title": title, "body": body, "held_on": timezone.localdate(), "min_posting_days": rules.min_posting_days()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish(request.user, matter, kind, title=data["title"], body=data["body"], held_on=data["held_on"],
                             amount=data.get("amount"), min_posting_days=data.get("min_posting_days"),
                             attachments=request.FILES.getlist("attachments"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "已在公开栏发布")
            return redirect(matter)
    label = services.step_set_of(matter).label_of(kind)
    return _simple(request, {"title": f"发布{label}：{matter.title}", "form": form, "submit": "发布", "back": matter.get_absolute_url(),
                             "multipart": True, "hidden": {"kind": kind},
                             "intro": "发布后内容进入公开栏的哈希链，不能修改或删除，更正须以新版本发布。"})


@login_required
@require_POST
def close(request, pk):
    matter = _managed_matter(request, pk)
    try:
        services.close_matter(request.user, matter)
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in field_errors(exc).values() for m in ms))
    else:
        messages.success(request, "事项已办结")
    return redirect(matter)


# ---- supervisory opinions -----------------------------------------------------------------------------------------


@login_required
def step_opinion(request, pk):
    step = _visible_step(request, pk)
    if not services.can_monitor(request.user, step.matter.org):
        raise Http404("找不到该记录")
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_opinion(request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "意见已提交，村（社区）党组织将答复")
            return redirect(step.matter)
    return _simple(request, {"title": f"监督意见：{step.matter.title} · {step.label}", "form": form, "submit": "提交",
                             "back": step.matter.get_absolute_url(), "intro": "异议在公开栏的事项页面上公示，答复前事项不能办结。"})


@login_required
def opinion_answer(request, pk):
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user).select_related("org", "matter", "disclosure"), pk=pk)
    services.require_manage(request.user, opinion.org)
    form = AnswerForm(request.POST or None)
    back = opinion.matter.get_absolute_url() if opinion.matter_id else None
    if back is None and opinion.disclosure_id:
        matter = services.matter_of_disclosure(opinion.disclosure)
        back = matter.get_absolute_url() if matter else "/decisions/"
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_opinion(request.user, opinion, form.cleaned_data["answer"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "已答复")
            return redirect(back)
    return _simple(request, {"title": f"答复{opinion.get_kind_display()}", "form": form, "submit": "答复", "back": back,
                             "intro": f"{opinion.author_name}：{opinion.text}"})


@login_required
def disclosure_opinion(request, pk):
    from grassroots.disclosure.models import Disclosure

    disclosure = get_object_or_404(Disclosure.objects.filter(scoping.path_q("org_path", scoping.monitor_paths(request.user))).select_related("org"), pk=pk)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_opinion(request.user, disclosure=disclosure, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "意见已提交，将在公开栏显示")
            return redirect("decisions:disclosure_opinion", pk=disclosure.pk)
    opinions = Opinion.objects.filter(disclosure=disclosure).select_related("answered_by")
    return render(request, "decisions/disclosure_opinion.html", {
        "disclosure": disclosure, "form": form, "opinions": opinions, "matter": services.matter_of_disclosure(disclosure),
    })


# ---- village settings and supervisory committee -------------------------------------------------------------------


@login_required
def village(request, pk):
    org = _readable_org(request, pk)
    if not services.is_village_org(org):
        raise Http404("只有村、社区有议事设置")
    can_manage = scoping.can_manage_org(request.user, org)
    row = services.settings_for(org)
    default_label = rules.step_set_for(org.category).label
    action = request.POST.get("action") if request.method == "POST" else ""
    if action and not can_manage:
        raise PermissionDenied("您没有管理该村（社区）议事设置的权限")
    settings_form = SettingsForm(request.POST if action == "settings" else None, default_label=default_label, initial={
        "step_set": row.step_set, "representatives": "、".join(row.representatives), "adults": row.adults, "households": row.households,
        "committee_members": "、".join(row.committee_members),
    })
    committee = SupervisoryCommittee.objects.filter(org=org).prefetch_related("members__user").first()
    committee_form = CommitteeForm(request.POST if action == "committee" else None)
    member_form = CommitteeMemberForm(request.POST if action == "member" else None)
    try:
        if action == "settings" and settings_form.is_valid():
            services.save_settings(request.user, org, dict(settings_form.cleaned_data))
            messages.success(request, "议事设置已保存")
            return redirect("decisions:village", pk=org.pk)
        if action == "committee" and committee_form.is_valid():
            services.create_committee(request.user, org, **committee_form.cleaned_data)
            messages.success(request, "监督委员会已登记")
            return redirect("decisions:village", pk=org.pk)
        if action == "member" and member_form.is_valid() and committee:
            data = dict(member_form.cleaned_data)
            user = services.account_named(data.pop("username"))
            services.add_committee_member(request.user, committee, user=user, **data)
            messages.success(request, "监督委员会成员已登记")
            return redirect("decisions:village", pk=org.pk)
    except ValidationError as exc:
        _errors_to_form({"settings": settings_form, "committee": committee_form, "member": member_form}[action], exc)
    return render(request, "decisions/village.html", {
        "org": org, "row": row, "can_manage": can_manage, "settings_form": settings_form, "committee": committee,
        "committee_form": committee_form, "member_form": member_form, "step_set": rules.step_set_for(org.category, row.step_set),
    })


# ---- oversight ----------------------------------------------------------------------------------------------------


def _scope_org(request):
    if request.GET.get("org", "").isdigit():
        return get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=int(request.GET["org"]))
    chosen = scoping.current_scope(request)
    if chosen is not None and scoping.covers(scoping.record_paths(request.user), chosen.org.path):
        return chosen.org
    org = Organization.objects.filter(path__in=scoping.record_paths(request.user)).first() or Organization.objects.filter(
        scoping.path_q("path", scoping.record_paths(request.user))).order_by("depth", "path").first()
    if org is None:
        raise Http404("没有可查看的党组织")
    return org


def oversight_data(user, org, today):
    qs = Matter.objects.filter(org_path__startswith=org.path).filter(read_q(user))
    stuck = list(
        queries.with_overdue(qs.filter(queries.stuck_q(today)), today).select_related("org").order_by("stage_since", "id")[:200]
    )
    for m in stuck:
        m.stage_text = queries.stage_label(m.state, m.stage)
        m.days = (today - m.stage_since).days
    overdue_matters = list(queries.with_overdue(qs.filter(queries.overdue_q(today)), today).select_related("org").order_by("org_path", "id")[:200])
    for m in overdue_matters:
        m.overdue_label = queries.overdue_label(m.overdue)
    routine = queries.routine_overdue([org.path], today)
    return {
        "children": queries.by_child(qs, org, today),
        "stages": queries.by_stage(qs), "categories": queries.by_category(qs), "stuck": stuck, "overdue_matters": overdue_matters,
        "overdue_villages": queries.overdue_villages(qs, today), "routine": routine, "total": qs.count(), "stuck_days": rules.stuck_days(),
    }


@login_required
def oversight(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看监督统计的权限")
    org = _scope_org(request)
    today = timezone.localdate()
    data = oversight_data(request.user, org, today)
    chart = {"stages": [[label, n] for label, n in data["stages"]], "categories": [[label, n] for label, n in data["categories"]]}
    return render(request, "decisions/oversight.html", {"org": org, "today": today, "chart": chart, **data})


@login_required
def oversight_export(request):
    if not scoping.record_paths(request.user):
        raise PermissionDenied("您没有查看监督统计的权限")
    org = _scope_org(request)
    today = timezone.localdate()
    data = oversight_data(request.user, org, today)
    audit.record(audit.Action.EXPORT, org, actor=request.user, org_path=org.path, note="导出四议两公开监督统计")
    rows = [["按环节", label, n, ""] for label, n in data["stages"]]
    rows += [["按类别", label, n, ""] for label, n in data["categories"]]
    rows += [["滞留事项", f"{m.org.name}：{m.title}", m.days, m.stage_text] for m in data["stuck"]]
    rows += [["公开逾期事项", f"{m.org.name}：{m.title}", "", m.overdue_label] for m in data["overdue_matters"]]
    rows += [["常规公开逾期", str(r["org"]), "", f"{r['category_label']}（{r['period_label']}）应于 {r['due_on']:%Y-%m-%d} 公开"] for r in data["routine"]]
    return xlsx_response(f"四议两公开监督统计-{org.short_name or org.name}", "四议两公开监督统计", ["项目", "名称", "数量/天数", "说明"], rows)
