"""Rules of Party dues (中组部《关于中国共产党党费收缴、使用和管理的规定》, 2008, 组通字〔2008〕3号).

Rate tables are data: each table is keyed by the regulation it comes from and the date it took effect, so
a revision adds a table with its effective date and the old months keep the old rates. No database access.
Money is Decimal rounded to the fen (0.01), half up.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models

FEN = Decimal("0.01")


def money(value):
    """A Decimal rounded to the fen, half up (0.005 -> 0.01). Floats (a setting written as 0.3) go through str so
    their binary error does not leak in."""
    if isinstance(value, float):
        value = str(value)
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


class Category(models.TextChoices):
    EMPLOYED = "employed", "在职党员（按工资收入）"
    RETIRED = "retired", "离退休党员（按基本离退休费）"
    FARMER = "farmer", "农民党员"
    STUDENT = "student", "学生党员"
    UNEMPLOYED = "unemployed", "下岗失业党员"
    RELIEF = "relief", "依靠抚恤或救济生活、领取最低生活保障金的党员"


@dataclasses.dataclass(frozen=True)
class RateTable:
    """One version of the rates. `tiers[category]` is [(upper bound inclusive or None, rate)], applied to the
    whole base (not marginally); `fixed[category]` is a fixed monthly amount."""

    source: str
    effective_from: datetime.date
    tiers: dict
    fixed: dict


# 2008 规定 第一条、第二条: 在职党员以每月工资收入（税后）为计算基数：3000元以下（含）0.5%，3000-5000元（含）1%，
# 5000-10000元（含）1.5%，10000元以上2%。离退休党员以基本离退休费为基数：5000元以下（含）0.5%，5000元以上1%。
# 农民党员每月交纳0.2元至1元；学生党员、下岗失业党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，
# 每月交纳0.2元。
RATE_TABLES = [
    RateTable(
        source="关于中国共产党党费收缴、使用和管理的规定（2008）",
        effective_from=datetime.date(2008, 4, 1),
        tiers={
            Category.EMPLOYED: [
                (Decimal("3000"), Decimal("0.005")),
                (Decimal("5000"), Decimal("0.01")),
                (Decimal("10000"), Decimal("0.015")),
                (None, Decimal("0.02")),
            ],
            Category.RETIRED: [(Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01"))],
        },
        fixed={Category.STUDENT: Decimal("0.20"), Category.UNEMPLOYED: Decimal("0.20"), Category.RELIEF: Decimal("0.20")},
    ),
]

# The first year the platform accepts: the 2008 规定 (the oldest rate table) took effect in April 2008.
FIRST_YEAR = RATE_TABLES[0].effective_from.year

# 2008 规定: farmers pay 0.2 to 1 yuan a month; the branch chooses within that range.
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")
# Local practice (settings.GRASSROOTS_DUES_FARMER_AMOUNT): the amount a branch uses unless it chooses another.
FARMER_DEFAULT = Decimal("0.50")

# 2008 规定 第十一条: 补交党费一般不超过6个月 (back pay normally covers no more than 6 months).
BACK_PAY_MAX_MONTHS = 6
# Party Constitution (2022) art. 9: 连续六个月不交纳党费 without proper reason -> regarded as 自行脱党.
SIX_MONTHS = 6
# Quarterly advance payment (按季度交纳) is allowed: at most 3 months paid ahead of the current month.
ADVANCE_MAX_MONTHS = 3

# The amount is fixed once a year; a member in hardship may pay less or nothing (branch decides, next level approves).
BASED_CATEGORIES = frozenset({Category.EMPLOYED, Category.RETIRED})


def farmer_default():
    return money(getattr(settings, "GRASSROOTS_DUES_FARMER_AMOUNT", FARMER_DEFAULT))


def table_for(day):
    """The rate table in force on `day` (the latest one that took effect on or before it)."""
    tables = [t for t in RATE_TABLES if t.effective_from <= day]
    if not tables:
        return RATE_TABLES[0]
    return max(tables, key=lambda t: t.effective_from)


def rate_for(category, base, day=None):
    """The rate (a fraction) of an income-based category for a monthly base; None for fixed categories."""
    table = table_for(day or datetime.date.today())
    tiers = table.tiers.get(category)
    if tiers is None:
        return None
    for upper, rate in tiers:
        if upper is None or base <= upper:
            return rate
    raise AssertionError("the last tier has no upper bound")


def farmer_amount_error(amount):
    if amount is None:
        return None
    if not (FARMER_MIN <= amount <= FARMER_MAX):
        return f"农民党员每月交纳 {FARMER_MIN} 元至 {FARMER_MAX} 元"
    return None


def monthly_amount(category, base=None, *, day=None, fixed_amount=None):
    """The monthly dues of a member: base x rate for the employed and retired, rounded to the fen half up;
    the fixed amount otherwise (farmers: `fixed_amount` chosen by the branch, or the setting)."""
    category = Category(category)
    table = table_for(day or datetime.date.today())
    if category in BASED_CATEGORIES:
        if base is None or base < 0:
            raise ValueError("base must be a non-negative Decimal")
        return money(Decimal(base) * rate_for(category, Decimal(base), day))
    if category == Category.FARMER:
        amount = money(fixed_amount) if fixed_amount is not None else farmer_default()
        if farmer_amount_error(amount):
            raise ValueError(farmer_amount_error(amount))
        return amount
    return money(table.fixed[category])


# ---- months ---------------------------------------------------------------------------------------------


def month_start(day):
    return day.replace(day=1)


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    """Whole months from `first` to `last` (both first days), inclusive; 0 if last is before first."""
    return max((last.year - first.year) * 12 + last.month - first.month + 1, 0)


def last_complete_month(today):
    """The first day of the last month that has ended."""
    return add_months(month_start(today), -1)


def month_end(month):
    return add_months(month, 1) - datetime.timedelta(days=1)


def first_due_month(joined_on):
    """Probationary members pay from the month the branch assembly adopted them (2008 规定 第五条)."""
    return month_start(joined_on)


def back_pay_error(month, paid_on):
    """Back pay normally covers no more than 6 months: a payment for a month more than 6 months before the
    month it is paid in is refused."""
    if months_between(month, month_start(paid_on)) - 1 > BACK_PAY_MAX_MONTHS:
        return f"补交党费一般不超过 {BACK_PAY_MAX_MONTHS} 个月，{month:%Y年%m月}的党费已超过补交期限"
    return None


def advance_error(month, paid_on):
    if months_between(month_start(paid_on), month) - 1 >= ADVANCE_MAX_MONTHS:
        return f"预交党费最多按季度（{ADVANCE_MAX_MONTHS} 个月）交纳"
    return None


def is_back_pay(month, paid_on):
    return paid_on is not None and paid_on > month_end(month)


def parse_month(text):
    """"2026-03" -> date(2026, 3, 1); ValueError otherwise."""
    y, m = (int(x) for x in str(text).split("-")[:2])
    return datetime.date(y, m, 1)
