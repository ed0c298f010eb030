"""Every change to dues goes through these functions: declare a base, collect a month, propose and approve a
hardship reduction or exemption. Each checks scope and the rules, runs in one transaction and writes the audit."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core import audit, notifications, scoping
from grassroots.core.errors import PermissionDenied, ValidationError
from grassroots.core.roles import MANAGING_ROLES
from grassroots.members.models import Member
from grassroots.orgs import summaries
from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization

from . import rules
from .models import DuesDeclaration, DuesPayment, DuesRelief
from .rules import Category

DECLARATION_FIELDS = ["member", "org", "year", "category", "base", "amount", "effective_from", "declared_on", "note"]
PAYMENT_FIELDS = ["amount_due", "amount_paid", "paid_on", "method", "receipt_no", "by_proxy", "back_pay", "exempt"]
RELIEF_FIELDS = ["member", "kind", "amount", "from_month", "to_month", "reason", "state", "approval_note"]


def branch_of(org):
    """The branch that holds a member's relationship and collects their dues (a group's parent branch)."""
    if org.kind == Kind.GROUP:
        return Organization.objects.get(path=org.parent_path)
    return org


def require_branch(org):
    if org.kind not in BRANCH_KINDS:
        raise ValidationError("党费由党支部收缴：请选择一个党支部")


def _require_manage(actor, org):
    if not scoping.can_manage_org(actor, org):
        raise PermissionDenied("您没有管理该党组织党费的权限")


def decimal_or_error(value, errors, field, label):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = f"{label}不是有效的金额"
        return None
    if not number.is_finite():
        errors[field] = f"{label}不是有效的金额"
        return None
    if number < 0:
        errors[field] = f"{label}不能为负数"
        return None
    if number >= Decimal("100000000"):
        errors[field] = f"{label}过大"
        return None
    return number


# ---- amounts ---------------------------------------------------------------------------------------------


def declarations_by_member(member_ids):
    """{member id: [declarations, newest effective month first]} in one query."""
    result = {}
    for d in DuesDeclaration.objects.filter(member_id__in=member_ids).order_by("member_id", "-effective_from", "-id"):
        result.setdefault(d.member_id, []).append(d)
    return result


def approved_reliefs_by_member(member_ids):
    result = {}
    for r in DuesRelief.objects.filter(member_id__in=member_ids, state=DuesRelief.State.APPROVED).order_by("-approved_at"):
        result.setdefault(r.member_id, []).append(r)
    return result


def declaration_for(declarations, month):
    """The declaration in effect in `month` (the newest that took effect on or before it)."""
    for d in declarations or ():
        if d.effective_from <= month:
            return d
    return None


def due_for(member, month, declarations, reliefs):
    """(amount due, exempt) of a member for a month; None when nothing is owed (not yet a member, no declaration)."""
    if month < rules.first_due_month(member.joined_on):
        return None
    declaration = declaration_for(declarations, month)
    if declaration is None:
        return None
    for relief in reliefs or ():
        if relief.covers(month):
            if relief.kind == DuesRelief.Kind.EXEMPT:
                return Decimal("0.00"), True
            return relief.amount, False
    return declaration.amount, False


def branch_roll(branch, month):
    """Members on the register of the branch (its groups included) who had joined by the end of `month`."""
    return (
        Member.objects.in_register()
        .filter(org_path__startswith=branch.path, joined_on__lte=rules.month_end(month))
        .select_related("org")
        .order_by("org_path", "initials", "id")
    )


# ---- declarations ----------------------------------------------------------------------------------------


@transaction.atomic
def declare(actor, member, data):
    """Record a member's declared base for a year (the amount is fixed for the year; a change of pay is a new
    declaration effective from a month). `data`: year, category, base, fixed_amount (farmers), effective_from, note."""
    branch = branch_of(member.org)
    _require_manage(actor, branch)
    errors = {}
    today = timezone.localdate()
    category = data.get("category")
    if category not in Category.values:
        errors["category"] = "请选择交纳类别"
    base = decimal_or_error(data.get("base"), errors, "base", "计算基数")
    fixed = decimal_or_error(data.get("fixed_amount"), errors, "fixed_amount", "交纳金额")
    if category in rules.BASED_CATEGORIES and base is None and "base" not in errors:
        errors["base"] = "在职和离退休党员须填写月计算基数（税后工资收入或基本离退休费）"
    if category == Category.FARMER and fixed is not None:
        fixed = rules.money(fixed)
        message = rules.farmer_amount_error(fixed)
        if message:
            errors["fixed_amount"] = message
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not rules.FIRST_YEAR <= year <= today.year + 1:
        errors["year"] = "请填写有效的年度"
    effective_from = data.get("effective_from")
    if isinstance(effective_from, str):
        try:
            effective_from = rules.parse_month(effective_from)
        except ValueError:
            effective_from = None
    if effective_from is None:
        if year and "year" not in errors:
            # A member's first declaration made during the current year starts this month: the months before it
            # were collected off the platform, and defaulting to January would show them as unpaid at once.
            first = datetime.date(year, 1, 1)
            if year == today.year and not DuesDeclaration.objects.filter(member=member).exists():
                first = rules.month_start(today)
            effective_from = max(first, rules.first_due_month(member.joined_on))
        else:
            errors.setdefault("effective_from", "请填写起交月份")
    else:
        effective_from = rules.month_start(effective_from)
        if year and effective_from.year != year:
            errors["effective_from"] = "起交月份须在申报年度内"
        elif effective_from < rules.first_due_month(member.joined_on):
            errors["effective_from"] = "起交月份早于入党（预备党员被接收）的月份"
    if errors:
        raise ValidationError(errors)
    if category not in rules.BASED_CATEGORIES:
        base = None
    amount = rules.monthly_amount(category, base, day=effective_from, fixed_amount=fixed if category == Category.FARMER else None)
    existing = DuesDeclaration.objects.filter(member=member, effective_from=effective_from).first()
    before = audit.snapshot(existing, DECLARATION_FIELDS) if existing else None
    declaration = existing or DuesDeclaration(member=member, effective_from=effective_from)
    declaration.org, declaration.org_path = branch, branch.path
    declaration.year, declaration.category, declaration.base, declaration.amount = year, category, base, amount
    declaration.declared_on, declaration.approved_by, declaration.note = today, actor, (data.get("note") or "")[:200]
    declaration.save()
    # Months already opened from here on and not yet paid now owe the new amount (until a later declaration).
    later = DuesDeclaration.objects.filter(member=member, effective_from__gt=effective_from).order_by("effective_from").first()
    open_rows = DuesPayment.objects.filter(member=member, month__gte=effective_from, paid_on__isnull=True, exempt=False)
    if later:
        open_rows = open_rows.filter(month__lt=later.effective_from)
    reliefs = approved_reliefs_by_member([member.pk]).get(member.pk)
    for row in open_rows:
        due = due_for(member, row.month, [declaration], reliefs)
        if due is not None and row.amount_due != due[0]:
            row.amount_due = due[0]
            row.save(update_fields=["amount_due", "updated_at"])
    audit.record(
        audit.Action.UPDATE if existing else audit.Action.CREATE, declaration, before=before,
        after=audit.snapshot(declaration, DECLARATION_FIELDS), org_path=branch.path, actor=actor, note="党费基数申报",
    )
    return declaration


@transaction.atomic
def carry_over(actor, branch, year):
    """The yearly re-declaration in one step: every member of the branch without a declaration for `year` gets one
    from their latest declaration (same category and base, amount recomputed with the rate table in force on
    1 January), effective from January (or the month they joined). Returns the declarations created."""
    require_branch(branch)
    _require_manage(actor, branch)
    today = timezone.localdate()
    if not rules.FIRST_YEAR < year <= today.year + 1:
        raise ValidationError({"year": "请填写有效的年度"})
    start = datetime.date(year, 1, 1)
    roll = list(branch_roll(branch, datetime.date(year, 12, 1)))
    ids = [m.pk for m in roll]
    declared_this_year = set(DuesDeclaration.objects.filter(member_id__in=ids, year=year).values_list("member_id", flat=True))
    latest = {}
    for d in DuesDeclaration.objects.filter(member_id__in=ids, year__lt=year).order_by("member_id", "-effective_from", "-id"):
        latest.setdefault(d.member_id, d)
    created = []
    for m in roll:
        previous = latest.get(m.pk)
        if m.pk in declared_this_year or previous is None:
            continue
        effective = max(start, rules.first_due_month(m.joined_on))
        fixed = previous.amount if previous.category == Category.FARMER else None
        amount = rules.monthly_amount(previous.category, previous.base, day=effective, fixed_amount=fixed)
        created.append(DuesDeclaration(
            member=m, org=branch, org_path=branch.path, year=year, category=previous.category, base=previous.base, amount=amount,
            effective_from=effective, declared_on=today, approved_by=actor, note=f"沿用{previous.year}年基数",
        ))
    DuesDeclaration.objects.bulk_create(created)
    summaries.touch([branch.path])  # bulk_create sends no signal (grassroots/orgs/summaries.py)
    audit.record(audit.Action.CREATE, branch, actor=actor, org_path=branch.path,
                 note=f"沿用上年基数核定{year}年党费：{len(created)}人")
    return created


# ---- collection ------------------------------------------------------------------------------------------


def open_month(branch, month):
    """Create the month's record (amount due, nothing paid yet) for every member of the branch who owes dues
    for it. Idempotent; returns the number created."""
    roll = list(branch_roll(branch, month))
    ids = [m.pk for m in roll]
    declarations = declarations_by_member(ids)
    reliefs = approved_reliefs_by_member(ids)
    rows = []
    for m in roll:
        due = due_for(m, month, declarations.get(m.pk), reliefs.get(m.pk))
        if due is None:
            continue
        rows.append(DuesPayment(member=m, org=branch, org_path=branch.path, month=month, amount_due=due[0], exempt=due[1]))
    created = DuesPayment.objects.bulk_create(rows, ignore_conflicts=True)
    summaries.touch([branch.path])  # bulk_create sends no signal (grassroots/orgs/summaries.py)
    return len(created)


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return "invalid"


def _months_of(entry):
    try:
        n = int(entry.get("months") or 1)
    except (TypeError, ValueError):
        return None
    return n if 1 <= n <= rules.ADVANCE_MAX_MONTHS else None


@transaction.atomic
def collect(actor, branch, month, entries):
    """Record the month's payments of a branch. `entries` maps member id -> {amount_paid, paid_on, method,
    receipt_no, by_proxy, months}; an entry with an empty amount is left as it is, 0 clears a payment; `months`
    (1 to 3) pays this month and the following ones at once (quarterly payment), the amount covering all of them.
    All rows are checked first: on any error nothing is saved. Errors are keyed "<field>-<member id>".
    Returns the records changed."""
    require_branch(branch)
    _require_manage(actor, branch)
    month = rules.month_start(month)
    today = timezone.localdate()
    if month > rules.add_months(rules.month_start(today), rules.ADVANCE_MAX_MONTHS - 1):
        raise ValidationError({"month": f"预交党费最多按季度（{rules.ADVANCE_MAX_MONTHS} 个月）交纳"})
    span = max([_months_of(e) or 1 for e in entries.values()] or [1])
    covered_months = [rules.add_months(month, k) for k in range(span)]
    for m in covered_months:
        open_month(branch, m)
    records = {
        (p.member_id, p.month): p
        for p in DuesPayment.objects.filter(org=branch, month__in=covered_months).select_related("member")
    }
    errors = {}
    changes = []
    for raw_id, entry in entries.items():
        member_id = int(raw_id)
        record = records.get((member_id, month))
        if record is None:
            errors[f"amount_paid-{member_id}"] = "该党员本月无应交党费（不在本支部、尚未入党或尚未申报基数）"
            continue
        field_errors = {}
        amount = decimal_or_error(entry.get("amount_paid"), field_errors, f"amount_paid-{member_id}", "实交金额")
        paid_on = _parse_date(entry.get("paid_on"))
        if paid_on == "invalid":
            field_errors[f"paid_on-{member_id}"] = "请输入有效日期"
            paid_on = None
        method = entry.get("method") or ""
        if method and method not in DuesPayment.Method.values:
            field_errors[f"method-{member_id}"] = "请选择交纳方式"
        months = _months_of(entry)
        if months is None:
            field_errors[f"months-{member_id}"] = f"一次交纳 1 至 {rules.ADVANCE_MAX_MONTHS} 个月"
        if field_errors:
            errors.update(field_errors)
            continue
        if amount is None:
            continue  # left blank: unchanged
        amount = rules.money(amount)
        if amount == 0:
            new = {"amount_paid": Decimal("0.00"), "paid_on": None, "method": "", "receipt_no": "", "by_proxy": False, "back_pay": False}
            if any(getattr(record, k) != v for k, v in new.items()):
                changes.append((record, new))
            continue
        paid_on = paid_on or today
        span_records = [records.get((member_id, m)) for m in covered_months[:months]]
        last = covered_months[months - 1]
        due = sum((r.amount_due for r in span_records if r is not None), Decimal("0.00"))
        message = None
        if paid_on > today:
            message = ("paid_on", "交纳日期不能晚于今天")
        elif rules.back_pay_error(month, paid_on):
            message = ("paid_on", rules.back_pay_error(month, paid_on))
        elif rules.advance_error(last, paid_on):
            message = ("months", rules.advance_error(last, paid_on))
        elif any(r is None for r in span_records):
            message = ("months", "所选月份中有该党员无应交党费的月份")
        elif any(r.paid_on is not None for r in span_records[1:]):
            message = ("months", "所选月份中有已交纳的月份")
        elif amount < due:
            what = "应交金额" if months == 1 else f"{months} 个月应交合计"
            message = ("amount_paid", f"实交金额少于{what} {due} 元（少交须经批准减免）")
        if message:
            errors[f"{message[0]}-{member_id}"] = message[1]
            continue
        common = {
            "paid_on": paid_on, "method": method or DuesPayment.Method.CASH, "receipt_no": (entry.get("receipt_no") or "").strip()[:40],
            "by_proxy": bool(entry.get("by_proxy")),
        }
        for k, r in enumerate(span_records):
            # each month gets its due; a voluntary extra goes to the last month paid
            paid = r.amount_due + (amount - due if k == months - 1 else 0)
            new = {**common, "amount_paid": paid, "back_pay": rules.is_back_pay(r.month, paid_on)}
            if any(getattr(r, key) != v for key, v in new.items()):
                changes.append((r, new))
    if errors:
        raise ValidationError(errors)
    for record, new in changes:
        before = audit.snapshot(record, PAYMENT_FIELDS)
        for k, v in new.items():
            setattr(record, k, v)
        record.recorded_by = actor
        record.save()
        audit.record(
            audit.Action.UPDATE, record, before=before, after=audit.snapshot(record, PAYMENT_FIELDS), org_path=branch.path,
            actor=actor, note=f"登记{record.month:%Y年%m月}党费",
        )
    return [record for record, _new in changes]


# ---- hardship reductions and exemptions --------------------------------------------------------------------


def _approvers(branch):
    """Users who manage the branch's parent organization (the next level that approves)."""
    parent_path = branch.parent_path
    return list(
        RoleAssignment.objects.active().filter(org__path=parent_path, role__in=MANAGING_ROLES).values_list("user_id", flat=True)
    )


