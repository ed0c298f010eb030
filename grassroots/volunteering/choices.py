from django.db import models


class Basis(models.TextChoices):
    LIVE = "live", "居住地社区"
    WORK = "work", "工作地社区"
    CHOSEN = "chosen", "自选社区"


class RegState(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "已报到"
    REJECTED = "rejected", "未接收"
    ENDED = "ended", "已结束"


class ClaimState(models.TextChoices):
    ACTIVE = "active", "已认领"
    CANCELLED = "cancelled", "已取消"


class LogState(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未确认"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


ACTIVE_REG_STATES = (RegState.PENDING, RegState.CONFIRMED)
