"""Dues pages: the roll-up of a subtree, a branch's collection page and yearly ledger, declarations, arrears,
and hardship reductions. Every write goes through services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.core import audit, scoping
from grassroots.core.errors import field_errors
from grassroots.core.excel import xlsx_response
from grassroots.core.pagination import paginate, query_without_page
from grassroots.members.models import Member
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization
from grassroots.orgs.scope import scope_org as _scope_org

from . import arrears as arrears_service
from . import rules, services, stats
from .models import DuesDeclaration, DuesPayment, DuesRelief
from .rules import Category


def _visible_org(request, pk):
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)


def _record_org(request, pk):
    """An organization whose records (members, payments) the user may read: 404 otherwise."""
    org = _visible_org(request, pk)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        raise Http404("组织不存在")
    return org


def _branch(request, pk):
    org = _record_org(request, pk)
    if org.kind not in BRANCH_KINDS:
        raise Http404("党费由党支部收缴")
    return org


def _visible_member(request, pk):
    return get_object_or_404(Member.objects.visible_to(request.user).in_register().select_related("org"), pk=pk)


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, rules.FIRST_YEAR), 2100)


def _month(request):
    try:
        return rules.parse_month(request.GET.get("month") or request.POST.get("month") or "")
    except (ValueError, TypeError):
        return rules.month_start(timezone.localdate())


def _years():
    return range(timezone.localdate().year, 2019, -1)


@login_required
def home(request):
    org = _scope_org(request)
    if not scoping.covers(scoping.record_paths(request.user), org.path):
        member = Member.objects.in_register().filter(user=request.user).first()
        if member is not None:
            return redirect("dues:declare", pk=member.pk)  # a member sees their own dues
        raise Http404("没有可查看的党组织")
    if org.kind in BRANCH_KINDS:
        return redirect("dues:collect", pk=org.pk)
    if org.kind == "group":
        return redirect("dues:collect", pk=services.branch_of(org).pk)
    return redirect("dues:summary", pk=org.pk)


@login_required
def summary(request, pk):
    org = _record_org(request, pk)
    year, today = _year(request), timezone.localdate()
    total, rows = stats.summary(org, year, today)
    months = stats.monthly(org, year, today)
    return render(
        request, "dues/summary.html",
        {
            "org": org, "year": year, "years": _years(), "total": total, "rows": rows, "is_branch": org.kind in BRANCH_KINDS,
            "chart": stats.chart_data(months), "branch_kinds": BRANCH_KINDS,
            "ancestors": Organization.objects.filter(path__in=org.ancestor_paths()).visible_to(request.user),
            "six_count": stats.six_months_count(org, today),
        },
    )


@login_required
def arrears(request, pk):
    org = _record_org(request, pk)
    today = timezone.localdate()
    q = (request.GET.get("q") or "").strip()
    six = bool(request.GET.get("six"))
    page = paginate(request, arrears_service.arrears_queryset(org.path, today, six_months=six, q=q))
    rows = arrears_service.decorate(list(page.object_list), org.path, today)
    return render(
        request, "dues/arrears.html",
        {"org": org, "page": page, "rows": rows, "last": rules.last_complete_month(today), "q": q, "six": six,
         "query": query_without_page(request)},
    )


def collection_rows(branch, month, posted=None, errors=None):
    """One row per member of the branch roll for the month: their record (or what they would owe), the posted values."""
    roll = list(services.branch_roll(branch, month))
    ids = [m.pk for m in roll]
    declarations = services.declarations_by_member(ids)
    reliefs = services.approved_reliefs_by_member(ids)
    records = {p.member_id: p for p in DuesPayment.objects.filter(org=branch, month=month)}
    errors = errors or {}
    rows = []
    for m in roll:
        record = records.get(m.pk)
        due = None
        if record is not None:
            due = (record.amount_due, record.exempt)
        else:
            due = services.due_for(m, month, declarations.get(m.pk), reliefs.get(m.pk))
        values = {
            "amount_paid": "" if record is None or not record.paid_on else record.amount_paid,
            "paid_on": record.paid_on.isoformat() if record is not None and record.paid_on else "",
            "method": record.method if record else "",
            "receipt_no": record.receipt_no if record else "",
            "by_proxy": record.by_proxy if record else False, "months": "1",
        }
        if posted is not None and m.pk in posted:
            values.update(posted[m.pk])
        rows.append(
            {
                "member": m, "record": record, "due": due[0] if due else None, "exempt": due[1] if due else False,
                "declared": m.pk in declarations, "values": values,
                "errors": [v for k, v in errors.items() if k.endswith(f"-{m.pk}")],
            }
        )
    return rows


def entries_from_post(post, member_ids):
    entries = {}
    for mid in member_ids:
        if f"amount_paid-{mid}" not in post:
            continue
        entries[mid] = {
            "amount_paid": post.get(f"amount_paid-{mid}", "").strip(), "paid_on": post.get(f"paid_on-{mid}", "").strip(),
            "method": post.get(f"method-{mid}", ""), "receipt_no": post.get(f"receipt_no-{mid}", "").strip(),
            "by_proxy": post.get(f"by_proxy-{mid}") == "on", "months": post.get(f"months-{mid}", "1"),
        }
    return entries


@login_required
def collect(request, pk):
    branch = _branch(request, pk)
    month = _month(request)
    can_manage = scoping.can_manage_org(request.user, branch)
    errors, posted = {}, None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有管理该党组织党费的权限")
        ids = list(services.branch_roll(branch, month).values_list("pk", flat=True))
        posted = entries_from_post(request.POST, ids)
        try:
            changed = services.collect(request.user, branch, month, posted)
        except ValidationError as exc:
            errors = field_errors(exc)
            general = [m for k in ("month", "__all__") for m in errors.get(k, [])]
            messages.error(request, "有填写错误，未保存任何记录：" + ("；".join(general) or "请按提示修改"))
        else:
            messages.success(request, f"已保存 {month:%Y年%m月} 党费收缴记录 {len(changed)} 条")
            return redirect(f"{request.path}?month={month:%Y-%m}")
    rows = collection_rows(branch, month, posted, errors)
    due_rows = [r for r in rows if r["due"] is not None]
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = [r for r in rows if q in r["member"].name or q.lower() in r["member"].initials]
    return render(
        request, "dues/collect.html",
        {
            "branch": branch, "month": month, "rows": rows, "can_manage": can_manage, "methods": DuesPayment.Method.choices,
            "prev": rules.add_months(month, -1), "next": rules.add_months(month, 1), "errors": errors,
            "due_total": sum((r["due"] for r in due_rows), rules.money(0)),
            "paid_count": sum(1 for r in due_rows if r["record"] is not None and r["record"].is_paid),
            "due_count": len(due_rows), "undeclared": sum(1 for r in rows if not r["declared"]),
            "today": timezone.localdate(), "q": q, "month_spans": [("1", "1 个月"), ("2", "2 个月"), ("3", "3 个月（一季度）")],
        },
    )


@require_POST
@login_required
def carry_over(request, pk):
    branch = _branch(request, pk)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    try:
        created = services.carry_over(request.user, branch, year)
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
    else:
        messages.success(request, f"已按上年基数核定 {year} 年党费 {len(created)} 人；工资变动的党员请逐一重新核定")
    return redirect("dues:collect", pk=branch.pk)


@login_required
def ledger(request, pk):
    branch = _branch(request, pk)
    year = _year(request)
    rows = stats.ledger(branch, year)
    totals = [sum((r["months"][i].amount_paid for r in rows if r["months"][i]), rules.money(0)) for i in range(12)]
    return render(
        request, "dues/ledger.html",
        {
            "branch": branch, "year": year, "years": _years(), "rows": rows, "totals": totals,
            "due": sum((r["due"] for r in rows), rules.money(0)), "paid": sum((r["paid"] for r in rows), rules.money(0)),
        },
    )


def ledger_cell(p):
    if p is None:
        return ""
    if p.exempt:
        return "免交"
    if p.paid_on is None:
        return f"欠 {p.amount_due}"
    return float(p.amount_paid)


@login_required
def ledger_export(request, pk):
    branch = _branch(request, pk)
    year = _year(request)
    rows = stats.ledger(branch, year)
    audit.record(audit.Action.EXPORT, branch, actor=request.user, org_path=branch.path, note=f"导出{year}年党费收缴台账")
    headers = ["序号", "姓名", "所在党组织", *[f"{m}月" for m in range(1, 13)], "应交合计", "实交合计"]

    def lines():
        for n, r in enumerate(rows, start=1):
            yield [n, r["member"].name, r["member"].org.name, *[ledger_cell(p) for p in r["months"]], float(r["due"]), float(r["paid"])]

    name = branch.short_name or branch.name
    return xlsx_response(f"党费收缴台账-{name}-{year}", f"{year}年党费收缴台账", headers, lines())


CATEGORY_HELP = {
    Category.EMPLOYED: "按每月税后工资收入：3000元及以下0.5%，3000–5000元1%，5000–10000元1.5%，10000元以上2%（全额适用）",
    Category.RETIRED: "按基本离退休费：5000元及以下0.5%，5000元以上1%",
    Category.FARMER: f"每月 {rules.FARMER_MIN}–{rules.FARMER_MAX} 元，由支部确定（默认 {rules.farmer_default()} 元）",
}


@login_required
def declare(request, pk):
    member = _visible_member(request, pk)
    branch = services.branch_of(member.org)
    own = member.user_id is not None and member.user_id == request.user.pk
    if not own and not scoping.covers(scoping.record_paths(request.user), branch.path):
        raise Http404("党员不存在")
    can_manage = scoping.can_manage_org(request.user, branch)
    today = timezone.localdate()
    errors, values = {}, {"year": today.year, "category": "", "base": "", "fixed_amount": "", "effective_from": "", "note": ""}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有管理该党组织党费的权限")
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            d = services.declare(request.user, member, dict(values))
        except ValidationError as exc:
            errors = {k: v for k, v in field_errors(exc).items()}
        else:
            messages.success(request, f"已核定 {member.name} 自 {d.effective_from:%Y年%m月} 起每月交纳党费 {d.amount} 元")
            return redirect("dues:declare", pk=member.pk)
    return render(
        request, "dues/declare.html",
        {
            "member": member, "branch": branch, "values": values, "errors": errors, "can_manage": can_manage,
            "general_errors": errors.get("__all__", []), "own": own and not can_manage,
            "categories": Category.choices, "help": CATEGORY_HELP,
            "declarations": DuesDeclaration.objects.filter(member=member).select_related("approved_by"),
            "reliefs": DuesRelief.objects.filter(member=member).select_related("member"),
            "payments": DuesPayment.objects.filter(member=member).order_by("-month")[:24],
        },
    )


@login_required
def relief_new(request, pk):
    member = _visible_member(request, pk)
    branch = services.branch_of(member.org)
    if not scoping.can_manage_org(request.user, branch):
        raise Http404("党员不存在")
    values = {"kind": "", "amount": "", "from_month": "", "to_month": "", "reason": ""}
    errors = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            services.propose_relief(request.user, member, dict(values))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已报上级党组织审批")
            return redirect("dues:reliefs")
    return render(request, "dues/relief_form.html", {"member": member, "values": values, "errors": errors, "kinds": DuesRelief.Kind.choices})


@login_required
def reliefs(request):
    qs = DuesRelief.objects.visible_to(request.user).select_related("member", "org", "decided_by", "approved_by")
    state = request.GET.get("state")
    if state in DuesRelief.State.values:
        qs = qs.filter(state=state)
    q = (request.GET.get("q") or "").strip()
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(member__name__contains=q) | Q(member__initials__startswith=q.lower()))
    page = paginate(request, qs)
    for r in page:
        r.can_approve = services.can_approve_relief(request.user, r)
    return render(request, "dues/reliefs.html", {"page": page, "states": DuesRelief.State.choices, "state": state, "q": q})


@require_POST
@login_required
def relief_decide(request, pk):
    relief = get_object_or_404(DuesRelief.objects.visible_to(request.user), pk=pk)
    try:
        services.decide_relief(request.user, relief, approve=request.POST.get("approve") == "1", note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))
    else:
        messages.success(request, "已审批")
    return redirect("dues:reliefs")