@transaction.atomic
def propose_relief(actor, member, data):
    """The branch decides that a member in hardship pays less or nothing for some months; the next level approves."""
    branch = branch_of(member.org)
    _require_manage(actor, branch)
    errors = {}
    kind = data.get("kind")
    if kind not in DuesRelief.Kind.values:
        errors["kind"] = "请选择少交或免交"
    amount = decimal_or_error(data.get("amount"), errors, "amount", "减免后月交纳额")
    from_month, to_month = data.get("from_month"), data.get("to_month")
    for field, value in (("from_month", from_month), ("to_month", to_month)):
        if isinstance(value, str):
            try:
                value = rules.parse_month(value)
            except ValueError:
                value = None
        if value is None:
            errors[field] = "请填写月份"
        elif field == "from_month":
            from_month = rules.month_start(value)
        else:
            to_month = rules.month_start(value)
    if "from_month" not in errors and "to_month" not in errors and to_month < from_month:
        errors["to_month"] = "截止月份不能早于起始月份"
    if kind == DuesRelief.Kind.REDUCE and amount is None and "amount" not in errors:
        errors["amount"] = "少交须填写减免后的月交纳额"
    reason = (data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = "请填写党员的困难情况"
    if errors:
        raise ValidationError(errors)
    amount = rules.money(amount) if kind == DuesRelief.Kind.REDUCE else Decimal("0.00")
    relief = DuesRelief.objects.create(
        member=member, org=branch, org_path=branch.path, kind=kind, amount=amount, from_month=from_month, to_month=to_month,
        reason=reason[:500], decided_by=actor,
    )
    audit.record(audit.Action.CREATE, relief, after=audit.snapshot(relief, RELIEF_FIELDS), org_path=branch.path, actor=actor, note="支部决定党费减免")
    from django.urls import reverse

    notifications.notify(
        _approvers(branch), title=f"{branch.short_name or branch.name}报请批准党费{relief.get_kind_display()}：{member.name}",
        body=reason, link=reverse("dues:reliefs"), kind=notifications.Kind.DUES, org_path=branch.path,
    )
    return relief


def can_approve_relief(user, relief):
    step = Organization.steplen
    parent_path = relief.org_path[:-step] if len(relief.org_path) > step else relief.org_path
    return scoping.covers(scoping.manage_paths(user), parent_path) and relief.state == DuesRelief.State.PENDING


@transaction.atomic
def decide_relief(actor, relief, *, approve, note=""):
    """The next level approves (or refuses) a branch's reduction or exemption. Approved: the months it covers owe
    the reduced amount (or nothing), and count as a proper reason in the arrears checks."""
    relief = DuesRelief.objects.select_for_update().get(pk=relief.pk)
    branch = Organization.objects.get(pk=relief.org_id)
    parent = Organization.objects.filter(path=branch.parent_path).first()
    if parent is None or not scoping.can_manage_org(actor, parent):
        raise PermissionDenied("党费减免须由上级党组织审批")
    if relief.state != DuesRelief.State.PENDING:
        raise ValidationError("该申请已审批")
    if not approve and not (note or "").strip():
        raise ValidationError({"approval_note": "不批准时请填写理由"})
    before = audit.snapshot(relief, RELIEF_FIELDS)
    relief.state = DuesRelief.State.APPROVED if approve else DuesRelief.State.REJECTED
    relief.approved_by, relief.approved_at, relief.approval_note = actor, timezone.now(), (note or "")[:500]
    relief.save()
    if approve:
        rows = DuesPayment.objects.filter(member_id=relief.member_id, month__gte=relief.from_month, month__lte=relief.to_month)
        rows.filter(paid_on__isnull=True).update(
            amount_due=relief.amount, exempt=relief.kind == DuesRelief.Kind.EXEMPT, updated_at=timezone.now()
        )
        summaries.touch([relief.org_path])  # QuerySet.update sends no signal
    audit.record(
        audit.Action.APPROVE if approve else audit.Action.REJECT, relief, before=before, after=audit.snapshot(relief, RELIEF_FIELDS),
        org_path=relief.org_path, actor=actor, note=note,
    )
    if relief.decided_by_id:
        from django.urls import reverse

        notifications.notify(
            [relief.decided_by_id], title=f"党费{relief.get_kind_display()}{relief.get_state_display()}：{relief.member.name}",
            body=note, link=reverse("dues:reliefs"), kind=notifications.Kind.DUES, org_path=relief.org_path,
        )
    return relief


def open_months_everywhere(month):
    """Open `month` for every active branch (the monthly cron): returns the number of records created."""
    created = 0
    for branch in Organization.objects.filter(kind__in=BRANCH_KINDS, is_active=True).iterator():
        created += open_month(branch, month)
    return created


def unpaid_q():
    from django.db.models import F

    return Q(exempt=False) & (Q(paid_on__isnull=True) | Q(amount_paid__lt=F("amount_due")))
