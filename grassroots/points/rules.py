"""Points (积分制管理) and star ratings (评星定级) of members.

No national regulation fixes the numbers: points and stars are local practice (各地党员积分制管理办法). The
defaults below are national-sensible values a city may override with settings, and every organization may set
its own in the platform (PointRule, inherited down the tree). No database access here.
"""

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    MEETING = "meeting", "参加组织生活"
    DUES = "dues", "按时交纳党费"
    SERVICE = "service", "志愿服务"
    ABSENCE = "absence", "无故缺席组织生活"
    DUES_UNPAID = "dues_unpaid", "未按时交纳党费"
    DEDUCTION = "deduction", "其他扣分"
    OTHER = "other", "其他加分"


class Source(models.TextChoices):
    ATTENDANCE = "attendance", "组织生活出席记录"
    PAYMENT = "payment", "党费收缴记录"
    SERVICE_LOG = "service_log", "社区服务记录"  # 双报到: hours confirmed by the community (grassroots.volunteering)
    MANUAL = "manual", "人工登记"


MANUAL_CATEGORIES = (Category.SERVICE, Category.OTHER, Category.DEDUCTION)
NEGATIVE_CATEGORIES = frozenset({Category.ABSENCE, Category.DUES_UNPAID, Category.DEDUCTION})

# Local practice (settings.GRASSROOTS_POINTS_DEFAULTS overrides any of these keys): points per confirmed meeting
# attended, per month of dues paid on time, and the deductions for an absence without leave and an unpaid month.
POINTS_DEFAULTS = {"meeting_present": 2, "dues_on_time": 1, "absent": -2, "dues_unpaid": -1}
# Local practice (settings.GRASSROOTS_STAR_THRESHOLDS): the yearly approved total needed for 1, 2, 3, 4 and 5 stars.
STAR_THRESHOLDS = (20, 30, 40, 50, 60)
# A single manual entry is limited to this many points either way (a typo of 100 for 10 is refused).
MANUAL_MAX = 20


def points_defaults():
    return {**POINTS_DEFAULTS, **getattr(settings, "GRASSROOTS_POINTS_DEFAULTS", {})}


def star_thresholds():
    return tuple(getattr(settings, "GRASSROOTS_STAR_THRESHOLDS", STAR_THRESHOLDS))


def thresholds_error(thresholds):
    """Five whole numbers, strictly increasing."""
    if len(thresholds) != 5:
        return "须设置一至五星共五个分数线"
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        return "星级分数线须逐级递增"
    return None


def stars_for(total, thresholds):
    """0 to 5: the number of thresholds the total reaches (a total equal to a threshold reaches it)."""
    return sum(1 for t in thresholds if total >= t)


def manual_points_error(category, points):
    if points == 0:
        return "分值不能为 0"
    if abs(points) > MANUAL_MAX:
        return f"单次人工登记的分值不超过 {MANUAL_MAX} 分"
    if category in NEGATIVE_CATEGORIES and points > 0:
        return "扣分项的分值须为负数"
    if category not in NEGATIVE_CATEGORIES and points < 0:
        return "加分项的分值须为正数"
    return None
