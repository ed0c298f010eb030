from django.db import models


class PairingState(models.TextChoices):
    ACTIVE = "active", "帮扶中"
    ENDED = "ended", "已结束"


class StationKind(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    TEAM_LEADER = "team_leader", "工作队队长"
    TEAM_MEMBER = "team_member", "工作队员"


class StationState(models.TextChoices):
    ACTIVE = "active", "在岗"
    RECALLED = "recalled", "已召回"
    REPLACED = "replaced", "已轮换"
    ENDED = "ended", "期满离任"


class LeaveLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇审批"
    COUNTY = "county", "县级审批"


class LeaveState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不批准"


class HouseholdKind(models.TextChoices):
    POOR = "poor", "贫困户"
    FIVE_GUARANTEE = "five_guarantee", "五保户"
    DISABLED = "disabled", "残疾人"
    EMPTY_NEST = "empty_nest", "空巢老人"
    LEFT_BEHIND = "left_behind", "留守儿童"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
