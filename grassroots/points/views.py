"""Points pages: a member's own points, a branch's totals, pending entries and star rating, the roll-up of
star counts above the branches, and each organization's rule."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.dues.services import branch_of
from grassroots.members.models import Member
from grassroots.orglife import compliance
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization

from . import rules, services
from .models import PointEntry, StarRating
from .rules import Category


def _year(request):
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or "")
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


def _years():
    return range(timezone.localdate().year, 2019, -1)


def _record_org(request, pk):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise Http404("组织不存在")
    return org


def _managed_org(request, pk):
    org = _record_org(request, pk)
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("您没有管理该党组织积分的权限")
    return org


def _own_member(request):
    return Member.objects.in_register().select_related("org").filter(user=request.user).first()


@login_required
def home(request):
    """Managers and readers: their current scope's points; a member with no other role: their own points."""
    chosen = scoping.current_scope(request)
    if chosen is not None and scoping.covers(scoping.record_paths(request.user), chosen.org.path):
        org = chosen.org
        return redirect("points:org", pk=(branch_of(org) if org.kind == "group" else org).pk)
    root = Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))).order_by("depth", "path").first()
    if root is not None and scoping.record_paths(request.user):
        return redirect("points:org", pk=root.pk)
    return redirect("points:mine")


def entry_rows(entries):
    return [
        {"entry": e, "sign": "plus" if e.points > 0 else "minus"}
        for e in entries
    ]


def _member_context(member, year):
    entries = list(PointEntry.objects.filter(member=member, year=year).select_related("decided_by").order_by("-date", "-id"))
    approved = [e for e in entries if e.state == PointEntry.State.APPROVED]
    total = sum(e.points for e in approved)
    by_category = {}
    for e in approved:
        by_category.setdefault(e.get_category_display(), 0)
        by_category[e.get_category_display()] += e.points
    rule = services.rule_for(branch_of(member.org))
    rating = StarRating.objects.filter(member=member, year=year).first()
    return {
        "member": member, "year": year, "years": _years(), "entries": entries, "total": total, "by_category": sorted(by_category.items()),
        "rating": rating, "thresholds": list(rule.thresholds), "projected": rules.stars_for(total, rule.thresholds),
        "star_range": range(1, 6),
    }


