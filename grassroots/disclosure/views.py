"""Staff pages: the villages' and communities' disclosures, schedules, publishing, corrections, questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.rules import add_years
from grassroots.orgs.choices import Category as OrgCategory
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization

from . import rules, schedule, services
from .choices import ROUTINE_CATEGORIES, Category, Frequency, QuestionState
from .forms import CorrectForm, PublishForm, ScheduleForm, table_to_text, text_to_rows
from .models import Disclosure, Question, Schedule

UNIT_CATEGORIES = (OrgCategory.RURAL, OrgCategory.COMMUNITY)


def _paths(user):
    return scoping.minimal_prefixes(scoping.read_paths(user) + scoping.monitor_paths(user))


def units_for(user):
    """Villages and communities the user sees: village-level committees and general branches of rural or
    community units, the rural or community organization the user's own role is held on, and any organization
    with a schedule or a published item."""
    with_items = Disclosure.objects.values("org_id")
    with_schedules = Schedule.objects.values("org_id")
    own = [p for p in scoping.manage_paths(user) if p]
    return Organization.objects.filter(scoping.path_q("path", _paths(user))).filter(
        Q(pk__in=with_items) | Q(pk__in=with_schedules)
        | Q(category__in=UNIT_CATEGORIES, kind__in=(Kind.COMMITTEE, Kind.GENERAL_BRANCH), is_active=True)
        | Q(category__in=UNIT_CATEGORIES, path__in=own, is_active=True)
    )


def _unit(request, org_pk):
    return get_object_or_404(Organization.objects.filter(scoping.path_q("path", _paths(request.user))), pk=org_pk)


def _managed_unit(request, org_pk):
    org = _unit(request, org_pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有在该单位发布公开内容的权限")
    return org


def _visible_item(request, pk):
    return get_object_or_404(Disclosure.objects.visible_to(request.user).select_related("org", "supersedes"), pk=pk)


def _add_errors(form, exc):
    for field, errors in field_errors(exc).items():
        target = field if field in form.fields else None
        if field == "table" and "table_text" in form.fields:
            target = "table_text"
        form.add_error(target, errors)


def _error_text(exc):
    return "；".join(m for ms in field_errors(exc).values() for m in ms)


def _disclosure_queryset(user, params):
    qs = Disclosure.objects.visible_to(user).select_related("org").annotate(
        question_count=Count("questions"), unanswered=Count("questions", filter=Q(questions__answered_at__isnull=True,
                                                                                 questions__state=QuestionState.VISIBLE)),
    )
    category = params.get("category")
    if category in Category.values:
        qs = qs.filter(category=category)
    org = params.get("org", "")
    if org.isdigit():
        qs = qs.filter(org_id=int(org))
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q) | Q(org__initials__icontains=q.lower()))
    return qs.order_by("-published_at", "-id")


@login_required
@require_GET
def manage_list(request):
    today = timezone.localdate()
    units = list(units_for(request.user).order_by("path")[:200])
    statuses = schedule.latest_statuses(
        Schedule.objects.filter(org__in=units, is_active=True).select_related("org").order_by("org_path", "category"), today
    )
    by_unit = {}
    for s in statuses:
        by_unit.setdefault(s.schedule.org_id, []).append(s)
    unit_rows = [{"org": u, "statuses": by_unit.get(u.pk, []), "can_manage": scoping.can_manage_org(request.user, u)} for u in units]
    page = paginate(request, _disclosure_queryset(request.user, request.GET))
    return render(request, "disclosure/manage_list.html", {
        "units": unit_rows, "page": page, "query": query_without_page(request), "categories": Category.choices,
        "params": request.GET, "overdue": sum(1 for s in statuses if s.state == "overdue"),
    })


LEDGER_HEADERS = ["序号", "公开单位", "公开类别", "标题", "所属期间", "张贴日期", "公示天数", "应公开日期", "是否逾期", "版本",
                  "更正理由", "发布人", "发布时间", "提问数", "链序号", "哈希"]


@login_required
@require_GET
def ledger_export(request):
    items = _disclosure_queryset(request.user, request.GET)
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="公开台账", note="导出党务村务居务公开台账",
                 org_path=(_paths(request.user) or [""])[0])

    def rows():
        for n, d in enumerate(items.iterator(chunk_size=500), start=1):
            yield [
                n, d.org.name, d.get_category_display(), d.title, d.period_label, d.posted_on, d.min_posting_days, d.deadline,
                "是" if d.is_late else "否", d.version, d.correction_reason, d.publisher_name,
                timezone.localtime(d.published_at).strftime("%Y-%m-%d %H:%M"), d.question_count, d.seq, d.hash,
            ]

    return xlsx_response("公开台账", "公开台账", LEDGER_HEADERS, rows())


@login_required
@require_GET
def unit(request, org_pk):
    org = _unit(request, org_pk)
    today = timezone.localdate()
    schedules = list(Schedule.objects.filter(org=org).select_related("org").order_by("category"))
    rows = schedule.statuses([s for s in schedules if s.is_active], today)
    page = paginate(request, _disclosure_queryset(request.user, {}).filter(org=org))
    can_manage = scoping.can_manage_org(request.user, org)
    missing = [c for c in ROUTINE_CATEGORIES if c not in {s.category for s in schedules}]
    schedule_form = ScheduleForm(initial={
        "category": missing[0] if missing else ROUTINE_CATEGORIES[0], "due_days": rules.due_days(),
        "frequency": rules.default_frequency(missing[0] if missing else ROUTINE_CATEGORIES[0]), "is_active": True,
    })
    return render(request, "disclosure/unit.html", {
        "org": org, "schedules": schedules, "rows": rows[:40], "page": page, "can_manage": can_manage, "schedule_form": schedule_form,
        "broken": services.verify_org_chain(org, check_files=False),
    })


@login_required
@require_POST
def schedule_set(request, org_pk):
    org = _managed_unit(request, org_pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.set_schedule(request.user, org, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "公开计划已保存")
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{'，'.join(e)}" if f in form.fields else "，".join(e) for f, e in form.errors.items()))
    return redirect("disclosure:unit", org.pk)


def _periods(org, category, today):
    """The periods a routine disclosure of `category` may cover, newest first (schedule.PeriodStatus rows)."""
    sched = Schedule.objects.filter(org=org, category=category).first()
    if sched is None:  # no schedule yet: the default one, over the last year
        sched = Schedule(org=org, category=category, frequency=Frequency(rules.default_frequency(category)),
                         due_days=rules.due_days(), starts_on=add_years(today, -1))
    return schedule.statuses([sched], today)


@login_required
def publish(request, org_pk):
    org = _managed_unit(request, org_pk)
    today = timezone.localdate()
    category = request.POST.get("category") or request.GET.get("category") or ROUTINE_CATEGORIES[0]
    if category not in [c.value for c in ROUTINE_CATEGORIES]:
        category = ROUTINE_CATEGORIES[0]
    periods = _periods(org, category, today)
    choices = [("", "不属于例行期间")] + [(p.key, f"{p.label}（{p.state_label}）") for p in periods]
    if request.method == "POST":
        form = PublishForm(request.POST, request.FILES)
        form.fields["period_key"].choices = choices
        if form.is_valid():
            data = form.cleaned_data
            try:
                table = None
                if data.get("table_file"):
                    rows, totals = services.read_table_xlsx(data["table_file"])
                    table = services.clean_table(rows, totals=totals)
                elif data.get("table_text", "").strip():
                    table = text_to_rows(data["table_text"])
                key = data.get("period_key") or ""
                label = next((p.label for p in periods if p.key == key), "")
                disclosure = services.publish_disclosure(
                    request.user, org, category=data["category"], title=data["title"], body=data["body"],
                    attachments=data["attachments"], period_label=label, period_key=key,
                    min_posting_days=data["min_posting_days"], table=table,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已发布《{disclosure.title}》，已加入防篡改哈希链（第 {disclosure.seq} 条）")
                return redirect("disclosure:detail", disclosure.pk)
    else:
        selected = next((p.key for p in periods if p.state in ("overdue", "due")), "")
        form = PublishForm(initial={"category": category, "min_posting_days": rules.min_posting_days(), "period_key": selected})
        form.fields["period_key"].choices = choices
    return render(request, "disclosure/publish.html", {"org": org, "form": form, "category": category})


@login_required
@require_GET
def detail(request, pk):
    d = _visible_item(request, pk)
    can_manage = scoping.can_manage_org(request.user, d.org)
    questions = list(d.questions.select_related("hidden_by", "answered_by").order_by("asked_at", "id"))
    return render(request, "disclosure/detail.html", {
        "d": d, "org": d.org, "can_manage": can_manage, "questions": questions,
        "hidden_count": sum(1 for q in questions if q.is_hidden), "attachments": list(d.attachments.all()),
        "is_monitor": scoping.covers(scoping.monitor_paths(request.user), d.org_path),
        "totals": services.table_totals(d.table) if d.table else None,
        "newer": Disclosure.objects.filter(supersedes=d).first(),
    })


@login_required
def correct(request, pk):
    d = _visible_item(request, pk)
    if not scoping.can_manage_org(request.user, d.org):
        raise PermissionDenied("您没有更正该公开内容的权限")
    if request.method == "POST":
        form = CorrectForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            table = text_to_rows(data["table_text"]) if data["table_text"].strip() else None
            try:
                new = services.correct_disclosure(request.user, d, title=data["title"], body=data["body"], reason=data["reason"],
                                                  attachments=data["attachments"], table=table)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"已发布更正版本（第 {new.version} 版），原版本保留公开")
                return redirect("disclosure:detail", new.pk)
    else:
        form = CorrectForm(initial={"title": d.title, "body": d.body, "table_text": table_to_text(d.table)})
    return render(request, "disclosure/correct.html", {"d": d, "form": form})


def _managed_question(request, pk):
    question = get_object_or_404(Question.objects.visible_to(request.user).select_related("disclosure__org"), pk=pk)
    if not scoping.can_manage_org(request.user, question.disclosure.org):
        raise PermissionDenied("您没有处理该提问的权限")
    return question


def _question_action(request, pk, act, done):
    """Answer, hide or show a question through its service; a refusal comes back as a message on the item."""
    question = _managed_question(request, pk)
    try:
        act(question)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect("disclosure:detail", question.disclosure_id)


@login_required
@require_POST
def question_answer(request, pk):
    return _question_action(
        request, pk, lambda q: services.answer_question(request.user, q, answer=request.POST.get("answer", "")), "答复已公开"
    )


@login_required
@require_POST
def question_hide(request, pk):
    return _question_action(
        request, pk, lambda q: services.hide_question(request.user, q, reason=request.POST.get("reason", "")),
        "提问已屏蔽（仍计入提问总数）",
    )


@login_required
@require_POST
def question_unhide(request, pk):
    return _question_action(request, pk, lambda q: services.unhide_question(request.user, q), "提问已恢复显示")


@login_required
@require_GET
def questions(request):
    """Questions waiting for an answer in the user's scope (moderation queue), oldest first."""
    qs = Question.objects.visible_to(request.user).select_related("disclosure__org")
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.filter(answered_at__isnull=True, state=QuestionState.VISIBLE)
    elif state == "hidden":
        qs = qs.filter(state=QuestionState.HIDDEN)
    page = paginate(request, qs.order_by("asked_at", "id"))
    return render(request, "disclosure/questions.html", {"page": page, "state": state, "query": query_without_page(request)})


@login_required
@require_GET
def table_template(request):
    """An empty income and expenditure table to fill in Excel and upload with a finance disclosure."""
    rows = [["上级转移支付", 0, None], ["（示例）村道养护", None, 0], ["合计", 0, 0]]
    return xlsx_response("收支明细模板", "收支明细", ["项目", "收入（元）", "支出（元）"], rows)
