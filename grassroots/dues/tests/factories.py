"""Test helpers: declarations and month records written straight to the tables."""

import datetime
from decimal import Decimal

from django.utils import timezone

from grassroots.dues import rules
from grassroots.dues.models import DuesDeclaration, DuesPayment


def this_month():
    return rules.month_start(timezone.localdate())


def months_ago(n):
    return rules.add_months(this_month(), -n)


def declared(member, branch, amount="30.00", since=datetime.date(2020, 1, 1), category="employed", base="3000.01"):
    return DuesDeclaration.objects.create(
        member=member, org=branch, org_path=branch.path, year=since.year, category=category, base=Decimal(base) if base else None,
        amount=Decimal(amount), effective_from=since, declared_on=since,
    )


def record(member, branch, month, due="30.00", paid=None, paid_on=None, exempt=False):
    return DuesPayment.objects.create(
        member=member, org=branch, org_path=branch.path, month=month, amount_due=Decimal(due), amount_paid=Decimal(paid or "0"),
        paid_on=paid_on, exempt=exempt,
    )
