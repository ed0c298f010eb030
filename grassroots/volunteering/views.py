"""Pages of 双报到: the member's own page (phone first), the community desk, the unit's page (batch registration,
receipts, feedback, resources), the yearly statement, statistics, and Excel."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org

from . import imports, rules, services
from .choices import Basis, ClaimState, Grade, LogState, RegState
from .models import Claim, Evaluation, Need, Offer, Post, Registration, ServiceCategory, ServiceLog, Slot, community_paths


def _flash(request, exc):
    messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))


def _run(request, action, success):
    try:
        result = action()
    except ValidationError as exc:
        _flash(request, exc)
        return None
    messages.success(request, success)
    return result or True


def _back(request, default):
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/volunteering/") else default)


def _own_member(request):
    member = Member.objects.in_register().filter(user=request.user).select_related("org").first()
    if member is None:
        raise PermissionDenied("您的账号没有关联党员档案")
    return member


def _year(request):
    value = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this + 1 else this


# ---- the member ---------------------------------------------------------------------------------------------


@login_required
def my(request):
    member = _own_member(request)
    today = timezone.localdate()
    reg = services.current_registration(member)
    due = reg is None or (reg.state == RegState.CONFIRMED and reg.expires_on and reg.expires_on <= today + datetime.timedelta(days=rules.REMIND_DAYS_BEFORE))
    posts = []
    if reg and reg.state == RegState.CONFIRMED:
        posts = list(Post.objects.filter(community=reg.community, is_open=True).select_related("category"))
        slots = Slot.objects.filter(post__in=posts, starts_at__gt=timezone.now()).order_by("starts_at")
        by_post = {}
        for s in slots:
            by_post.setdefault(s.post_id, []).append(s)
        for p in posts:
            p.open_slots = by_post.get(p.pk, [])
    claims = list(Claim.objects.filter(member=member, state=ClaimState.ACTIVE).select_related("slot__post").order_by("slot__starts_at"))
    now = timezone.now()
    logged = set(ServiceLog.objects.filter(claim__in=claims).values_list("claim_id", flat=True))
    for c in claims:
        c.cancellable = rules.can_cancel(c.slot.starts_at, now)
        c.logged = c.pk in logged or c.slot.ends_at > now
    claimed = {c.slot_id for c in claims}
    logs = ServiceLog.objects.filter(member=member, year=today.year).select_related("community")
    year_hours = logs.filter(state=LogState.CONFIRMED).aggregate(h=Sum("hours"))["h"] or 0
    logs = list(logs)
    for log in logs:
        log.points = rules.points_for(log.hours)  # what the points app credits for it (source 社区服务记录)
    return render(request, "volunteering/my.html", {
        "member": member, "reg": reg, "due": due, "posts": posts, "claims": claims, "claimed": claimed, "logs": logs, "year_hours": year_hours,
        "min_hours": rules.min_hours(), "today": today, "communities": services.communities().order_by("path")[:500], "bases": Basis.choices,
        "evaluations": Evaluation.objects.filter(member=member).select_related("community")[:20], "cancel_hours": rules.cancel_hours(),
        "history": Registration.objects.filter(member=member).exclude(pk=getattr(reg, "pk", None)).select_related("community")[:10],
    })


@login_required
@require_POST
def register(request):
    member = _own_member(request)
    community = get_object_or_404(services.communities(), pk=request.POST.get("community") or 0)
    _run(request, lambda: services.register(request.user, member, community, request.POST), "已提交报到，待社区确认")
    return redirect("volunteering:my")


@login_required
@require_POST
def end(request, pk):
    reg = get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)
    _run(request, lambda: services.end_registration(request.user, reg, request.POST.get("note", "")), "已结束报到")
    return _back(request, "volunteering:my")


def _claimable_slots(user):
    member = Member.objects.filter(user=user).first()
    reg = services.current_registration(member) if member else None
    q = Q(post__community_path__in=[])
    if reg:
        q |= Q(post__community=reg.community)
    return Slot.objects.filter(q).select_related("post")


@login_required
@require_POST
def claim(request, pk):
    slot = get_object_or_404(_claimable_slots(request.user), pk=pk)
    member = _own_member(request)
    _run(request, lambda: services.claim_slot(request.user, member, slot), "认领成功，请按时参加服务")
    return redirect("volunteering:my")


@login_required
@require_POST
def cancel(request, pk):
    claim_ = get_object_or_404(Claim.objects.visible_to(request.user), pk=pk)
    _run(request, lambda: services.cancel_claim(request.user, claim_), "已取消认领")
    return _back(request, "volunteering:my")


@login_required
@require_POST
def report_hours(request):
    member = _own_member(request)
    reg = services.current_registration(member) or Registration.objects.filter(member=member).exclude(state=RegState.REJECTED).first()
    if reg is None:
        messages.error(request, "请先到社区报到")
        return redirect("volunteering:my")
    claim_ = None
    if request.POST.get("claim"):
        claim_ = get_object_or_404(Claim.objects.filter(member=member), pk=request.POST["claim"])
    _run(request, lambda: services.record_hours(request.user, member, reg.community, request.POST, claim=claim_), "已申报，待社区确认")
    return redirect("volunteering:my")


def statement_rows(member, year):
    return ServiceLog.objects.filter(member=member, year=year, state=LogState.CONFIRMED).select_related("community").order_by("served_on", "id")


@login_required
def statement(request, pk):
    """The member's yearly statement of confirmed service (printable)."""
    member = get_object_or_404(Member.objects.filter(Q(user=request.user) | Q(pk__in=Registration.objects.visible_to(request.user).values("member"))
                                                     | Q(pk__in=Member.objects.visible_to(request.user).values("pk"))).select_related("org"), pk=pk)
    year = _year(request)
    rows = list(statement_rows(member, year))
    total = sum((r.hours for r in rows), start=0)
    record = services.member_evaluations(member, year)
    return render(request, "volunteering/statement.html", {
        "member": member, "year": year, "rows": rows, "total": total, "min_hours": rules.min_hours(), "evaluations": record["evaluations"],
        "registrations": Registration.objects.filter(member=member).exclude(state=RegState.REJECTED).select_related("community")[:5],
        "years": range(timezone.localdate().year, 2019, -1),
    })


