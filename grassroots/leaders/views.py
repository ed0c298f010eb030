"""Pages of the leaders app: elections (换届), vetting, exit audits, reserves, training, reviews, career lists, oversight."""

import datetime

from django import forms as forms_module
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import queries, rules, services
from .choices import Body, Grade, Source, Stage
from .forms import (
    AttendanceForm,
    AuditForm,
    CandidateForm,
    CloseForm,
    CourseForm,
    ElectionForm,
    FinishAuditForm,
    ImportForm,
    LeaveForm,
    PlanForm,
    ReserveEventForm,
    ReserveForm,
    ReviewForm,
    SignOffForm,
    VotersForm,
)
from .models import Course, Election, ElectionPlan, ExitAudit, Reserve, Review, SignOff


def _errors_to_form(form, exc):
    for field, msgs in field_errors(exc).items():
        form.add_error(field if field in form.fields else None, msgs)


def _flash_errors(request, exc):
    for msgs in field_errors(exc).values():
        for m in msgs:
            messages.error(request, m)


def _page_org(request):
    """?org=<pk> when readable, else the user's current scope."""
    pk = request.GET.get("org")
    if pk and pk.isdigit():
        return get_object_or_404(Organization.objects.visible_to(request.user).filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=pk)
    return scope_org(request)


def _managed_villages(user):
    return queries.villages(scoping.path_q("path", scoping.manage_paths(user))).order_by("path")[:500]


def _managed_orgs(user):
    return Organization.objects.manageable_by(user).active().exclude(kind="group").order_by("path")[:500]


def _form_page(request, title, form, *, back, submit="保存", multipart=False, intro=""):
    return render(request, "leaders/form.html", {"title": title, "form": form, "back": back, "submit": submit, "multipart": multipart,
                                                 "intro": intro})


def _pick(orgs, pk):
    return next(o for o in orgs if o.pk == pk)


# ---- oversight -----------------------------------------------------------------------------------------------------


def _overview_data(user, org, today):
    """The figures of `org` and of each of its children: one grouped query over the villages and one over the elections
    (keyed by child), so the number of queries does not grow with the number of children or villages."""
    paths_q = scoping.path_q("path", scoping.record_paths(user)) & Q(path__startswith=org.path)
    days = max(rules.reminder_days())
    figures = queries.village_figures(org.path)
    due_short = queries.village_due_short(org.path, today, days)
    elections = queries.election_counts(Election.objects.visible_to(user), org.path)
    stats = queries.statistics(org.path, today, posts=queries.post_shares(queries.sum_figures(figures.values())))
    none = {"villages": 0, "one_shoulder": 0, "party_people": 0, "cross": 0}
    children = []
    # A child inside the user's record paths has its whole subtree inside them: its figures need no further scoping.
    for child in Organization.objects.children_of(org).filter(scoping.path_q("path", scoping.record_paths(user))).exclude(kind="group"):
        f, d, e = figures.get(child.path, none), due_short.get(child.path, {}), elections.get(child.path, {})
        children.append({"org": child, "villages": f["villages"], "due": d.get("due", 0), "open": e.get("open", 0),
                         "closed": e.get("closed", 0), "short": d.get("short", 0), "posts": queries.post_shares(f)})
    stages = queries.stage_counts(org.path)
    return {
        "stats": stats, "children": children, "stages": stages if scoping.can_read_org(user, org) else [],
        "due": list(queries.terms_due(paths_q, today, days).order_by("term_end")[:50]),
        "short": list(queries.reserve_shortfall(paths_q).order_by("path")[:50]),
        "chart": {"stages": stages,
                  "composition": [["女性", stats["women"]], ["新进", stats["new"]], ["大专及以上", stats["college"]],
                                  ["40岁以下", stats["under40"]], ["55岁及以上", stats["over55"]]]},
    }


@login_required
def overview(request):
    org = _page_org(request)
    today = timezone.localdate()
    return render(request, "leaders/overview.html", {"org": org, "today": today, "needed": rules.reserves_per_village(),
                                                     **_overview_data(request.user, org, today)})