@login_required
def mine(request):
    member = _own_member(request)
    if member is None:
        return render(request, "points/mine.html", {"member": None})
    year = _year(request)
    errors, values = {}, {"category": Category.SERVICE, "points": "", "date": "", "description": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            services.propose_entry(request.user, member, dict(values))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已提交，待党支部审核")
            return redirect("points:mine")
    context = _member_context(member, year)
    context.update({"errors": errors, "values": values, "categories": [(c.value, c.label) for c in (Category.SERVICE, Category.OTHER)], "own": True})
    return render(request, "points/mine.html", context)


@login_required
def member(request, pk):
    m = get_object_or_404(Member.objects.visible_to(request.user).select_related("org"), pk=pk)
    if not scoping.covers(scoping.record_paths(request.user), m.org_path):
        raise Http404("党员不存在")
    context = _member_context(m, _year(request))
    context["can_manage"] = scoping.can_manage_org(request.user, branch_of(m.org))
    return render(request, "points/mine.html", context)


@login_required
def entry_new(request, pk):
    m = get_object_or_404(Member.objects.visible_to(request.user).in_register().select_related("org"), pk=pk)
    branch = branch_of(m.org)
    if not scoping.can_manage_org(request.user, branch):
        raise Http404("党员不存在")
    errors, values = {}, {"category": Category.SERVICE, "points": "", "date": "", "description": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            services.propose_entry(request.user, m, dict(values))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已登记，待审核认定")
            return redirect("points:org", pk=branch.pk)
    return render(request, "points/entry_form.html", {"member": m, "errors": errors, "values": values,
                                                      "categories": [(c.value, c.label) for c in rules.MANUAL_CATEGORIES]})


@require_POST
@login_required
def entry_decide(request, pk):
    entry = get_object_or_404(PointEntry.objects.visible_to(request.user).filter(source="manual").select_related("member__org"), pk=pk)
    if not scoping.covers(scoping.record_paths(request.user), entry.org_path):
        raise Http404("积分记录不存在")
    try:
        services.decide_entry(request.user, entry, approve=request.POST.get("approve") == "1", note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
    else:
        messages.success(request, "已审核")
    return redirect("points:org", pk=branch_of(entry.member.org).pk)


def six_month_day(year, today):
    """The day the branch page reads the six-month rule on: today for this year, the year's last day for a past one."""
    return today if year >= today.year else datetime.date(year, 12, 31)


def branch_rows(branch, year):
    """The branch's members with their year's total, the stars it reaches, the rating, and `six_months`: on the
    six-month list (orglife.compliance.six_month_absentees, counted to the day) on six_month_day, shown beside the
    stars for the branch to weigh; the rating itself stays the points' own rule."""
    members = list(Member.objects.in_register().filter(org_path__startswith=branch.path).select_related("org").order_by("org_path", "initials", "id"))
    sums = services.totals([m.pk for m in members], year)
    ratings = {r.member_id: r for r in StarRating.objects.filter(org=branch, year=year)}
    rule = services.rule_for(branch)
    absent = set(compliance.six_month_absentees(branch.path, six_month_day(year, timezone.localdate())).values_list("pk", flat=True))
    return [
        {"member": m, "total": sums.get(m.pk, 0) or 0, "projected": rules.stars_for(sums.get(m.pk, 0) or 0, rule.thresholds),
         "rating": ratings.get(m.pk), "six_months": m.pk in absent}
        for m in members
    ], rule


def star_counts(org, year):
    """Per direct child (non-group) organization: members rated 0..5 stars in the year (one query)."""
    from django.db.models.functions import Substr

    children = list(Organization.objects.children_of(org).exclude(kind="group").order_by("path"))
    if org.kind in BRANCH_KINDS or not children:
        children = [org]
    length = len(children[0].path)
    counts = {}
    for row in (
        StarRating.objects.filter(org_path__startswith=org.path, year=year)
        .annotate(prefix=Substr("org_path", 1, length)).values("prefix", "stars").annotate(n=Count("id")).order_by()
    ):
        counts.setdefault(row["prefix"], [0] * 6)[row["stars"]] += row["n"]
    return [{"org": c, "counts": counts.get(c.path, [0] * 6), "rated": sum(counts.get(c.path, [0] * 6))} for c in children]


@login_required
def org(request, pk):
    o = _record_org(request, pk)
    year = _year(request)
    can_manage = scoping.can_manage_org(request.user, o)
    context = {"org": o, "year": year, "years": _years(), "can_manage": can_manage, "star_range": range(1, 6),
               "ancestors": Organization.objects.filter(path__in=o.ancestor_paths()).visible_to(request.user)}
    counts = star_counts(o, year)
    context["counts"] = counts
    context["chart"] = {"labels": [c["org"].short_name or c["org"].name for c in counts],
                        "series": [{"name": f"{s}星" if s else "未达星级", "data": [c["counts"][s] for c in counts]} for s in range(6)]}
    if o.kind in BRANCH_KINDS:
        rows, rule = branch_rows(o, year)
        confirmed = any(r["rating"] and r["rating"].confirmed for r in rows)
        rated = any(r["rating"] for r in rows)
        q = (request.GET.get("q") or "").strip()
        if q:
            rows = [r for r in rows if q in r["member"].name or q.lower() in r["member"].initials]
        context.update({
            "rows": paginate(request, rows), "query": query_without_page(request), "rule": rule, "q": q, "is_branch": True,
            "confirmed": confirmed, "rated": rated,
            "pending": PointEntry.objects.filter(org_path__startswith=o.path, state=PointEntry.State.PENDING, source="manual")
            .select_related("member", "proposed_by").order_by("date", "id"),
        })
    return render(request, "points/org.html", context)


@login_required
def rule_edit(request, pk):
    o = _managed_org(request, pk)
    rule = services.rule_for(o)
    own = rule.org_id == o.pk
    values = {f: getattr(rule, f) for f in services.RULE_FIELDS}
    errors = {}
    if request.method == "POST":
        values = {f: request.POST.get(f, "").strip() for f in services.RULE_FIELDS}
        try:
            services.set_rule(request.user, o, values)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已保存积分规则")
            return redirect("points:org", pk=o.pk)
    labels = {
        "meeting_present": "参加组织生活（每次）", "dues_on_time": "按时交纳党费（每月）", "absent": "无故缺席组织生活（每次）",
        "dues_unpaid": "未按时交纳党费（每月）", "star1": "一星", "star2": "二星", "star3": "三星", "star4": "四星", "star5": "五星",
    }
    fields = [{"name": f, "label": labels[f], "value": values[f], "errors": errors.get(f, [])} for f in services.RULE_FIELDS]
    inherited = None if own else (rule.org.name if rule.org else "全市默认")
    return render(request, "points/rules.html", {"org": o, "fields": fields, "errors": errors, "inherited": inherited})


@require_POST
@login_required
def recompute(request, pk):
    o = _managed_org(request, pk)
    year = _year(request)
    try:
        services.check_recompute_size(o)
    except ValidationError as exc:
        text = "；".join(exc.messages)
    else:
        created, updated, deleted = services.recompute_points(o, year, actor=request.user)
        text = f"已重新计算{year}年积分：新增 {created} 条，更新 {updated} 条，删除 {deleted} 条"
    if request.headers.get("HX-Request"):
        return render(request, "points/_recompute_result.html", {"text": text})
    messages.success(request, text)
    return _back(o, year)


@require_POST
@login_required
def rate(request, pk):
    o = _managed_org(request, pk)
    year = _year(request)
    try:
        ratings = services.rate_branch(request.user, o, year)
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
    else:
        messages.success(request, f"已评定 {year} 年星级 {len(ratings)} 人（确认前可重新评定）")
    return _back(o, year)


@require_POST
@login_required
def confirm(request, pk):
    o = _managed_org(request, pk)
    year = _year(request)
    try:
        n = services.confirm_rating(request.user, o, year)
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
    else:
        messages.success(request, f"已确认 {year} 年星级评定（{n} 人）")
    return _back(o, year)


@login_required
def export(request, pk):
    o = _record_org(request, pk)
    year = _year(request)
    audit.record(audit.Action.EXPORT, o, actor=request.user, org_path=o.path, note=f"导出{year}年党员星级评定")
    qs = StarRating.objects.filter(org_path__startswith=o.path, year=year).select_related("member", "org").order_by("org_path", "-total", "member_id")

    def rows():
        for n, r in enumerate(qs.iterator(chunk_size=2000), start=1):
            yield [n, r.member.name, r.org.name, r.total, r.stars, "、".join(str(t) for t in r.thresholds), "已确认" if r.confirmed else "未确认"]

    name = o.short_name or o.name
    return xlsx_response(f"党员星级评定-{name}-{year}", f"{year}年星级评定", ["序号", "姓名", "党支部", "年度积分", "星级", "分数线（一至五星）", "状态"], rows())


def _back(o, year):
    return redirect(f"{reverse('points:org', args=[o.pk])}?year={year}")
