from django.db import models


class TalkKind(models.TextChoices):
    HEART = "heart", "谈心谈话"
    CARE = "care", "关心关怀谈话"
    REMINDER = "reminder", "提醒谈话"
    CRITICISM = "criticism", "批评教育谈话"


class Flag(models.TextChoices):
    """Why a member is on the talk worklist: a problem another part of the platform has found."""

    NO_ORGLIFE = "no_orglife", "连续六个月未参加组织生活"
    NO_DUES = "no_dues", "连续六个月未交纳党费"
    UNQUALIFIED = "unqualified", "民主评议不合格"
    LOST_CONTACT = "lost_contact", "失去联系"
