from django.db import models


class Reach(models.TextChoices):
    """Which organizations of the issuer's subtree receive a notice."""

    CHILDREN = "children", "直属下级党组织"
    COMMITTEES = "committees", "下辖全部党委（党工委、党总支）"
    BRANCHES = "branches", "下辖全部党支部"


class FindingKind(models.TextChoices):
    ORGLIFE = "orglife", "组织生活不规范"
    LEADERSHIP = "leadership", "班子不健全、不团结"
    DECISIONS = "decisions", "“四议两公开”执行不到位"
    DISCLOSURE = "disclosure", "公开不及时不规范"
    MEMBERS = "members", "党员教育管理薄弱"
    FINANCE = "finance", "财务管理混乱"
    STYLE = "style", "作风问题"
    OTHER = "other", "其他问题"


class FindingState(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFYING = "rectifying", "整改中"
    CLOSED = "closed", "已销号"


class InterventionKind(models.TextChoices):
    TALK = "talk", "约谈提醒"
    ORDER = "order", "限期整改"
    CRITICISM = "criticism", "严肃批评"
    ACCOUNTABILITY = "accountability", "追责问责"


# Follow-ups that are referred upward (to the organization above the one that issues them) for decision.
REFERRED = (InterventionKind.CRITICISM, InterventionKind.ACCOUNTABILITY)


class InterventionState(models.TextChoices):
    OPEN = "open", "办理中"
    REPORTED = "reported", "已报整改结果"
    CLOSED = "closed", "已验收销号"
    REFERRED = "referred", "已移交上级"
    DECIDED = "decided", "上级已处理"
