from django.db import models


class TransferKind(models.TextChoices):
    INTERNAL = "internal", "平台内转接"
    OUTGOING_EXTERNAL = "outgoing_external", "转出平台外"
    INCOMING_EXTERNAL = "incoming_external", "从平台外转入"


class TransferState(models.TextChoices):
    ISSUED = "issued", "待接收"
    ACCEPTED = "accepted", "已接收"
    REJECTED = "rejected", "已退回"
    EXPIRED = "expired", "已过期"
    CANCELLED = "cancelled", "已撤回"
    COMPLETED = "completed", "已办结"  # outgoing to outside the platform: the paper receipt came back


class TransferReason(models.TextChoices):
    WORK_UNIT = "work_unit", "工作单位变动"
    RESIDENCE = "residence", "居住地变动"
    AWAY = "away", "外出6个月以上且地点相对固定"
    GRADUATION = "graduation", "毕业"
    ENLISTMENT = "enlistment", "入伍或退役"
    OTHER = "other", "其他"


class FloatingReason(models.TextChoices):
    WORK = "work", "外出务工经商"
    STUDY = "study", "外出求学"
    FAMILY = "family", "随迁或探亲"
    OTHER = "other", "其他"


class SearchMethod(models.TextChoices):
    PHONE = "phone", "电话联系"
    VISIT = "visit", "上门走访"
    RELATIVES = "relatives", "向亲属了解"
    EMPLOYER = "employer", "向工作单位了解"
    NOTICE = "notice", "登报或公告寻找"
    OTHER = "other", "其他"


class CaseState(models.TextChoices):
    OPEN = "open", "失联中"
    SUSPENDED = "suspended", "已停止党籍"
    RESTORED = "restored", "已恢复联系"
    SELF_LEFT = "self_left", "已按自行脱党处理"
