"""The guarantee items and how a reported figure is compared with a standard.

RULES.md (基础保障): no official definition of 一定三有 / 三有一化 exists, so the platform invents no rule: each city
or district enters its own dated standards (Standard rows) and a figure is compared with the standard valid on the
check's reference date. A local practice number of this app (the days given to fix a shortfall) is a setting."""

from decimal import Decimal

from django.conf import settings

# item key -> (label, unit, kind, applies to). kind: "money" (元/年: the gap is money), "ratio" (a percent: the gap is
# the percentage points), "area" (平方米), "yes" (有/无). applies to: "rural", "community" or "both".
ITEMS = {
    "work_funds": ("村（社区）工作经费列入财政预算", "元/年", "money", "both"),
    "secretary_pay": ("村党组织书记报酬（对照上年度当地农村居民人均可支配收入）", "元/年", "money", "rural"),
    "staff_pay": ("社区工作者报酬（对照当地社会平均工资）", "元/年", "money", "community"),
    "pension": ("养老保险", "", "yes", "both"),
    "medical": ("医疗保险", "", "yes", "both"),
    "venue_area": ("党群服务中心（活动场所）面积", "平方米", "area", "both"),
    "venue_facilities": ("活动场所设施齐全", "", "yes", "both"),
    "service_funds": ("服务群众专项经费", "元/年", "money", "both"),
    "dues_share": ("县级留存党费下拨村（社区）比例", "%", "ratio", "both"),
}
ITEM_CHOICES = [(k, v[0]) for k, v in ITEMS.items()]
KIND_MONEY, KIND_RATIO, KIND_AREA, KIND_YES = "money", "ratio", "area", "yes"
CENT = Decimal("0.01")


def item_label(key):
    return ITEMS[key][0]


def item_kind(key):
    return ITEMS[key][2]


def items_for(category):
    """The item keys that apply to an organization of `category` ("rural" or "community")."""
    return [k for k, v in ITEMS.items() if v[3] in ("both", category)]


def required(floor, ratio, base):
    """The required value of a standard: the larger of the floor and ratio × base (either may be absent), exact
    Decimal to the cent. E.g. a secretary's pay: ratio 1.2 × last year's rural per-capita income 42,000 = 50,400."""
    values = [Decimal(floor)] if floor is not None else []
    if ratio is not None and base is not None:
        values.append((Decimal(ratio) * Decimal(base)).quantize(CENT))
    return max(values) if values else None


def shortfall(kind, required_value, value, present):
    """(met, gap): whether the figure meets the standard, and how far short it is (Decimal, 0 when met; money
    items give the money gap, a yes/no item gives None)."""
    if kind == KIND_YES:
        return bool(present), None
    if required_value is None:
        return True, Decimal(0)
    value = Decimal(value or 0)
    gap = max(Decimal(required_value) - value, Decimal(0))
    return gap == 0, gap


def fix_days():
    # Local practice: a shortfall found in the yearly check is to be fixed within 90 days (default set 2026-12-03,
    # no national number; a city may change it).
    return int(getattr(settings, "GRASSROOTS_GUARANTEE_FIX_DAYS", 90))


def standard_max_depth():
    # Standards and yearly checks are set by a city (the tree's root, depth 1) or a district/county (depth 2): the
    # organization tree has no level field, so the depth is the level (default 2026-12-03, for a tree rooted at the
    # city committee; a province-rooted deployment sets 3).
    return int(getattr(settings, "GRASSROOTS_GUARANTEE_STANDARD_MAX_DEPTH", 2))
