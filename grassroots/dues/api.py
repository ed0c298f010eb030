"""REST API of Party dues, scoped like the pages: rates, declarations, a month's collection, the roll-up,
arrears, and hardship reductions."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.errors import ValidationError
from grassroots.members.models import Member
from grassroots.orgs import summaries
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization

from . import arrears as arrears_service
from . import rollups, rules, services, stats
from .models import DuesDeclaration, DuesPayment, DuesRelief

router = Router(tags=["党费"])


def _record_org(request, org_id):
    org = Organization.objects.visible_to(request.user).filter(pk=org_id).first()
    if org is None or not scoping.covers(scoping.record_paths(request.user), org.path):
        raise Http404("找不到该党组织")
    return org


def _member(request, member_id):
    member = Member.objects.visible_to(request.user).in_register().select_related("org").filter(pk=member_id).first()
    if member is None:
        raise ValidationError({"member_id": "找不到该党员"})
    return member


def _month(text, field="month"):
    try:
        return rules.parse_month(text)
    except (ValueError, TypeError):
        raise ValidationError({field: "请输入月份，格式为 YYYY-MM"}) from None


class RateOut(Schema):
    category: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    source: str


@router.get("/rate", response={200: RateOut, 422: ErrorOut}, summary="按党费标准计算月交纳额")
def rate(request, category: rules.Category = rules.Category.EMPLOYED, base: Decimal | None = Decimal("0"), fixed_amount: Decimal | None = None):
    if category in rules.BASED_CATEGORIES and (base is None or base < 0):
        raise ValidationError({"base": "在职和离退休党员须填写月计算基数"})
    if category == rules.Category.FARMER and rules.farmer_amount_error(fixed_amount):
        raise ValidationError({"fixed_amount": rules.farmer_amount_error(fixed_amount)})
    today = timezone.localdate()
    return {
        "category": category, "base": base if category in rules.BASED_CATEGORIES else None,
        "rate": rules.rate_for(category, base, today) if category in rules.BASED_CATEGORIES else None,
        "amount": rules.monthly_amount(category, base, day=today, fixed_amount=fixed_amount), "source": rules.table_for(today).source,
    }


class DeclarationIn(Schema):
    member_id: int
    year: int
    category: str
    base: Decimal | None = None
    fixed_amount: Decimal | None = None
    effective_from: str = ""
    note: str = ""


class DeclarationOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    year: int
    category: str
    base: Decimal | None
    amount: Decimal
    effective_from: datetime.date
    declared_on: datetime.date


def _declaration_out(d):
    return {
        "id": d.pk, "member_id": d.member_id, "member_name": d.member.name, "org_id": d.org_id, "year": d.year, "category": d.category,
        "base": d.base, "amount": d.amount, "effective_from": d.effective_from, "declared_on": d.declared_on,
    }


class DeclarationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DeclarationOut]


@router.get("/declarations", response=DeclarationPage, summary="党费基数核定记录")
def list_declarations(request, org_id: int | None = None, year: int | None = None, page: int = 1, page_size: int = 50):
    qs = DuesDeclaration.objects.visible_to(request.user).select_related("member")
    if org_id is not None:
        qs = qs.filter(org_path__startswith=_record_org(request, org_id).path)
    if year is not None:
        qs = qs.filter(year=year)
    return paginated(qs.order_by("org_path", "member_id", "-effective_from"), page, page_size, lambda rows: [_declaration_out(d) for d in rows])


@router.post("/declarations", response={201: DeclarationOut, 403: ErrorOut, 422: ErrorOut}, summary="申报（核定）党费基数")
def create_declaration(request, payload: DeclarationIn):
    member = _member(request, payload.member_id)
    data = payload.model_dump(exclude={"member_id"})
    return Status(201, _declaration_out(services.declare(request.user, member, data)))


class CarryOverIn(Schema):
    org_id: int
    year: int


@router.post("/declarations/carry-over", response={201: list[DeclarationOut], 403: ErrorOut, 422: ErrorOut},
             summary="年度核定：未核定本年党费的党员沿用上年基数")
def carry_over(request, payload: CarryOverIn):
    org = Organization.objects.visible_to(request.user).filter(pk=payload.org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织"})
    created = services.carry_over(request.user, org, payload.year)
    return Status(201, [_declaration_out(d) for d in created])


class PaymentIn(Schema):
    member_id: int
    amount_paid: Decimal | None = None
    paid_on: datetime.date | None = None
    method: str = ""
    receipt_no: str = ""
    by_proxy: bool = False
    months: int = Field(1, ge=1, le=3, description="一次交纳的月数（按季度预交为 3）")


class CollectIn(Schema):
    org_id: int
    month: str
    payments: list[PaymentIn]


class PaymentOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    month: datetime.date
    amount_due: Decimal
    amount_paid: Decimal
    paid_on: datetime.date | None
    method: str
    receipt_no: str
    by_proxy: bool
    back_pay: bool
    exempt: bool
    paid: bool


def _payment_out(p):
    return {
        "id": p.pk, "member_id": p.member_id, "member_name": p.member.name, "org_id": p.org_id, "month": p.month,
        "amount_due": p.amount_due, "amount_paid": p.amount_paid, "paid_on": p.paid_on, "method": p.method, "receipt_no": p.receipt_no,
        "by_proxy": p.by_proxy, "back_pay": p.back_pay, "exempt": p.exempt, "paid": p.is_paid,
    }


class PaymentPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PaymentOut]


@router.get("/payments", response={200: PaymentPage, 422: ErrorOut}, summary="党费收缴记录")
def list_payments(request, org_id: int | None = None, month: str = Query("", description="YYYY-MM"), page: int = 1, page_size: int = 50):
    qs = DuesPayment.objects.visible_to(request.user).select_related("member")
    org = _record_org(request, org_id) if org_id is not None else None
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if month:
        qs = qs.filter(month=_month(month))
    return paginated(qs.order_by("-month", "org_path", "member_id"), page, page_size, lambda rows: [_payment_out(p) for p in rows],
                     count=None if month else _kept_record_count(request.user, org))


def _kept_record_count(user, org):
    """The number of listed records from the kept figures (dues/rollups.py) when the list is whole subtrees at the top
    of the tree: the organization asked for, or every subtree the user reads in full plus the user's own records
    elsewhere. Counting three million rows costs more than the page (bench/bench_pages.py). None: count the rows."""
    if org is not None:
        paths, extra = [org.path], 0
    else:
        paths = scoping.record_paths(user)
        if scoping.ALL in paths:
            paths = list(Organization.objects.filter(depth=1).values_list("path", flat=True))
        paths = [p for p in sorted(paths) if not any(p != q and p.startswith(q) for q in paths)]  # outermost only
        own = scoping.own_member_pk(user)
        extra = DuesPayment.objects.filter(member_id=own).exclude(scoping.path_q("org_path", paths)).count() if own else 0
    if not paths or any(len(p) > summaries.SUMMARY_DEPTH * summaries.STEP for p in paths):
        return None  # small enough to count
    return sum(summaries.figures(rollups.RECORDS, p).get("records", 0) for p in paths) + extra


@router.post("/payments", response={200: list[PaymentOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="登记一个月的党费收缴（全部成功或全部不保存）")
def collect(request, payload: CollectIn):
    org = Organization.objects.visible_to(request.user).filter(pk=payload.org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织"})
    if org.kind not in BRANCH_KINDS:
        raise ValidationError({"org_id": "党费由党支部收缴：请选择一个党支部"})
    if not scoping.can_manage_org(request.user, org):
        raise PermissionDenied("不在您的管理范围内")
    entries = {p.member_id: p.model_dump(exclude={"member_id"}) for p in payload.payments}
    changed = services.collect(request.user, org, _month(payload.month), entries)
    return [_payment_out(p) for p in changed]


class SummaryRowOut(Schema):
    org_id: int
    name: str
    due: Decimal
    paid: Decimal
    arrears: Decimal
    unpaid_records: int
    percent: int | None


class MonthOut(Schema):
    month: int
    due: Decimal
    paid: Decimal


class SummaryOut(Schema):
    org_id: int
    year: int
    total: SummaryRowOut
    children: list[SummaryRowOut]
    months: list[MonthOut]


def _row(org, r):
    return {"org_id": org.pk, "name": org.name, **{k: r[k] for k in ("due", "paid", "arrears", "unpaid_records", "percent")}}


@router.get("/summary/{org_id}", response={200: SummaryOut, 404: ErrorOut}, summary="党费收缴汇总（某组织及其直接下级，一年）")
def summary(request, org_id: int, year: int | None = Query(None, ge=rules.FIRST_YEAR, le=2100)):
    org = _record_org(request, org_id)
    today = timezone.localdate()
    year = year or today.year
    total, rows = stats.summary(org, year, today)
    return {
        "org_id": org.pk, "year": year, "total": _row(org, total), "children": [_row(r["org"], r) for r in rows],
        "months": stats.monthly(org, year, today),
    }


class ArrearsOut(Schema):
    member_id: int
    name: str
    org_id: int
    months: int | None
    amount: Decimal | None
    since: datetime.date | None
    six_months: bool


class ArrearsPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ArrearsOut]


@router.get("/arrears/{org_id}", response={200: ArrearsPage, 404: ErrorOut}, summary="欠缴党费党员（含连续六个月未交纳的标注）")
def arrears(request, org_id: int, six_months: bool = False, page: int = 1, page_size: int = 50):
    org = _record_org(request, org_id)
    today = timezone.localdate()

    def convert(items):
        return [
            {"member_id": r["member"].pk, "name": r["member"].name, "org_id": r["member"].org_id, "months": r["months"],
             "amount": r["amount"], "since": r["since"], "six_months": r["six_months"]}
            for r in arrears_service.decorate(items, org.path, today)
        ]

    return paginated(arrears_service.arrears_queryset(org.path, today, six_months=six_months), page, page_size, convert)


class ReliefIn(Schema):
    member_id: int
    kind: str
    amount: Decimal | None = None
    from_month: str
    to_month: str
    reason: str


class DecideIn(Schema):
    approve: bool
    note: str = ""


class ReliefOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    kind: str
    amount: Decimal
    from_month: datetime.date
    to_month: datetime.date
    reason: str
    state: str
    approval_note: str


def _relief_out(r):
    return {
        "id": r.pk, "member_id": r.member_id, "member_name": r.member.name, "org_id": r.org_id, "kind": r.kind, "amount": r.amount,
        "from_month": r.from_month, "to_month": r.to_month, "reason": r.reason, "state": r.state, "approval_note": r.approval_note,
    }


class ReliefPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ReliefOut]


@router.get("/reliefs", response=ReliefPage, summary="党费减免申请")
def list_reliefs(request, state: str = "", page: int = 1, page_size: int = 50):
    qs = DuesRelief.objects.visible_to(request.user).select_related("member")
    if state in DuesRelief.State.values:
        qs = qs.filter(state=state)
    return paginated(qs, page, page_size, lambda rows: [_relief_out(r) for r in rows])


@router.post("/reliefs", response={201: ReliefOut, 403: ErrorOut, 422: ErrorOut}, summary="支部决定党费减免，报上级审批")
def propose_relief(request, payload: ReliefIn):
    member = _member(request, payload.member_id)
    return Status(201, _relief_out(services.propose_relief(request.user, member, payload.model_dump(exclude={"member_id"}))))


@router.post("/reliefs/{relief_id}/decide", response={200: ReliefOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, summary="上级党组织审批党费减免")
def decide_relief(request, relief_id: int, payload: DecideIn):
    relief = get_object_or_404(DuesRelief.objects.visible_to(request.user).select_related("member"), pk=relief_id)
    return _relief_out(services.decide_relief(request.user, relief, approve=payload.approve, note=payload.note))
