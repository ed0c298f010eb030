from django.db import models


class Source(models.TextChoices):
    PORTAL = "portal", "网上举报"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    INSPECTION = "inspection", "巡察"
    SUPERVISION = "supervision", "督导检查"
    OTHER = "other", "其他"


class Category(models.TextChoices):
    """The misconduct the notice names (群众身边的不正之风和腐败问题)."""

    VOTE_BUYING = "vote_buying", "贿选拉票"
    FINANCE = "finance", "财务问题"
    FAVOURITISM = "favouritism", "优亲厚友"
    IOU = "iou", "打白条、拖欠"
    WITHHOLDING = "withholding", "截留惠民资金"
    LAND = "land", "违规买卖集体土地"
    OVERBEARING = "overbearing", "作风霸道"
    GANGS = "gangs", "涉黑涉恶"
    OTHER = "other", "其他"


class LeadState(models.TextChoices):
    ACCEPTED = "accepted", "已受理"
    VERIFIED = "verified", "已核实"
    CONCLUDED = "concluded", "已办结"
    BULLETIN = "bulletin", "已通报"


class Finding(models.TextChoices):
    TRUE = "true", "属实"
    PARTLY = "partly", "部分属实"
    FALSE = "false", "不属实"


class BodyKind(models.TextChoices):
    PLAQUE = "plaque", "挂牌"
    TEMPORARY = "temporary", "临时机构"


class BodyDecision(models.TextChoices):
    PENDING = "pending", "待清理"
    KEEP = "keep", "保留"
    MERGE = "merge", "整合"
    REMOVE = "remove", "撤除"


class BurdenKind(models.TextChoices):
    MEETING = "meeting", "会议"
    LEDGER = "ledger", "台账"
    FORM = "form", "报表"
    INSPECTION = "inspection", "检查考核"


class BurdenState(models.TextChoices):
    REPORTED = "reported", "已登记"
    CUT = "cut", "已精简"
    KEPT = "kept", "确需保留"
