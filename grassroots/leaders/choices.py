from django.db import models


class Body(models.TextChoices):
    """The two committees (两委) of a village or community."""

    PARTY = "party", "村（社区）党组织委员会"
    VILLAGERS = "villagers", "村（居）民委员会"


class Stage(models.TextChoices):
    """The ordered stages of a 换届 election (each only after the one before it)."""

    PLAN = "plan", "制定方案"
    VETTING = "vetting", "资格联审"
    NOMINATION = "nomination", "提名候选人"
    VOTE = "vote", "选举投票"
    REPORT = "report", "报乡镇（街道）备案"
    CLOSED = "closed", "已结束"


STAGE_ORDER = [s.value for s in Stage]


class Seat(models.TextChoices):
    """The post a candidate stands for: Party committee posts as orgs.PostTitle; villagers' committee posts."""

    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    COMMITTEE_MEMBER = "committee_member", "委员"
    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    VILLAGERS_MEMBER = "villagers_member", "村（居）委会委员"


PARTY_SEATS = (Seat.SECRETARY, Seat.DEPUTY_SECRETARY, Seat.COMMITTEE_MEMBER)
VILLAGERS_SEATS = (Seat.DIRECTOR, Seat.DEPUTY_DIRECTOR, Seat.VILLAGERS_MEMBER)


class SignOffResult(models.TextChoices):
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"


class Source(models.TextChoices):
    """Where a reserve comes from (后备人才来源)."""

    RETURNEE = "returnee", "返乡创业人员"
    GRADUATE = "graduate", "大学生村官/高校毕业生"
    DOCTOR_TEACHER = "doctor_teacher", "乡村医生/教师"
    CADRE = "cadre", "机关和国企事业单位干部"
    VETERAN = "veteran", "退役军人"
    FARMER = "farmer", "致富能手/农民专业合作社负责人"
    OTHER = "other", "其他"


class ReserveEventKind(models.TextChoices):
    ENTER = "enter", "入库"
    LEAVE = "leave", "出库"
    ASSESS = "assess", "考察评价"
    NOTE = "note", "培养记录"


class Grade(models.TextChoices):
    """述职述廉 / 民主评议 grades of village cadres."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AuditKind(models.TextChoices):
    EXIT = "exit", "离任审计"
    TERM = "term", "任期审计"
