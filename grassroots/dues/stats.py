"""Totals of dues rolling up the tree: due, paid and arrears per organization, by SQL aggregation."""

from decimal import Decimal

from django.db.models import Q

from grassroots.orgs import summaries
from grassroots.orgs.models import Organization

from . import rules
from .models import DuesPayment
from .rollups import SIX_MONTHS, YEAR

ZERO = Decimal("0.00")


def _finish(row):
    row["due"] = rules.money(row["due"])
    row["paid"] = rules.money(row["paid"])
    row["arrears"] = rules.money(max(row["due"] - row["paid"], ZERO))
    row["percent"] = int(row["paid"] * 100 / row["due"]) if row["due"] else None
    return row


def _yuan(fen):
    return rules.money(Decimal(fen) / 100)


def _from_figures(values):
    return {"due": _yuan(values.get("due", 0)), "paid": _yuan(values.get("paid", 0)),
            "unpaid_records": values.get("unpaid_records", 0), "records": values.get("records", 0)}


def summary(org, year, today):
    """(total for the subtree, [one row per direct child organization that is not a group]) from the roll-up
    `dues.year` (grassroots/dues/rollups.py: kept for the city, the districts and the townships, counted live
    below; records sit on branches, never above)."""
    total, by_prefix = summaries.breakdown(YEAR, org.path, today, key=str(year))
    children = list(Organization.objects.children_of(org).exclude(kind="group").order_by("path"))
    rows = [{"org": child, **_finish(_from_figures(by_prefix.get(child.path, {})))} for child in children]
    return _finish(_from_figures(total)), rows


def monthly(org, year, today):
    """[{month: 1..12, due, paid}] of the subtree for the chart (the same roll-up)."""
    values = summaries.figures(YEAR, org.path, today, key=str(year))
    return [{"month": m, "due": _yuan(values.get(f"due:{m}", 0)), "paid": _yuan(values.get(f"paid:{m}", 0))} for m in range(1, 13)]


def six_months_count(org, today):
    """Members of the subtree unpaid for six months in a row without a proper reason (the roll-up `dues.six_months`)."""
    return summaries.figures(SIX_MONTHS, org.path, today).get("members", 0)


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