@login_required
def overview_export(request):
    org = _page_org(request)
    data = _overview_data(request.user, org, timezone.localdate())
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="换届统计", org_path=org.path, note="导出村（社区）两委换届统计")
    rows = [[c["org"].name, c["villages"], c["posts"]["one_shoulder"], c["posts"]["cross"], c["due"], c["open"], c["closed"], c["short"]]
            for c in data["children"]]
    s = data["stats"]
    rows.append([f"{org.name}（合计）", s["villages"], s["one_shoulder"], s["cross"], "", "", s["elections"], ""])
    rows.append(["“一肩挑”比例%", s["one_shoulder_share"], "交叉任职比例%", s["cross_share"], "女性比例%", s["women_share"]])
    rows.append(["新进比例%", s["new_share"], "大专及以上比例%", s["college_share"], "40岁以下人数", s["under40"]])
    return xlsx_response("两委换届统计", "两委换届统计", ["组织", "村（社区）数", "“一肩挑”", "交叉任职人数", "即将届满", "换届进行中", "已完成换届", "后备不足"], rows)


# ---- terms of the two committees ------------------------------------------------------------------------------------


def _terms_qs(request, org):
    paths_q = scoping.path_q("path", scoping.record_paths(request.user)) & Q(path__startswith=org.path)
    qs = queries.with_terms(queries.villages(paths_q)).order_by("term_end", "path")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(initials__icontains=q.upper()))
    today = timezone.localdate()
    if request.GET.get("due") == "1":
        qs = qs.filter(term_end__isnull=False, term_end__lte=today + datetime.timedelta(days=max(rules.reminder_days())))
    return qs, q, today


@login_required
def term_list(request):
    """Every village's (community's) two committees with their term start and end, and how each stands."""
    org = _page_org(request)
    qs, q, today = _terms_qs(request, org)
    page = paginate(request, qs)
    for o in page:
        o.state = queries.term_state(o.term_end, today, o.open_election)
    return render(request, "leaders/term_list.html", {"org": org, "page": page, "query": query_without_page(request), "q": q, "today": today,
                                                      "years": rules.term_years(), "lead": rules.reminder_days()})


@login_required
def term_export(request):
    org = _page_org(request)
    qs, _q, today = _terms_qs(request, org)
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="两委任期台账", org_path=org.path, note="导出村（社区）两委任期台账")
    rows = ([n, o.name, o.term_start, o.term_end, o.v_start, o.v_end, queries.term_state(o.term_end, today, o.open_election)[0]]
            for n, o in enumerate(qs.iterator(), 1))
    return xlsx_response("两委任期台账", "两委任期", ["序号", "村（社区）", "党组织本届开始", "党组织届满", "村（居）委会本届开始",
                                                   "村（居）委会届满", "状态"], rows)


# ---- plans and elections -------------------------------------------------------------------------------------------


def _visible_election(request, pk):
    return get_object_or_404(Election.objects.visible_to(request.user).select_related("org", "plan"), pk=pk)


@login_required
def election_list(request):
    org = _page_org(request)
    qs = Election.objects.visible_to(request.user).within(org.path).select_related("org", "plan")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(org__name__icontains=q) | Q(org__initials__icontains=q.upper()))
    if request.GET.get("stage") in Stage.values:
        qs = qs.filter(stage=request.GET["stage"])
    plans = ElectionPlan.objects.visible_to(request.user).filter(Q(org_path__startswith=org.path) | Q(org_path__in=org.ancestor_paths()))
    return render(request, "leaders/election_list.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "q": q, "stages": Stage.choices,
        "plans": plans.select_related("org").annotate(n=Count("elections"))[:20], "can_manage": bool(scoping.manage_paths(request.user)),
    })


