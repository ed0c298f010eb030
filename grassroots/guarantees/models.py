"""Standards (dated local data), the yearly check campaign with each village's/community's report, its figures and
evidence, and the township cadres' living conditions checklist."""

from django.conf import settings
from django.db import models

from grassroots.core import scoping

from . import rules
from .choices import ApplyTo, CampaignState, ReportState


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Campaigns of a subtree the user reads, and campaigns with a report of a village/community the user reads
        (a village secretary opens the district's check to fill in and import the village's figures)."""
        paths = scoping.record_paths(user)
        mine = Report.objects.filter(scoping.path_q("org_path", paths)).values("campaign_id")
        return self.filter(scoping.path_q("org_path", paths) | models.Q(pk__in=mine))

    def for_scope(self, org):
        """Campaigns run in the scope's subtree or above it with a report inside it."""
        return self.filter(models.Q(org_path__startswith=org.path) | models.Q(pk__in=Report.objects.filter(org_path__startswith=org.path).values("campaign_id")))


class Standard(models.Model):
    """One guarantee standard entered by a city or district: valid from a date (until the next one of the same item
    and kind of unit, or valid_to). Required value = max(floor, ratio × base)."""

    org = models.ForeignKey("orgs.Organization", verbose_name="制定单位", on_delete=models.PROTECT, related_name="guarantee_standards")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    item = models.CharField("保障项目", max_length=30, choices=rules.ITEM_CHOICES)
    applies_to = models.CharField("适用", max_length=20, choices=ApplyTo.choices)
    valid_from = models.DateField("执行日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    floor = models.DecimalField("最低标准", max_digits=14, decimal_places=2, null=True, blank=True)
    ratio = models.DecimalField("比例（倍）", max_digits=8, decimal_places=4, null=True, blank=True)
    base = models.DecimalField("基数（如上年度农村居民人均可支配收入、社会平均工资）", max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField("依据文件", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保障标准"
        verbose_name_plural = "保障标准"
        ordering = ["item", "applies_to", "-valid_from"]

    def __str__(self):
        return f"{self.get_item_display()}（{self.get_applies_to_display()}，{self.valid_from}起）"

    @property
    def required(self):
        return rules.required(self.floor, self.ratio, self.base)

    @property
    def unit(self):
        return rules.ITEMS[self.item][1]


class Campaign(models.Model):
    """The yearly check (年度保障落实情况核查) of a city or district."""

    org = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="guarantee_campaigns")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    due_on = models.DateField("填报截止")
    state = models.CharField("状态", max_length=20, choices=CampaignState.choices, default=CampaignState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "保障核查"
        verbose_name_plural = "保障核查"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="guarantees_campaign_org_year")]

    def __str__(self):
        return self.title


class Report(models.Model):
    """One village's or community's figures in a campaign; the township verifies it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports", verbose_name="核查")
    org = models.ForeignKey("orgs.Organization", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="guarantee_reports")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    applies_to = models.CharField("类别", max_length=20, choices=ApplyTo.choices)
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    note = models.TextField("说明", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_on = models.DateField("核实日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    task_list = models.ForeignKey("tracking.TaskList", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="整改任务")
    gap_total = models.DecimalField("资金缺口合计（元）", max_digits=14, decimal_places=2, default=0)
    failing = models.PositiveSmallIntegerField("未达标项", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保障填报"
        verbose_name_plural = "保障填报"
        ordering = ["org_path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="guarantees_report_campaign_org")]

    def __str__(self):
        return f"{self.org}（{self.campaign.year}）"


class Figure(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    item = models.CharField("保障项目", max_length=30, choices=rules.ITEM_CHOICES)
    value = models.DecimalField("实际数", max_digits=14, decimal_places=2, null=True, blank=True)
    present = models.BooleanField("有", null=True, blank=True)
    standard = models.ForeignKey(Standard, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    required = models.DecimalField("标准", max_digits=14, decimal_places=2, null=True, blank=True)
    met = models.BooleanField("达标", null=True)
    gap = models.DecimalField("缺口", max_digits=14, decimal_places=2, null=True, blank=True)
    task = models.ForeignKey("tracking.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="guarantees_figure_report_item")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return rules.item_label(self.item)

    @property
    def kind(self):
        return rules.item_kind(self.item)

    @property
    def unit(self):
        return rules.ITEMS[self.item][1]


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="guarantees/%Y/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class TownshipConditions(models.Model):
    """乡镇干部“五小”条件 checklist: 食堂, 宿舍, 澡堂 per township and year."""

    org = models.ForeignKey("orgs.Organization", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    canteen = models.BooleanField("食堂", default=False)
    dormitory = models.BooleanField("宿舍", default=False)
    bathhouse = models.BooleanField("澡堂", default=False)
    note = models.CharField("说明", max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_on = models.DateField("检查日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "乡镇干部工作生活条件"
        verbose_name_plural = "乡镇干部工作生活条件"
        ordering = ["org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="guarantees_conditions_org_year")]

    def __str__(self):
        return f"{self.org}（{self.year}）"

    @property
    def complete(self):
        return self.canteen and self.dormitory and self.bathhouse