# ---- the community desk -------------------------------------------------------------------------------------


def _desk_communities(user):
    return services.communities().filter(scoping.path_q("path", list(scoping.community_desk_paths(user)) + list(scoping.manage_paths(user))))


def _desk_community(request, value=None):
    value = value if value is not None else (request.GET.get("community") or request.POST.get("community") or "")
    qs = _desk_communities(request.user)
    if str(value).isdigit():
        return get_object_or_404(qs, pk=int(value))
    community = qs.order_by("path").first()
    if community is None:
        raise PermissionDenied("您不是社区报到管理员")
    return community


@login_required
def desk(request):
    community = _desk_community(request)
    regs = Registration.objects.filter(community=community).select_related("member", "unit")
    q = (request.GET.get("q") or "").strip()
    registered = regs.filter(state=RegState.CONFIRMED)
    if q:
        registered = registered.filter(Q(member__name__contains=q) | Q(member__initials__startswith=q.lower()) | Q(unit__name__contains=q))
    posts = Post.objects.filter(community=community).select_related("category").prefetch_related("slots")
    taken = Registration.objects.filter(community=community, state__in=(RegState.PENDING, RegState.CONFIRMED)).count()
    return render(request, "volunteering/desk.html", {
        "community": community, "communities": _desk_communities(request.user).order_by("path")[:200],
        "pending": regs.filter(state=RegState.PENDING), "page": paginate(request, registered.order_by("unit__name", "member__name")),
        "query": query_without_page(request),
        "logs": ServiceLog.objects.filter(community=community, state=LogState.PENDING).select_related("member", "unit"),
        "posts": posts, "needs": Need.objects.filter(community=community).select_related("category").prefetch_related("offers__org"),
        "offers": Offer.objects.filter(community=community, need__isnull=True).select_related("org", "category"),
        "categories": ServiceCategory.objects.filter(is_active=True), "cap": services.cap_of(community), "taken": taken,
        "per_unit": services.load_per_unit(community), "per_post": services.load_per_post(community), "grades": Grade.choices,
        "year": timezone.localdate().year,
    })


def _desk_obj(request, qs, pk):
    obj = get_object_or_404(qs.filter(scoping.path_q("community_path", community_paths(request.user))), pk=pk)
    return obj


def _desk_back(request, community_id):
    return redirect(f"/volunteering/desk/?community={community_id}")


@login_required
@require_POST
def desk_registration(request, pk):
    reg = _desk_obj(request, Registration.objects.all(), pk)
    accept = request.POST.get("accept") == "1"
    _run(request, lambda: services.decide_registration(request.user, reg, accept=accept, note=request.POST.get("note", "")),
         "已确认报到，回执已发送报到单位" if accept else "已退回")
    return _desk_back(request, reg.community_id)