@login_required
def election_export(request):
    org = _page_org(request)
    qs = Election.objects.visible_to(request.user).within(org.path).select_related("org", "plan").annotate(
        cands=Count("candidates"), won=Count("candidates", filter=Q(candidates__elected=True)))
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="换届选举台账", org_path=org.path, note="导出换届选举台账")
    rows = ([n, e.org.name, e.title, e.plan.title if e.plan else "", e.get_stage_display(), e.vote_on, e.roll_size, e.party_cast,
             e.villagers_cast, e.cands, e.won, e.term_start, e.term_end, e.roll_hash] for n, e in enumerate(qs.iterator(), 1))
    return xlsx_response("换届选举台账", "换届选举台账", ["序号", "村（社区）", "名称", "方案", "环节", "选举日期", "选民数", "党组织投票数",
                                                         "村（居）委投票数", "候选人", "当选", "任期开始", "届满", "名单指纹"], rows)


@login_required
def plan_create(request):
    orgs = list(_managed_orgs(request.user))
    if not orgs:
        raise PermissionDenied("您没有制定换届方案的权限")
    org = _page_org(request)
    org = org if any(o.pk == org.pk for o in orgs) else orgs[0]
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_plan(request.user, org, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "换届工作方案已保存")
            return redirect("leaders:election_list")
    return _form_page(request, f"制定换届工作方案（{org.name}）", form, back="leaders:election_list")


