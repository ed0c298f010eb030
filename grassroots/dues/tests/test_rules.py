"""The 2008 rate tables at every tier boundary, and money rounded to the fen half up."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from grassroots.dues import rules
from grassroots.dues.rules import Category

D = Decimal


@pytest.mark.parametrize(
    ("category", "base", "amount"),
    [
        # employed: the rate applies to the whole base
        (Category.EMPLOYED, "0", "0.00"),
        (Category.EMPLOYED, "3000.00", "15.00"),   # 0.5 %
        (Category.EMPLOYED, "3000.01", "30.00"),   # 1 % from here
        (Category.EMPLOYED, "5000", "50.00"),
        (Category.EMPLOYED, "5000.01", "75.00"),   # 1.5 %
        (Category.EMPLOYED, "10000", "150.00"),
        (Category.EMPLOYED, "10000.01", "200.00"),  # 2 %
        (Category.EMPLOYED, "25000", "500.00"),
        # retired (basic pension)
        (Category.RETIRED, "5000", "25.00"),       # 0.5 %
        (Category.RETIRED, "5000.01", "50.00"),    # 1 %
        (Category.RETIRED, "2500", "12.50"),
    ],
)
def test_income_based_tiers(category, base, amount):
    assert rules.monthly_amount(category, D(base), day=datetime.date(2026, 1, 1)) == D(amount)


@pytest.mark.parametrize(
    ("base", "amount"),
    [
        ("2997", "14.99"),     # 14.985 -> half up 14.99 (half even would give 14.98)
        ("2999", "15.00"),     # 14.995 -> 15.00
        ("3500.50", "35.01"),  # 35.005 -> 35.01
        ("4999.99", "50.00"),  # 49.9999 -> 50.00
        ("6000.30", "90.00"),  # 90.0045 -> 90.00
        ("6000.34", "90.01"),  # 90.0051 -> 90.01
    ],
)
def test_rounding_to_the_fen_half_up(base, amount):
    assert rules.monthly_amount(Category.EMPLOYED, D(base), day=datetime.date(2026, 1, 1)) == D(amount)


def test_money_rounds_half_up():
    assert rules.money(D("0.125")) == D("0.13")
    assert rules.money(D("0.135")) == D("0.14")
    assert rules.money(D("0.124")) == D("0.12")
    assert rules.money(D("-0.125")) == D("-0.13")
    assert rules.money(1.005) == D("1.01")  # the float 1.005 is 1.00499999… in binary; read as written


@pytest.mark.parametrize("category", [Category.STUDENT, Category.UNEMPLOYED, Category.RELIEF])
def test_fixed_small_amounts(category):
    assert rules.monthly_amount(category) == D("0.20")
    assert rules.monthly_amount(category, D("99999")) == D("0.20")  # the base does not matter


def test_farmer_amount_defaults_and_range():
    assert rules.monthly_amount(Category.FARMER) == D("0.50")
    assert rules.monthly_amount(Category.FARMER, fixed_amount=D("0.20")) == D("0.20")
    assert rules.monthly_amount(Category.FARMER, fixed_amount=D("1.00")) == D("1.00")
    assert rules.farmer_amount_error(D("0.19"))
    assert rules.farmer_amount_error(D("1.01"))
    assert rules.farmer_amount_error(D("0.20")) is None
    assert rules.farmer_amount_error(D("1.00")) is None
    with pytest.raises(ValueError):
        rules.monthly_amount(Category.FARMER, fixed_amount=D("1.50"))


@override_settings(GRASSROOTS_DUES_FARMER_AMOUNT="1.00")
def test_farmer_default_is_a_setting():
    assert rules.monthly_amount(Category.FARMER) == D("1.00")


def test_rate_tables_are_versioned(monkeypatch):
    revised = rules.RateTable(
        source="假设的修订", effective_from=datetime.date(2030, 1, 1),
        tiers={Category.EMPLOYED: [(None, D("0.01"))], Category.RETIRED: [(None, D("0.01"))]},
        fixed={Category.STUDENT: D("0.50"), Category.UNEMPLOYED: D("0.20"), Category.RELIEF: D("0.20")},
    )
    monkeypatch.setattr(rules, "RATE_TABLES", [*rules.RATE_TABLES, revised])
    assert rules.monthly_amount(Category.EMPLOYED, D("20000"), day=datetime.date(2029, 12, 1)) == D("400.00")
    assert rules.monthly_amount(Category.EMPLOYED, D("20000"), day=datetime.date(2030, 1, 1)) == D("200.00")
    assert rules.monthly_amount(Category.STUDENT, day=datetime.date(2030, 1, 1)) == D("0.50")
    assert rules.table_for(datetime.date(2026, 5, 1)).source.startswith("关于中国共产党党费收缴")


@pytest.mark.parametrize(
    ("month", "paid_on", "refused"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 7, 31), False),  # Jan paid in July: 6 months of back pay
        (datetime.date(2026, 1, 1), datetime.date(2026, 8, 1), True),    # in August: more than 6
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 15), False),
    ],
)
def test_back_pay_limit(month, paid_on, refused):
    assert bool(rules.back_pay_error(month, paid_on)) is refused


@pytest.mark.parametrize(
    ("month", "paid_on", "refused"),
    [
        (datetime.date(2026, 3, 1), datetime.date(2026, 1, 10), False),  # a quarter in advance
        (datetime.date(2026, 4, 1), datetime.date(2026, 1, 10), True),
    ],
)
def test_advance_payment_limit(month, paid_on, refused):
    assert bool(rules.advance_error(month, paid_on)) is refused


def test_months():
    assert rules.add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert rules.months_between(datetime.date(2025, 11, 1), datetime.date(2026, 2, 1)) == 4
    assert rules.last_complete_month(datetime.date(2026, 3, 1)) == datetime.date(2026, 2, 1)
    assert rules.first_due_month(datetime.date(2026, 1, 5)) == datetime.date(2026, 1, 1)
    assert rules.is_back_pay(datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    assert not rules.is_back_pay(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
