"""Totals of dues rolling up the tree: due, paid and arrears per organization, by SQL aggregation."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from grassroots.orgs.models import Organization

from . import rules
from .models import DuesPayment
from .services import unpaid_q

ZERO = Decimal("0.00")


def _sums():
    money = DecimalField(max_digits=14, decimal_places=2)
    return {
        "due": Coalesce(Sum("amount_due"), Value(ZERO), output_field=money),
        "paid": Coalesce(Sum("amount_paid"), Value(ZERO), output_field=money),
        "unpaid_records": Count("id", filter=unpaid_q()),
        "records": Count("id"),
    }


def year_rows(org, year, today):
    """Months of `year` up to the current one, in the subtree of `org`."""
    last = min(datetime.date(year, 12, 1), rules.month_start(today))
    return DuesPayment.objects.filter(org_path__startswith=org.path, month__gte=datetime.date(year, 1, 1), month__lte=last)


def _finish(row):
    row["due"] = rules.money(row["due"])
    row["paid"] = rules.money(row["paid"])
    row["arrears"] = rules.money(max(row["due"] - row["paid"], ZERO))
    row["percent"] = int(row["paid"] * 100 / row["due"]) if row["due"] else None
    return row


def summary(org, year, today):
    """(total for the subtree, [one row per direct child organization that is not a group]): one aggregate query
    (the total is the sum of the children's rows when there are children; records sit on branches, never above)."""
    qs = year_rows(org, year, today)
    children = list(Organization.objects.children_of(org).exclude(kind="group").order_by("path"))
    if not children:
        return _finish(qs.aggregate(**_sums())), []
    length = len(org.path) + Organization.steplen
    by_prefix = {
        r["prefix"]: r
        for r in qs.annotate(prefix=Substr("org_path", 1, length)).values("prefix").annotate(**_sums()).order_by()
    }
    empty = {"due": ZERO, "paid": ZERO, "unpaid_records": 0, "records": 0}
    total = dict(empty)
    for r in by_prefix.values():  # groups of the org itself included (a general branch's members' groups)
        for k in empty:
            total[k] += r[k]
    rows = [{"org": child, **_finish(dict(by_prefix.get(child.path) or empty))} for child in children]
    return _finish(total), rows


def monthly(org, year, today):
    """[{month: 1..12, due, paid}] of the subtree for the chart (one query)."""
    by_month = {
        r["month"].month: r
        for r in year_rows(org, year, today).values("month").annotate(**_sums()).order_by("month")
    }
    return [
        {"month": m, "due": rules.money(by_month[m]["due"]) if m in by_month else ZERO,
         "paid": rules.money(by_month[m]["paid"]) if m in by_month else ZERO}
        for m in range(1, 13)
    ]


def chart_data(months):
    return {
        "labels": [f"{r['month']}月" for r in months],
        "due": [str(r["due"]) for r in months],
        "paid": [str(r["paid"]) for r in months],
    }


def ledger(branch, year):
    """The branch's yearly ledger (党费收缴台账): one row per member with a cell per month."""
    from grassroots.members.models import Member

    records = DuesPayment.objects.filter(org=branch, month__year=year).order_by("member_id", "month")
    cells = {}
    for p in records:
        cells.setdefault(p.member_id, {})[p.month.month] = p
    members = {
        m.pk: m for m in Member.objects.filter(Q(pk__in=cells.keys())).select_related("org").order_by("org_path", "initials", "id")
    }
    rows = []
    for member_id, member in members.items():
        months = [cells[member_id].get(m) for m in range(1, 13)]
        due = sum((p.amount_due for p in months if p), ZERO)
        paid = sum((p.amount_paid for p in months if p), ZERO)
        rows.append({"member": member, "months": months, "due": due, "paid": paid})
    rows.sort(key=lambda r: (r["member"].org_path, r["member"].initials, r["member"].pk))
    return rows