@login_required
@require_POST
def desk_hours(request, pk):
    log = _desk_obj(request, ServiceLog.objects.all(), pk)
    approve = request.POST.get("approve") == "1"
    _run(request, lambda: services.decide_hours(request.user, log, approve=approve, note=request.POST.get("note", "")), "已处理")
    return _desk_back(request, log.community_id)


@login_required
@require_POST
def desk_record(request, pk):
    reg = _desk_obj(request, Registration.objects.select_related("member", "community"), pk)
    _run(request, lambda: services.record_hours(request.user, reg.member, reg.community, request.POST), "已登记服务时长")
    return _desk_back(request, reg.community_id)


@login_required
@require_POST
def desk_evaluate(request, pk):
    reg = _desk_obj(request, Registration.objects.select_related("member", "community", "unit"), pk)
    member = reg.member if request.POST.get("whole_unit") != "1" else None
    _run(request, lambda: services.evaluate(request.user, reg.community, reg.unit, request.POST, member=member), "评价已反馈至报到单位")
    return _desk_back(request, reg.community_id)


@login_required
@require_POST
def desk_post(request):
    community = _desk_community(request)
    _run(request, lambda: services.create_post(request.user, community, request.POST), "已发布服务岗位")
    return _desk_back(request, community.pk)


@login_required
@require_POST
def desk_slot(request, pk):
    post = _desk_obj(request, Post.objects.select_related("community"), pk)
    _run(request, lambda: services.add_slot(request.user, post, request.POST), "已添加时段")
    return _desk_back(request, post.community_id)


@login_required
@require_POST
def desk_need(request):
    community = _desk_community(request)
    _run(request, lambda: services.publish_need(request.user, community, request.POST), "已发布需求")
    return _desk_back(request, community.pk)


@login_required
@require_POST
def desk_close_need(request, pk):
    need = _desk_obj(request, Need.objects.select_related("community"), pk)
    _run(request, lambda: services.close_need(request.user, need), "已结束征集")
    return _desk_back(request, need.community_id)


@login_required
@require_POST
def desk_match(request, pk):
    offer = _desk_obj(request, Offer.objects.select_related("org"), pk)
    need = _desk_obj(request, Need.objects.select_related("community"), request.POST.get("need") or 0)
    _run(request, lambda: services.match_offer(request.user, offer, need), "已对接")
    return _desk_back(request, offer.community_id)


@login_required
@require_POST
def desk_cap(request):
    community = _desk_community(request)
    _run(request, lambda: services.set_cap(request.user, community, request.POST.get("cap")), "已设置报到人数上限")
    return _desk_back(request, community.pk)


@login_required
def desk_export(request):
    community = _desk_community(request)
    rows = Registration.objects.filter(community=community).select_related("member", "unit")
    hours = dict(ServiceLog.objects.filter(community=community, state=LogState.CONFIRMED).values_list("member_id").annotate(h=Sum("hours")))
    return xlsx_response(f"社区报到台账-{community.name}", "社区报到台账", ["姓名", "所在党组织", "报到方式", "状态", "报到日期", "确认日期", "须重新报到", "联系电话", "服务时长"],
                         ([r.member.name, r.unit.name, r.get_basis_display(), r.get_state_display(), r.registered_on, r.confirmed_on, r.expires_on,
                           r.member.phone_masked, float(hours.get(r.member_id, 0))] for r in rows.iterator()))


# ---- the unit -----------------------------------------------------------------------------------------------


def _unit_org(request):
    value = request.GET.get("org") or request.POST.get("org") or ""
    if value.isdigit():
        org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(value))
    else:
        org = scope_org(request)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise PermissionDenied("您没有查看该党组织报到情况的权限")
    return org


def unit_registrations(user, org, params):
    qs = Registration.objects.filter(org_path__startswith=org.path).filter(scoping.path_q("org_path", scoping.record_paths(user)))
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(member__name__contains=q) | Q(member__initials__startswith=q.lower()) | Q(community__name__contains=q))
    if params.get("state") in RegState.values:
        qs = qs.filter(state=params["state"])
    return qs.select_related("member", "community", "unit").order_by("-registered_on", "-id")


