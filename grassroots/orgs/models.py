from django.db import models
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from grassroots.core import scoping

from .choices import Category, Kind, PostTitle


class OrganizationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("path", scoping.read_paths(user)))

    def manageable_by(self, user):
        return self.filter(scoping.path_q("path", scoping.manage_paths(user)))

    def active(self):
        return self.filter(is_active=True)

    def within(self, org):
        """The organization and its whole subtree."""
        return self.filter(path__startswith=org.path)

    def children_of(self, org):
        """The organization's direct children (one indexed prefix range and a depth)."""
        return self.filter(path__startswith=org.path, depth=org.depth + 1)

    def scope_roots(self, user):
        """The top organizations of the user's readable subtrees."""
        paths = scoping.read_paths(user)
        if scoping.ALL in paths:
            return self.filter(depth=1)
        return self.filter(path__in=paths)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A Party organization (党组织): a node of the tree from the city committee down to Party groups."""

    steplen = 4
    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    code = models.CharField("组织代码", max_length=32, unique=True)
    kind = models.CharField("组织类别", max_length=20, choices=Kind.choices)
    category = models.CharField("所在单位类别", max_length=24, choices=Category.choices)
    established_on = models.DateField("成立日期", null=True, blank=True)
    term_start = models.DateField("本届任期开始", null=True, blank=True)
    term_end = models.DateField("届满日期", null=True, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("状态", default=True, choices=[(True, "正常"), (False, "已撤销")])
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    dissolved_reason = models.CharField("撤销原因", max_length=255, blank=True)
    initials = models.CharField("拼音首字母", max_length=200, blank=True, db_index=True, editable=False)
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    @property
    def parent_path(self):
        return self.path[: -self.steplen] if self.depth > 1 else ""

    @property
    def is_branch(self):
        return self.kind in {k.value for k in (Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH)}

    def ancestor_paths(self):
        return [self.path[:i] for i in range(self.steplen, len(self.path), self.steplen)]


class PostQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def visible_to(self, user):
        return self.filter(scoping.path_q("org__path", scoping.read_paths(user)))


class Post(models.Model):
    """A leadership post of an organization (书记, 副书记, 委员 ...) and who holds it since when."""

    org = models.ForeignKey(Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("职务", max_length=24, choices=PostTitle.choices)
    holder = models.ForeignKey(
        "members.Member", verbose_name="任职党员", on_delete=models.PROTECT, related_name="posts"
    )
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "领导职务"
        verbose_name_plural = "领导职务"
        ordering = ["org_id", "ended_on", "title", "started_on"]

    def __str__(self):
        return f"{self.org.name} {self.get_title_display()} {self.holder.name}"


class SubtreeFigure(models.Model):
    """Kept figures of one roll-up over one organization's subtree, for the city, the districts and the townships
    (grassroots/orgs/summaries.py). Rebuilt from the live records whenever stale; never edited by hand."""

    name = models.CharField("汇总项目", max_length=80)
    key = models.CharField("参数", max_length=20, blank=True)
    org_path = models.CharField(max_length=255)
    values = models.JSONField("数值", default=dict)  # over the whole subtree
    direct = models.JSONField("本级数值", default=dict)  # over the records attached to the organization itself
    as_of = models.DateField("统计日期")
    stale = models.BooleanField("待更新", default=False)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "汇总数据"
        verbose_name_plural = "汇总数据"
        constraints = [models.UniqueConstraint(fields=["name", "key", "org_path"], name="orgs_subtreefigure_once")]
        indexes = [models.Index(fields=["org_path", "stale"])]

    def __str__(self):
        return f"{self.name}[{self.key}] {self.org_path}"
