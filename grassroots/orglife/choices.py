from django.db import models


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", "支部党员大会"
    COMMITTEE = "committee", "支委会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    LIFE_MEETING = "life_meeting", "组织生活会"


class MeetingState(models.TextChoices):
    PLANNED = "planned", "计划召开"
    RECORDED = "recorded", "已登记"
    CONFIRMED = "confirmed", "已确认"


# A meeting counts as held once its record is entered; the secretary's confirmation is a sign-off, not a condition.
HELD_STATES = (MeetingState.RECORDED, MeetingState.CONFIRMED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class AppraisalState(models.TextChoices):
    OPEN = "open", "测评中"
    CONCLUDED = "concluded", "已评定"


class FollowUp(models.TextChoices):
    """What happens to a full member found 不合格 (RULES.md, 民主评议党员)."""

    NONE = "", "—"
    CORRECTION = "correction", "限期改正"
    CORRECTED = "corrected", "已改正"
    PERSUADED = "persuaded", "劝退"
    REMOVED = "removed", "除名"
