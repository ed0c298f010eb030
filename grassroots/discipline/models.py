"""Misconduct leads (问题线索) and their 通报, special campaigns (专项整治), the plaques and temporary bodies register
(挂牌、临时机构清理), and the burden register (基层减负)."""

from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .choices import BodyDecision, BodyKind, BurdenKind, BurdenState, Category, Finding, LeadState, Source


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the discipline role reads leads, inside its subtree: not the organization department, not an admin."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        paths = scoping.discipline_paths(user)
        if not paths:
            return self.none()
        return self.filter(scoping.path_q("org_path", paths))


class Campaign(models.Model):
    """A special campaign (专项整治) whose leads are reported upward together."""

    org = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="discipline_campaigns")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("专项整治", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = "专项整治"
        verbose_name_plural = "专项整治"
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.name


class Lead(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="被反映单位", on_delete=models.PROTECT, related_name="discipline_leads")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    number = models.CharField("线索编号", max_length=30, unique=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    category = models.CharField("问题类别", max_length=20, choices=Category.choices)
    accused = models.CharField("被反映人", max_length=100, blank=True)
    summary = models.CharField("问题摘要", max_length=200)
    detail = models.TextField("反映内容")
    received_on = models.DateField("受理日期")
    anonymous = models.BooleanField("匿名", default=True)
    # The reporter's identity, encrypted at rest (core/crypto.py); only the discipline role reads it.
    reporter_name_enc = models.TextField("举报人姓名（加密）", blank=True)
    reporter_phone_enc = models.TextField("举报人电话（加密）", blank=True)
    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True, db_index=True)
    client_hash = models.CharField("来源摘要", max_length=64, blank=True, editable=False)
    campaign = models.ForeignKey(Campaign, verbose_name="专项整治", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads")
    state = models.CharField("状态", max_length=20, choices=LeadState.choices, default=LeadState.ACCEPTED)
    verification = models.TextField("核实情况", blank=True)
    verified_on = models.DateField("核实日期", null=True, blank=True)
    finding = models.CharField("核实结论", max_length=10, choices=Finding.choices, blank=True)
    conclusion = models.TextField("处理结果", blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = "问题线索"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["state", "received_on"])]

    def __str__(self):
        return f"{self.number} {self.summary}"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(lead__in=Lead.objects.visible_to(user))

    def public(self):
        return self.filter(published_at__isnull=False)


class Bulletin(models.Model):
    """The 通报 every concluded lead produces; published on the public page once the discipline role releases it."""

    lead = models.OneToOneField(Lead, verbose_name="问题线索", on_delete=models.PROTECT, related_name="bulletin")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("通报标题", max_length=200)
    body = models.TextField("通报内容")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class RecordsQuerySet(models.QuerySet):
    """Plaques and the burden register are ordinary records: readers of the organization's records see them."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))


class Body(models.Model):
    """A plaque (挂牌) or temporary body (临时机构) at a township or village, and what the clean-up decided."""

    org = models.ForeignKey("orgs.Organization", verbose_name="所在单位", on_delete=models.PROTECT, related_name="discipline_bodies")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=20, choices=BodyKind.choices)
    name = models.CharField("名称", max_length=200)
    issuing_dept = models.CharField("要求设立的部门", max_length=100, blank=True)
    set_up_on = models.DateField("设立日期", null=True, blank=True)
    decision = models.CharField("清理结果", max_length=20, choices=BodyDecision.choices, default=BodyDecision.PENDING)
    merged_into = models.CharField("整合至", max_length=200, blank=True)
    decided_on = models.DateField("清理日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordsQuerySet.as_manager()

    class Meta:
        verbose_name = "挂牌和临时机构"
        verbose_name_plural = "挂牌和临时机构"
        ordering = ["org_path", "kind", "name"]

    def __str__(self):
        return self.name


class BodyPhoto(models.Model):
    body = models.ForeignKey(Body, verbose_name="挂牌", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="discipline/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    taken_on = models.DateField("拍摄日期", null=True, blank=True)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class Burden(models.Model):
    """A meeting, ledger, form or inspection imposed on a grassroots organization, by issuing department; the
    grassroots may mark it as duplicating another (or a ledger the platform already generates)."""

    org = models.ForeignKey("orgs.Organization", verbose_name="登记单位", on_delete=models.PROTECT, related_name="discipline_burdens")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=20, choices=BurdenKind.choices)
    title = models.CharField("名称", max_length=200)
    issuing_dept = models.CharField("下达部门", max_length=100)
    times_per_year = models.PositiveSmallIntegerField("每年次数", default=1)
    hours_each = models.DecimalField("每次耗时（小时）", max_digits=6, decimal_places=1, default=0)
    duplicate = models.BooleanField("重复", default=False)
    duplicate_of = models.CharField("与之重复", max_length=200, blank=True)
    state = models.CharField("状态", max_length=20, choices=BurdenState.choices, default=BurdenState.REPORTED)
    note = models.TextField("说明", blank=True)
    reported_on = models.DateField("登记日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordsQuerySet.as_manager()

    class Meta:
        verbose_name = "基层负担"
        verbose_name_plural = "基层负担"
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return self.title