@login_required
def unit(request):
    org = _unit_org(request)
    year = _year(request)
    page = paginate(request, unit_registrations(request.user, org, request.GET))
    ids = [r.member_id for r in page]
    hours = dict(ServiceLog.objects.filter(member_id__in=ids, year=year, state=LogState.CONFIRMED).values_list("member_id").annotate(h=Sum("hours")))
    for r in page:
        r.hours = hours.get(r.member_id, 0)
    return render(request, "volunteering/unit.html", {
        "org": org, "page": page, "query": query_without_page(request), "states": RegState.choices, "year": year,
        "evaluations": Evaluation.objects.filter(org_path__startswith=org.path).select_related("community", "member", "unit")[:50],
        "offers": Offer.objects.filter(org_path__startswith=org.path).select_related("community", "need", "category")[:50],
        # the needs lists of the communities the unit's members registered at: what the unit may offer (资源清单)
        "needs": Need.objects.filter(is_open=True, community__in=Registration.objects.filter(org_path__startswith=org.path).values("community"))
        .select_related("community", "category")[:50],
        "can_manage": scoping.can_manage_org(request.user, org), "categories": ServiceCategory.objects.filter(is_active=True),
        # offers go to the communities the unit's members registered at
        "communities": services.communities().filter(pk__in=Registration.objects.filter(org_path__startswith=org.path).values("community"))
        .order_by("path")[:200],
    })


@login_required
def unit_export(request):
    org = _unit_org(request)
    rows = unit_registrations(request.user, org, request.GET)
    return xlsx_response(f"在职党员报到台账-{org.name}", "报到台账", ["姓名", "所在党组织", "报到社区", "报到方式", "状态", "报到日期", "确认日期", "须重新报到"],
                         ([r.member.name, r.unit.name, r.community.name, r.get_basis_display(), r.get_state_display(), r.registered_on, r.confirmed_on,
                           r.expires_on] for r in rows.iterator()))


@login_required
@require_POST
def unit_import(request):
    org = _unit_org(request)
    upload = request.FILES.get("file")
    try:
        rows = imports.read_rows(upload)
        done = services.batch_register(request.user, org, rows)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已集中报到 {len(done)} 人，待社区确认")
    return redirect(f"/volunteering/unit/?org={org.pk}")


@login_required
def unit_template(request):
    _unit_org(request)
    return xlsx_response("集中报到模板", "集中报到", ["姓名", "社区组织代码", "报到方式（居住地/工作地/自选）", "特长与服务意愿"], [["（姓名）", "（社区党组织代码）", "居住地", "法律咨询"]])


@login_required
@require_POST
def unit_offer(request):
    org = _unit_org(request)
    community = get_object_or_404(services.communities(), pk=request.POST.get("community") or 0)
    _run(request, lambda: services.publish_offer(request.user, org, community, request.POST), "已发布资源，社区可对接")
    return redirect(f"/volunteering/unit/?org={org.pk}")


# ---- statistics ----------------------------------------------------------------------------------------------


def statistics_rows(user, org, year):
    """Per child organization of `org`: confirmed registrations of its members and their confirmed hours in `year`."""
    children = list(Organization.objects.visible_to(user).filter(depth=org.depth + 1, path__startswith=org.path, is_active=True).order_by("path"))
    if not children:
        children = [org]
    n = Organization.steplen * (org.depth + (0 if children == [org] else 1))
    from django.db.models.functions import Substr

    regs = dict(Registration.objects.filter(org_path__startswith=org.path, state=RegState.CONFIRMED).annotate(p=Substr("org_path", 1, n))
                .values_list("p").annotate(c=Count("id")))
    hours = dict(ServiceLog.objects.filter(org_path__startswith=org.path, year=year, state=LogState.CONFIRMED).annotate(p=Substr("org_path", 1, n))
                 .values_list("p").annotate(h=Sum("hours")))
    return [{"org": c, "registered": regs.get(c.path, 0), "hours": float(hours.get(c.path, 0) or 0)} for c in children]


@login_required
def stats(request):
    org = _unit_org(request)
    year = _year(request)
    rows = statistics_rows(request.user, org, year)
    chart = {"labels": [r["org"].short_name or r["org"].name for r in rows], "registered": [r["registered"] for r in rows],
             "hours": [r["hours"] for r in rows]}
    return render(request, "volunteering/stats.html", {
        "org": org, "year": year, "rows": rows, "chart": chart, "years": range(timezone.localdate().year, 2019, -1),
        "total_registered": sum(r["registered"] for r in rows), "total_hours": sum(r["hours"] for r in rows),
    })


@login_required
def stats_export(request):
    org = _unit_org(request)
    year = _year(request)
    rows = statistics_rows(request.user, org, year)
    return xlsx_response(f"双报到统计-{org.name}-{year}", "双报到统计", ["党组织", "已报到人数", f"{year}年服务时长"],
                         ([r["org"].name, r["registered"], r["hours"]] for r in rows))

