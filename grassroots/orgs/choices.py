from django.db import models


class Kind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    WORKING_COMMITTEE = "working_committee", "党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"
    TEMPORARY_BRANCH = "temporary_branch", "临时党支部"
    GROUP = "group", "党小组"


BRANCH_KINDS = frozenset({Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH})


class Category(models.TextChoices):
    """Category of the unit the organization sits in (党组织所在单位类别)."""

    RURAL = "rural", "农村"
    COMMUNITY = "community", "城市社区"
    AGENCY = "agency", "机关"
    INSTITUTION = "institution", "事业单位"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PRIVATE_ENTERPRISE = "private_enterprise", "非公企业"
    SOCIAL_ORGANIZATION = "social_organization", "社会组织"
    SCHOOL = "school", "学校"
    OTHER = "other", "其他"


class PostTitle(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANIZATION = "organization", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    YOUTH = "youth", "青年委员"
    WOMEN = "women", "妇女委员"
    COMMITTEE_MEMBER = "committee_member", "委员"
    GROUP_LEADER = "group_leader", "党小组组长"
    # Posts of the villagers' committee (村民委员会组织法) and of the urban residents' committee (城市居民委员会组织法),
    # written by the leaders app when a 两委换届 closes (only for elected Party members: a Post's holder is a Member).
    VILLAGE_DIRECTOR = "village_director", "村委会主任"
    VILLAGE_DEPUTY = "village_deputy", "村委会副主任"
    VILLAGE_MEMBER = "village_member", "村委会委员"
    RESIDENTS_DIRECTOR = "residents_director", "居委会主任"
    RESIDENTS_DEPUTY = "residents_deputy", "居委会副主任"
    RESIDENTS_MEMBER = "residents_member", "居委会委员"


# The villagers' (residents') committee posts, apart from the Party organization's own posts.
SELF_GOVERNMENT_TITLES = frozenset({
    PostTitle.VILLAGE_DIRECTOR, PostTitle.VILLAGE_DEPUTY, PostTitle.VILLAGE_MEMBER,
    PostTitle.RESIDENTS_DIRECTOR, PostTitle.RESIDENTS_DEPUTY, PostTitle.RESIDENTS_MEMBER,
})
DIRECTOR_TITLES = frozenset({PostTitle.VILLAGE_DIRECTOR, PostTitle.RESIDENTS_DIRECTOR})
