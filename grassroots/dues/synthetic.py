"""Demo data for dues (called by grassroots.dataset.generator.load for the demo scale): declarations and the last
twelve months of records for the members of the two demo branches (branch_a_sj, branch_b_sj); most paid on time,
a few behind, and one member with more than six months unpaid. Bulk-inserted, no audit rows per record."""

import datetime
import random
from decimal import Decimal

from grassroots.accounts.models import RoleAssignment
from grassroots.members.models import Member

from . import rules
from .models import DuesDeclaration, DuesPayment
from .rules import Category

DEMO_SECRETARIES = ("branch_a_sj", "branch_b_sj")


def demo_branches():
    return [a.org for a in RoleAssignment.objects.filter(user__username__in=DEMO_SECRETARIES).select_related("org").order_by("org__path")]


def _category(member, rng):
    if not member.in_service or member.occupation == "retired":
        return Category.RETIRED, Decimal(rng.randrange(3000, 7000, 10))
    if member.occupation == "farmer":
        return Category.FARMER, None
    if member.occupation == "student":
        return Category.STUDENT, None
    return Category.EMPLOYED, Decimal(rng.randrange(2500, 12500, 10))


def generate_demo(today, seed, log):
    rng = random.Random(f"{seed}-dues")
    this_month = rules.month_start(today)
    first = rules.add_months(this_month, -11)
    declarations, payments = [], []
    branches = demo_branches()
    for branch in branches:
        members = list(Member.objects.in_register().filter(org_path__startswith=branch.path).order_by("org_path", "id"))
        behind = {m.pk: rng.randint(1, 3) for m in rng.sample(members, min(3, len(members)))}
        candidates = [m for m in members if m.user_id is None and m.pk not in behind and rules.first_due_month(m.joined_on) <= first]
        if candidates and branch == branches[0]:
            behind[rng.choice(candidates).pk] = 7  # more than six consecutive months unpaid
        for m in members:
            category, base = _category(m, rng)
            start = max(first, rules.first_due_month(m.joined_on))
            amount = rules.monthly_amount(category, base, day=start, fixed_amount=Decimal("0.50") if category == Category.FARMER else None)
            years = sorted({start.year, this_month.year})
            for year in years:
                effective = max(start, datetime.date(year, 1, 1))
                declarations.append(DuesDeclaration(
                    member=m, org=branch, org_path=branch.path, year=year, category=category, base=base, amount=amount,
                    effective_from=effective, declared_on=effective, note="（演示数据）",
                ))
            unpaid_from = rules.add_months(this_month, -behind[m.pk]) if m.pk in behind else None
            month = start
            while month <= this_month:
                paid = unpaid_from is None or month < unpaid_from
                if month == this_month and rng.random() < 0.4:
                    paid = False  # this month is still being collected
                paid_on = None
                if paid:
                    last_day = min(rules.month_end(month), today)
                    paid_on = month + datetime.timedelta(days=rng.randint(0, (last_day - month).days))
                payments.append(DuesPayment(
                    member=m, org=branch, org_path=branch.path, month=month, amount_due=amount, amount_paid=amount if paid else 0,
                    paid_on=paid_on, method=rng.choice(["cash", "transfer", "online"]) if paid else "", by_proxy=paid and rng.random() < 0.05,
                ))
                month = rules.add_months(month, 1)
    DuesDeclaration.objects.bulk_create(declarations, ignore_conflicts=True)
    DuesPayment.objects.bulk_create(payments, batch_size=2000, ignore_conflicts=True)
    log(f"已写入党费核定 {len(declarations):,} 条、收缴记录 {len(payments):,} 条")
