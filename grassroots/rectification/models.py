"""Screening rounds with their candidates and evidence, one case per organization (一村一策) with its measures (a
tracking.TaskList), support (contact leader, assisting unit, stationed cadres), prescribed remedies as dated
obligations, acceptances after a satisfaction poll (a ballots.Round), and the case's own timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))

    def within(self, path):
        return self.filter(org_path__startswith=path)


class Screening(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "排查中"
        CONFIRMED = "confirmed", "已确定"

    org = models.ForeignKey("orgs.Organization", verbose_name="县（区）", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    rule_version = models.CharField("排查标准版本", max_length=12)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    proposed_on = models.DateField("数据截至", null=True, blank=True)
    confirmed_on = models.DateField("确定日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "摸底排查"
        verbose_name_plural = "摸底排查"
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="rectification_screening_unique_year")]

    def __str__(self):
        return f"{self.org} {self.year} 年摸底排查"


class Candidate(models.Model):
    class Source(models.TextChoices):
        PROPOSED = "proposed", "系统预警"
        ADDED = "added", "乡镇（县区）增列"

    screening = models.ForeignKey(Screening, verbose_name="排查", on_delete=models.CASCADE, related_name="candidates")
    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    township = models.ForeignKey("orgs.Organization", verbose_name="乡镇（街道）", null=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    # [{"kind", "criterion", "label", "evidence", "url", "since", "count"}]
    evidence = models.JSONField("预警依据", default=list, blank=True)
    problems = models.JSONField("问题类型", default=list, blank=True)  # criterion keys
    included = models.BooleanField("列入整顿", default=True)
    reason = models.CharField("增列或剔除理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "排查对象"
        verbose_name_plural = "排查对象"
        ordering = ["org_path"]
        constraints = [models.UniqueConstraint(fields=["screening", "org"], name="rectification_candidate_unique_org")]

    def __str__(self):
        return str(self.org)


class CaseQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Cases of organizations whose records the user reads, and the cases of the user's assisting unit."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = scoping.path_q("org_path", scoping.record_paths(user))
        assisting = scoping.assisting_paths(user)
        if assisting:
            q |= scoping.path_q("assisting_path", assisting) & ~Q(assisting_path="")
        mine = Stationed.objects.filter(user=user, left_on__isnull=True).values("case_id")
        return self.filter(q | Q(pk__in=mine) | Q(contact_leader_user=user))

    def open(self):
        return self.exclude(stage=Case.Stage.CLOSED)

    def open_for(self, org):
        """The organization's open case (整顿中 or 补课), or None: what assistance.Stationing links to."""
        return self.open().filter(org=org).first()


class Case(models.Model):
    class Stage(models.TextChoices):
        OPEN = "open", "整顿中"
        POLLING = "polling", "满意度测评中"
        REMEDIAL = "remedial", "补课"
        CLOSED = "closed", "已销号"

    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="rectification_cases")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    township = models.ForeignKey("orgs.Organization", verbose_name="乡镇（街道）", null=True, on_delete=models.PROTECT, related_name="+")
    screening = models.ForeignKey(Screening, verbose_name="排查", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField("年度")
    problems = models.JSONField("问题类型", default=list)  # criterion keys of the rule set
    problem_text = models.TextField("主要问题", blank=True)
    evidence = models.JSONField("预警依据", default=list, blank=True)
    task_list = models.OneToOneField("tracking.TaskList", verbose_name="整改措施", on_delete=models.PROTECT, related_name="rectification_case")
    contact_leader = models.CharField("县级联系领导", max_length=50, blank=True)
    contact_leader_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联系领导账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assisting_unit = models.ForeignKey("orgs.Organization", verbose_name="帮扶单位", null=True, blank=True, on_delete=models.PROTECT, related_name="assisted_cases")
    assisting_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, default=Stage.OPEN, db_index=True)
    due_on = models.DateField("整顿时限")
    opened_on = models.DateField("列入日期")
    closed_on = models.DateField("销号日期", null=True, blank=True)
    watch_until = models.DateField("巩固观察至", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("反弹（补课）次数", default=0)
    reopen_reason = models.CharField("重新整顿原因", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "整顿台账"
        verbose_name_plural = "整顿台账"
        ordering = ["-year", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["org"], condition=~Q(stage="closed"), name="rectification_one_open_case_per_org"),
        ]

    def __str__(self):
        return f"{self.org} {self.year} 年整顿"

    @property
    def is_open(self):
        return self.stage != self.Stage.CLOSED


class Stationed(models.Model):
    """A stationed cadre, first secretary or work-team member on the case (a user or just a name)."""

    class Kind(models.TextChoices):
        FIRST_SECRETARY = "first_secretary", "第一书记"
        CADRE = "cadre", "驻村干部"
        WORK_TEAM = "work_team", "工作队"

    case = models.ForeignKey(Case, verbose_name="整顿台账", on_delete=models.CASCADE, related_name="stationed")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    name = models.CharField("姓名（工作队名称）", max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    since = models.DateField("派驻日期")
    left_on = models.DateField("离开日期", null=True, blank=True)

    class Meta:
        verbose_name = "驻村力量"
        verbose_name_plural = "驻村力量"
        ordering = ["case_id", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Obligation(models.Model):
    """A remedy the notice prescribes (staff the vacant post / replace / rectify) due by a date."""

    case = models.ForeignKey(Case, verbose_name="整顿台账", on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField("事项", max_length=12)
    label = models.CharField("要求", max_length=100)
    due_on = models.DateField("时限")
    met_on = models.DateField("落实日期", null=True, blank=True)
    how = models.CharField("落实情况", max_length=300, blank=True)
    reminded_on = models.DateField("最近提醒", null=True, blank=True)

    class Meta:
        verbose_name = "规定整改事项"
        verbose_name_plural = "规定整改事项"
        ordering = ["case_id", "due_on", "id"]

    def __str__(self):
        return self.label


class Acceptance(models.Model):
    """One acceptance (验收) attempt: the satisfaction poll and its outcome; a failed one is kept."""

    case = models.ForeignKey(Case, verbose_name="整顿台账", on_delete=models.CASCADE, related_name="acceptances")
    round = models.OneToOneField("ballots.Round", verbose_name="满意度测评", on_delete=models.PROTECT, related_name="rectification_acceptance")
    threshold = models.DecimalField("满意度要求", max_digits=5, decimal_places=4)
    satisfaction = models.DecimalField("满意度", max_digits=5, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField("通过", null=True)
    decided_on = models.DateField("验收日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("验收意见", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "验收"
        verbose_name_plural = "验收"
        ordering = ["case_id", "created_at", "id"]

    def __str__(self):
        return f"{self.case} 验收"


class CaseEvent(models.Model):
    """The case's own timeline (opened, support changed, poll, accepted, failed → 补课, closed, 回潮 reopened)."""

    case = models.ForeignKey(Case, verbose_name="整顿台账", on_delete=models.CASCADE, related_name="events")
    on = models.DateField("日期")
    label = models.CharField("事项", max_length=40)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整顿过程"
        verbose_name_plural = "整顿过程"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.label}"
