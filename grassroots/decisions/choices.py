from django.db import models


class Category(models.TextChoices):
    """Kinds of major matter that must go through 四议两公开 (RULES.md "四议两公开"; 村民委员会组织法)."""

    ASSETS = "assets", "集体资产（购置、处置、承包、租赁）"
    PROJECT = "project", "集体经济项目"
    WELFARE = "welfare", "公益事业建设"
    LAND = "land", "土地承包流转与征地补偿"
    FUNDS = "funds", "惠民资金使用"
    RULES = "rules", "村规民约（居民公约）"
    OTHER = "other", "其他涉及群众切身利益的重大事项"


class StepKind(models.TextChoices):
    """What a step records; each step set (rules.STEP_SETS) is an ordered list of these."""

    PROPOSAL = "proposal", "党组织提议"
    CONSULTATION = "consultation", "“两委”联席会议商议"
    REVIEW = "review", "党员大会审议"
    RESOLUTION = "resolution", "决议"
    RESOLUTION_DISCLOSURE = "resolution_disclosure", "决议公开"
    PROGRESS_DISCLOSURE = "progress_disclosure", "实施情况公开"
    RESULT_DISCLOSURE = "result_disclosure", "实施结果公开"


class Body(models.TextChoices):
    """Who resolves a matter (step 4): the village bodies of the Organic Law, or a community's forms."""

    REPRESENTATIVES = "representatives", "村民代表会议"
    VILLAGERS = "villagers", "村民会议"
    RESIDENT_REPRESENTATIVES = "resident_representatives", "居民代表会议"
    HEARING = "hearing", "社区事务听证会"
    DIALOGUE = "dialogue", "民主恳谈会"
    COUNCIL = "council", "党群议事会"


class StepState(models.TextChoices):
    DRAFT = "draft", "已登记待确认"
    CONFIRMED = "confirmed", "已确认"


class MatterState(models.TextChoices):
    DELIBERATING = "deliberating", "审议中"
    FAILED = "failed", "表决未通过待定"
    ENDED = "ended", "已终止"
    RESOLVED = "resolved", "已决议待公开"
    IMPLEMENTING = "implementing", "实施中"
    RESULT_PUBLISHED = "result_published", "结果已公开"
    CLOSED = "closed", "已办结"


class AfterFailure(models.TextChoices):
    END = "end", "终止该事项"
    NEW_ROUND = "new_round", "重新提议（进入新一轮）"


class OpinionKind(models.TextChoices):
    OPINION = "opinion", "意见"
    OBJECTION = "objection", "异议"


class Overdue(models.TextChoices):
    RESOLUTION = "resolution", "决议未按期公开"
    PROGRESS = "progress", "实施情况未按期更新"
    RESULT = "result", "实施结果逾期未公开"