@login_required
def election_create(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    plans = ElectionPlan.objects.visible_to(request.user).order_by("-year")[:50]
    form = ElectionForm(request.POST or None, orgs=orgs, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = _pick(orgs, data.pop("org"))
        plan = next((p for p in plans if p.pk == data.pop("plan")), None)
        try:
            election = services.create_election(request.user, org, plan=plan, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect(election)
    return _form_page(request, "新建换届选举", form, back="leaders:election_list")


def _candidate_rows(election):
    rows = []
    bodies = rules.vetting_bodies()
    for c in election.candidates.prefetch_related(Prefetch("signoffs", queryset=SignOff.objects.order_by("id"))):
        signs = {s.body: s for s in c.signoffs.all()}
        complete, blocked, hits = services.vetting_state(c, list(signs.values()))
        items = dict(rules.negative_list())
        rows.append({"c": c, "form": SignOffForm(prefix=f"c{c.pk}"), "signs": [(label, signs.get(key)) for key, label in bodies], "complete": complete, "blocked": blocked,
                     "hits": [items.get(h, h) for h in hits]})
    return rows


@login_required
def election_detail(request, pk):
    election = _visible_election(request, pk)
    can_manage = scoping.can_manage_org(request.user, election.org)
    rows = _candidate_rows(election)
    members = Member.objects.in_register().filter(org_path__startswith=election.org_path).order_by("name")[:300]
    return render(request, "leaders/election_detail.html", {
        "e": election, "rows": rows, "can_manage": can_manage, "stages": Stage.choices, "stage_index": [s for s, _ in Stage.choices].index(election.stage),
        "candidate_form": CandidateForm(members=members), "voters_form": VotersForm(),
        "close_form": CloseForm(initial={"reported_on": timezone.localdate()}), "voters": election.voters.count(),
        "roll_intact": services.roll_intact(election) if election.roll_hash else None,
        "nominees": {b: [r["c"] for r in rows if r["c"].nominated and r["c"].body == b] for b in Body.values},
        "audits": election.audits.all(), "bodies": Body.choices,
        "outgoing": services.outgoing_posts(election) if election.stage == Stage.REPORT else [],
        "audit_gap": services.audits_missing(election) if election.stage == Stage.REPORT else "",
    })


def _election_action(request, pk, action, success):
    election = _visible_election(request, pk)
    try:
        action(election)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect(election)


@login_required
@require_POST
def advance(request, pk):
    return _election_action(request, pk, lambda e: services.advance(request.user, e), "已进入下一环节")


@login_required
@require_POST
def candidate_add(request, pk):
    election = _visible_election(request, pk)
    members = Member.objects.in_register().filter(org_path__startswith=election.org_path)
    form = CandidateForm(request.POST, members=members)
    if not form.is_valid():
        _flash_errors(request, ValidationError({k: v for k, v in form.errors.items()}))
        return redirect(election)
    d = form.cleaned_data
    member = members.filter(pk=d["member"]).first() if d["member"] else None

    def act(e):
        services.add_candidate(request.user, e, body=d["body"], seat=d["seat"], member=member, name=member.name if member else d["name"],
                               gender=member.gender if member else d["gender"], birth_date=member.birth_date if member else d["birth_date"],
                               education=(member.education if member else "") or d["education"])
    return _election_action(request, pk, act, "候选人初步人选已登记")


@login_required
@require_POST
def voters_add(request, pk):
    form = VotersForm(request.POST)
    keys = form.data.get("keys", "").splitlines()
    return _election_action(request, pk, lambda e: services.add_voters(request.user, e, keys, form.data.get("group", "")), "选民已登记")


@login_required
@require_POST
def signoff(request, pk):
    from .models import Candidate

    candidate = get_object_or_404(Candidate.objects.filter(election__in=Election.objects.visible_to(request.user)).select_related("election"), pk=pk)
    form = SignOffForm(request.POST, prefix=f"c{candidate.pk}")
    if not form.is_valid():
        _flash_errors(request, ValidationError({k: v for k, v in form.errors.items()}))
        return redirect(candidate.election)
    d = form.cleaned_data
    return _election_action(request, candidate.election_id, lambda e: services.sign_off(request.user, candidate, **d), "联审意见已签署")


@login_required
@require_POST
def nominate(request, pk):
    from .models import Candidate

    candidate = get_object_or_404(Candidate.objects.filter(election__in=Election.objects.visible_to(request.user)), pk=pk)
    return _election_action(request, candidate.election_id, lambda e: services.nominate(request.user, candidate), f"{candidate.name}已提名")


@login_required
@require_POST
def count(request, pk):
    body = request.POST.get("body")

    def act(e):
        try:
            cast = int(request.POST.get("ballots_cast", ""))
            votes = {c.pk: int(request.POST.get(f"votes_{c.pk}") or 0) for c in e.candidates.filter(body=body, nominated=True)}
        except ValueError:
            raise ValidationError({"ballots_cast": "请输入整数票数"}) from None
        services.record_count(request.user, e, body=body, ballots_cast=cast, votes=votes)
    return _election_action(request, pk, act, "计票结果已录入")


@login_required
@require_POST
def close(request, pk):
    form = CloseForm(request.POST)

    def act(e):
        if not form.is_valid():
            raise ValidationError({"reported_on": "请填写报备日期"})
        services.close_election(request.user, e, reported_on=form.cleaned_data["reported_on"])
    return _election_action(request, pk, act, "已报乡镇（街道）备案，新一届职务已写入组织体系")


# ---- exit audits ---------------------------------------------------------------------------------------------------


@login_required
def audit_list(request):
    org = _page_org(request)
    qs = ExitAudit.objects.visible_to(request.user).within(org.path).select_related("org", "election")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(person_name__icontains=q) | Q(org__name__icontains=q))
    return render(request, "leaders/audit_list.html", {"org": org, "page": paginate(request, qs), "query": query_without_page(request), "q": q})


@login_required
def audit_export(request):
    org = _page_org(request)
    qs = ExitAudit.objects.visible_to(request.user).within(org.path).select_related("org")
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="离任审计台账", org_path=org.path, note="导出离任（任期）审计台账")
    rows = ([n, a.org.name, a.get_kind_display(), a.person_name, a.post_label, a.scope, a.auditor, a.findings, a.follow_up, a.finished_on,
             "已公开" if a.disclosure_id else ""] for n, a in enumerate(qs.iterator(), 1))
    return xlsx_response("离任审计台账", "离任审计台账", ["序号", "村（社区）", "类型", "被审计人", "职务", "审计范围", "审计单位", "审计发现",
                                                         "整改落实", "完成日期", "公开"], rows)


@login_required
def audit_create(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    elections = Election.objects.filter(org__in=orgs).exclude(stage=Stage.CLOSED)
    form = AuditForm(request.POST or None, orgs=orgs, elections=elections, initial={"election": request.GET.get("election")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _pick(orgs, d.pop("org"))
        election_pk = d.pop("election")
        election = elections.filter(pk=election_pk).first() if election_pk else None
        try:
            record = services.create_audit(request.user, org, election=election, **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect(record)
    return _form_page(request, "登记离任（任期）审计", form, back="leaders:audit_list")


def _visible_audit(request, pk):
    return get_object_or_404(ExitAudit.objects.visible_to(request.user).select_related("org", "election", "disclosure"), pk=pk)


@login_required
def audit_detail(request, pk):
    record = _visible_audit(request, pk)
    form = FinishAuditForm(request.POST or None, initial={"finished_on": timezone.localdate(), "findings": record.findings,
                                                          "follow_up": record.follow_up})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.finish_audit(request.user, record, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "审计结果已保存")
                return redirect(record)
    return render(request, "leaders/audit_detail.html", {"a": record, "form": form, "can_manage": scoping.can_manage_org(request.user, record.org)})


@login_required
@require_POST
def audit_publish(request, pk):
    record = _visible_audit(request, pk)
    try:
        services.publish_audit(request.user, record)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "审计结果已在公开栏发布")
    return redirect(record)


# ---- reserves ------------------------------------------------------------------------------------------------------


def _reserve_qs(request, org):
    qs = Reserve.objects.visible_to(request.user).within(org.path).select_related("org")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(initials__icontains=q.upper()))
    if request.GET.get("source") in Source.values:
        qs = qs.filter(source=request.GET["source"])
    if request.GET.get("all") != "1":
        qs = qs.filter(left_on__isnull=True)
    return qs, q


@login_required
def reserve_list(request):
    org = _page_org(request)
    qs, q = _reserve_qs(request, org)
    paths_q = scoping.path_q("path", scoping.record_paths(request.user)) & Q(path__startswith=org.path)
    by_source = dict(qs.values_list("source").annotate(n=Count("id")).values_list("source", "n"))
    return render(request, "leaders/reserve_list.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "q": q, "sources": Source.choices,
        "short": queries.reserve_shortfall(paths_q).order_by("path")[:100], "needed": rules.reserves_per_village(),
        "chart": {"sources": [[label, by_source.get(key, 0)] for key, label in Source.choices]},
    })


RESERVE_HEADERS = ["姓名", "性别", "出生日期", "学历", "来源", "公民身份号码", "联系电话", "培养方向", "入库日期", "入库理由"]


@login_required
def reserve_export(request):
    org = _page_org(request)
    qs, _q = _reserve_qs(request, org)
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="后备人才库", org_path=org.path, note="导出后备人才台账（证件号码、电话已脱敏）")
    rows = ([r.org.name, r.name, r.get_gender_display(), r.birth_date, r.get_education_display(), r.get_source_display(), r.id_number_masked,
             r.phone_masked, r.target_post, r.entered_on, r.left_on, r.left_reason] for r in qs.iterator())
    return xlsx_response("后备人才台账", "后备人才台账", ["村（社区）", *RESERVE_HEADERS[:8], "入库日期", "出库日期", "出库原因"], rows)


@login_required
def reserve_template(request):
    return xlsx_response("后备人才导入模板", "后备人才", RESERVE_HEADERS, [["王小明", "男", datetime.date(1992, 5, 1), "大学本科", "返乡创业人员", "", "",
                                                                          "村党组织书记", timezone.localdate(), "返乡创办合作社"]])


def _parse_reserve_rows(uploaded):
    from python_calamine import CalamineWorkbook

    from grassroots.members.choices import Education, Gender

    book = CalamineWorkbook.from_filelike(uploaded)
    rows = book.get_sheet_by_index(0).to_python()
    genders = {label: key for key, label in Gender.choices}
    educations = {label: key for key, label in Education.choices}
    sources = {label: key for key, label in Source.choices}
    out = []
    for line, row in enumerate(rows[1:], start=2):
        row = [*row, *[""] * (len(RESERVE_HEADERS) - len(row))]
        if not any(str(c).strip() for c in row):
            continue
        birth, entered = row[2], row[8]
        out.append((line, {
            "name": str(row[0]).strip(), "gender": genders.get(str(row[1]).strip(), ""),
            "birth_date": birth if isinstance(birth, datetime.date) else _date(birth), "education": educations.get(str(row[3]).strip(), ""),
            "source": sources.get(str(row[4]).strip(), ""), "id_number": str(row[5]).strip(), "phone": str(row[6]).strip(),
            "target_post": str(row[7]).strip(), "entered_on": entered if isinstance(entered, datetime.date) else _date(entered),
            "reason": str(row[9]).strip(),
        }))
    return out


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


@login_required
def reserve_import(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    form = ImportForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        org = _pick(orgs, form.cleaned_data["org"])
        try:
            rows = _parse_reserve_rows(form.cleaned_data["file"])
            created = services.import_reserves(request.user, org, rows)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except Exception:  # noqa: BLE001 (a file that is not a workbook)
            form.add_error("file", "无法读取该文件，请使用导入模板（.xlsx）")
        else:
            messages.success(request, f"已导入 {len(created)} 名后备人才")
            return redirect("leaders:reserve_list")
    return _form_page(request, "从 Excel 导入后备人才", form, back="leaders:reserve_list", submit="导入", multipart=True,
                      intro="请先下载导入模板。整表校验：任一行有误则全部不导入，并列出行号和原因。")


@login_required
def reserve_create(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    form = ReserveForm(request.POST or None, orgs=orgs, initial={"entered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            reserve = services.add_reserve(request.user, _pick(orgs, d.pop("org")), d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect(reserve)
    return _form_page(request, "后备人才入库", form, back="leaders:reserve_list")


def _visible_reserve(request, pk):
    return get_object_or_404(Reserve.objects.visible_to(request.user).select_related("org", "member"), pk=pk)


@login_required
def reserve_detail(request, pk):
    reserve = _visible_reserve(request, pk)
    hours = sum(a.course.hours for a in reserve.attendances.select_related("course"))
    return render(request, "leaders/reserve_detail.html", {
        "r": reserve, "events": reserve.events.all(), "event_form": ReserveEventForm(initial={"happened_on": timezone.localdate()}),
        "leave_form": LeaveForm(initial={"left_on": timezone.localdate()}), "can_manage": scoping.can_manage_org(request.user, reserve.org),
        "attendances": reserve.attendances.select_related("course"), "hours": hours,
    })


@login_required
@require_POST
def reserve_event(request, pk):
    reserve = _visible_reserve(request, pk)
    form = ReserveEventForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({k: v for k, v in form.errors.items()})
        services.record_reserve_event(request.user, reserve, **form.cleaned_data)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "已记录")
    return redirect(reserve)


@login_required
@require_POST
def reserve_leave(request, pk):
    reserve = _visible_reserve(request, pk)
    form = LeaveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({k: v for k, v in form.errors.items()})
        services.leave_reserve(request.user, reserve, **form.cleaned_data)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "已出库")
    return redirect(reserve)


# ---- training ------------------------------------------------------------------------------------------------------


def _below_rows(rows):
    """The <tr> rows of the below-minimum table, built here: at city scope they are thousands (every village secretary),
    and a template loop costs about 20 µs a row. Escaped as the template would; hours formatted as the template's
    number formatting does (no grouping)."""
    cell = '<tr><td data-label="姓名">{}</td><td data-label="类别">{}</td><td data-label="村（社区）">{}</td><td data-label="学时">{}</td></tr>'
    return mark_safe("".join(cell.format(conditional_escape(r["name"]), conditional_escape(r["kind"]), conditional_escape(r["org"]),
                                         f"{r['hours']:f}") for r in rows))


@login_required
def course_list(request):
    org = _page_org(request)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    qs = Course.objects.visible_to(request.user).within(org.path).annotate(n=Count("attendances")).order_by("-held_on", "-id")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    readable = scoping.can_read_org(request.user, org) and scoping.covers(scoping.record_paths(request.user), org.path)
    hours = list(queries.training_hours(org.path, year)) if readable else []
    return render(request, "leaders/course_list.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "q": q, "year": year,
        "hours": hours, "below": _below_rows(queries.training_below(org.path, year, hours)) if readable else "",
        "minimum": rules.training_hours_min(),
    })


@login_required
def hours_export(request):
    org = _page_org(request)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="培训学时台账", org_path=org.path, note=f"导出{year}年培训学时台账")
    minimum = rules.training_hours_min()
    hours = list(queries.training_hours(org.path, year))
    rows = [[r["name"], "后备人才" if r["reserve_id"] else "党员", r["courses"], r["hours"], "达标" if r["hours"] >= minimum else "不足"]
            for r in hours]
    rows += [[r["name"], r["kind"], 0, r["hours"], "不足"] for r in queries.training_below(org.path, year, hours) if not r["hours"]]
    return xlsx_response(f"{year}年培训学时", "培训学时", ["姓名", "类别", "参训次数", "学时", f"是否达到 {minimum} 学时"], rows)


@login_required
def course_create(request):
    orgs = list(_managed_orgs(request.user))
    if not orgs:
        raise PermissionDenied("您没有登记培训的权限")
    form = CourseForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            course = services.create_course(request.user, _pick(orgs, d.pop("org")), **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect(course)
    return _form_page(request, "登记培训班", form, back="leaders:course_list")


def _people_choices(user, course):
    paths_q = scoping.path_q("org_path", scoping.manage_paths(user)) & Q(org_path__startswith=course.org_path)
    people = [(f"m{p.holder_id}", f"{p.holder.name}（{p.org.name}书记）") for p in queries.secretaries(course.org_path).filter(
        scoping.path_q("holder__org_path", scoping.manage_paths(user)))]
    people += [(f"r{r.pk}", f"{r.name}（后备人才，{r.org.name}）") for r in Reserve.objects.filter(paths_q, left_on__isnull=True).select_related("org")[:300]]
    return people


@login_required
def course_detail(request, pk):
    course = get_object_or_404(Course.objects.visible_to(request.user).select_related("org"), pk=pk)
    can_manage = scoping.can_manage_org(request.user, course.org)
    form = AttendanceForm(request.POST or None, people=_people_choices(request.user, course) if can_manage else [])
    if request.method == "POST":
        if form.is_valid():
            key = form.cleaned_data["person"]
            member = Member.objects.filter(pk=key[1:]).first() if key[0] == "m" else None
            reserve = Reserve.objects.filter(pk=key[1:]).first() if key[0] == "r" else None
            try:
                services.add_attendance(request.user, course, member=member, reserve=reserve)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "已登记参训")
                return redirect(course)
    return render(request, "leaders/course_detail.html", {"c": course, "form": form, "can_manage": can_manage,
                                                          "attendances": course.attendances.order_by("name")})


# ---- reviews and career lists --------------------------------------------------------------------------------------


@login_required
def review_list(request):
    org = _page_org(request)
    qs = Review.objects.visible_to(request.user).within(org.path).select_related("org")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    if request.GET.get("year", "").isdigit():
        qs = qs.filter(year=int(request.GET["year"]))
    from grassroots.ballots.models import Round

    rounds = Round.objects.filter(source="leaders.review", org_path__startswith=org.path).filter(
        scoping.path_q("org_path", scoping.record_paths(request.user))).filter(pk__in=Review.objects.filter(grade="").values("round_id"))
    return render(request, "leaders/review_list.html", {
        "org": org, "page": paginate(request, qs), "query": query_without_page(request), "q": q, "rounds": rounds.select_related("org"),
        "flagged": queries.flagged_for_adjustment(Review.objects.visible_to(request.user).within(org.path)),
    })


@login_required
def review_export(request):
    org = _page_org(request)
    qs = Review.objects.visible_to(request.user).within(org.path).select_related("org")
    audit.record(audit.Action.EXPORT, None, actor=request.user, object_repr="述职述廉评议台账", org_path=org.path, note="导出述职述廉评议台账")
    rows = ([r.year, r.org.name, r.name, r.post_label, r.get_grade_display(), r.report] for r in qs.iterator())
    return xlsx_response("述职述廉评议台账", "述职述廉评议", ["年度", "村（社区）", "姓名", "职务", "民主评议结果", "述职述廉要点"], rows)


@login_required
def review_create(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    members = Member.objects.in_register().filter(scoping.path_q("org_path", scoping.manage_paths(request.user))).order_by("name")[:300]
    form = ReviewForm(request.POST or None, orgs=orgs, members=members, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _pick(orgs, d.pop("org"))
        member_pk = d.pop("member")
        member = Member.objects.filter(pk=member_pk, org_path__startswith=org.path).first() if member_pk else None
        try:
            services.record_review(request.user, org, member=member, **d)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "述职述廉评议结果已登记")
            return redirect("leaders:review_list")
    return _form_page(request, "登记述职述廉与民主评议结果", form, back="leaders:review_list")


@login_required
def career(request):
    org = _page_org(request)
    today = timezone.localdate()
    township, recruitment, years = queries.career_lists(org.path, today) if scoping.covers(scoping.record_paths(request.user), org.path) else ([], [], ())
    return render(request, "leaders/career.html", {"org": org, "township": township, "recruitment": recruitment, "years": years,
                                                   "min_years": rules.career_years(), "max_age": rules.career_max_age(), "grades": Grade})


class ReviewRoundForm(forms_module.Form):
    org = forms_module.TypedChoiceField(label="村（社区）", coerce=int)
    year = forms_module.IntegerField(label="年度", min_value=2000, max_value=2100)
    cadres = forms_module.CharField(label="参加述职的干部（每行：姓名，职务，述职述廉要点）", widget=forms_module.Textarea(attrs={"rows": 6}))
    tokens = forms_module.IntegerField(label="生成评议码（份，供无账号的代表扫码评议）", min_value=0, max_value=500, initial=20)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]


@login_required
def review_round_create(request):
    orgs = list(_managed_villages(request.user))
    if not orgs:
        raise PermissionDenied("您没有管理村（社区）的权限")
    form = ReviewRoundForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _pick(orgs, d["org"])
        cadres = []
        for line in d["cadres"].splitlines():
            parts = [p.strip() for p in line.replace(",", "，").split("，", 2)]
            if any(parts):
                cadres.append({"name": parts[0], "post_label": parts[1] if len(parts) > 1 else "", "report": parts[2] if len(parts) > 2 else ""})
        try:
            round, _raw = services.open_review_round(request.user, org, year=d["year"], cadres=cadres, tokens=d["tokens"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "民主评议已建立：请在评议页面打印评议码、开始评议")
            return redirect("ballots:round", round.pk)
    return _form_page(request, "发起述职述廉民主评议", form, back="leaders:review_list",
                      intro="评议在“评议表决”中进行（匿名、一人一票、可录入纸质票）；截止后回到本页汇总结果。")


@login_required
@require_POST
def review_conclude(request, pk):
    from grassroots.ballots.models import Round

    round = get_object_or_404(Round.objects.filter(source="leaders.review").filter(
        scoping.path_q("org_path", scoping.record_paths(request.user))).select_related("org"), pk=pk)
    try:
        services.conclude_review_round(request.user, round)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "民主评议结果已汇总到每名干部")
    return redirect("leaders:review_list")
