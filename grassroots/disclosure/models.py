"""Published disclosures (党务/村务/居务/财务公开 and the two disclosures of 四议两公开), hash-chained per organization.

A Disclosure is written once, by services.publish_disclosure or services.correct_disclosure, and never
changed: save() refuses an existing row and delete() refuses always. A correction is a new row pointing to
the one it replaces (`supersedes`), both public. Questions from the public are separate rows (they are
moderated: answered or hidden, never deleted)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from grassroots.core import scoping

from . import rules
from .choices import Category, Frequency, QuestionState


class ImmutableError(Exception):
    """A published disclosure cannot be changed or deleted."""


class DisclosureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree and the village supervisory committee members of a village see its disclosures."""
        paths = scoping.read_paths(user) + scoping.monitor_paths(user)
        return self.filter(scoping.path_q("org_path", scoping.minimal_prefixes(paths)))

    def public(self):
        """What the portal shows: every published item (all are published; kept for the day drafts come)."""
        return self.filter(published_at__isnull=False)

    def delete(self):
        raise ImmutableError("已发布的公开内容不能删除")


class Disclosure(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="公开单位", on_delete=models.PROTECT, related_name="disclosures")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.CharField("公开类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("公开内容")
    period_label = models.CharField("所属期间", max_length=50, blank=True)
    period_key = models.CharField("期间代码", max_length=16, blank=True, db_index=True)
    # Income and expenditure table (财务收支): {"rows": [{"item", "income", "expenditure"}...]} with amounts as
    # strings of Decimals; totals are computed, never stored apart from the rows.
    table = models.JSONField("收支明细", null=True, blank=True)
    posted_on = models.DateField("张贴日期")
    min_posting_days = models.PositiveSmallIntegerField("最短公示天数")
    deadline = models.DateField("应公开日期", null=True, blank=True)
    source_label = models.CharField("来源事项", max_length=200, blank=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    supersedes = models.OneToOneField(
        "self", verbose_name="更正的版本", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField("更正理由", max_length=500, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher_name = models.CharField("发布人姓名", max_length=100, blank=True)
    # The organization's hash chain (grassroots/core/hashchain.py).
    seq = models.PositiveIntegerField("链序号")
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = "公开内容"
        verbose_name_plural = "公开内容"
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "seq"], name="disclosure_chain_seq_once")]
        indexes = [
            models.Index(fields=["org_path", "published_at"]),
            models.Index(fields=["org", "category", "period_key"]),
        ]

    def __str__(self):
        return f"{self.get_category_display()}：{self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("已发布的公开内容不能修改，请以更正的方式发布新版本")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:item", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ImmutableError("已发布的公开内容不能删除")

    def get_verify_url(self):
        return reverse("portal:verify", args=[self.pk])

    @property
    def posting_ends_on(self):
        return rules.posting_ends_on(self.posted_on, self.min_posting_days)

    @property
    def is_late(self):
        return rules.is_late(self.posted_on, self.deadline)

    @property
    def is_current(self):
        """Not replaced by a correction."""
        return not hasattr(self, "superseded_by")

    def chain_content(self):
        """The fields the hash covers, as canonical JSON values."""
        return {
            "org": self.org_id,
            "seq": self.seq,
            "category": self.category,
            "title": self.title,
            "body": self.body,
            "period_label": self.period_label,
            "period_key": self.period_key,
            "table": self.table,
            "posted_on": self.posted_on.isoformat(),
            "min_posting_days": self.min_posting_days,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "source_label": self.source_label,
            "source_url": self.source_url,
            "supersedes": self.supersedes_id,
            "correction_reason": self.correction_reason,
            "version": self.version,
            "published_at": self.published_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "publisher_name": self.publisher_name,
        }


class Attachment(models.Model):
    """A photo or PDF of a disclosure; its SHA-256 is part of the disclosure's hash. Written once."""

    disclosure = models.ForeignKey(Disclosure, verbose_name="公开内容", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to="disclosures/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "公开附件"
        verbose_name_plural = "公开附件"
        ordering = ["disclosure_id", "position", "id"]

    def __str__(self):
        return self.original_name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("已发布的附件不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("已发布的附件不能删除")

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class ChainHead(models.Model):
    """The last link of an organization's chain; locked (select_for_update) while a new item is appended."""

    org = models.OneToOneField("orgs.Organization", verbose_name="公开单位", on_delete=models.PROTECT, related_name="disclosure_chain")
    seq = models.PositiveIntegerField("最后序号", default=0)
    hash = models.CharField("最后哈希", max_length=64, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公开哈希链头"
        verbose_name_plural = "公开哈希链头"

    def __str__(self):
        return f"{self.org} #{self.seq}"


class Schedule(models.Model):
    """A village's or community's routine disclosure of one category: how often and how soon after the period."""

    org = models.ForeignKey("orgs.Organization", verbose_name="公开单位", on_delete=models.PROTECT, related_name="disclosure_schedules")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.CharField("公开类别", max_length=20, choices=Category.choices)
    frequency = models.CharField("公开频次", max_length=12, choices=Frequency.choices)
    due_days = models.PositiveSmallIntegerField("期满后几日内公开", default=rules.DUE_DAYS_DEFAULT)
    starts_on = models.DateField("起始日期")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "例行公开计划"
        verbose_name_plural = "例行公开计划"
        ordering = ["org_path", "category"]
        constraints = [models.UniqueConstraint(fields=["org", "category"], name="disclosure_schedule_once")]

    def __str__(self):
        return f"{self.org} {self.get_category_display()}{self.get_frequency_display()}"


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        paths = scoping.read_paths(user) + scoping.monitor_paths(user)
        return self.filter(scoping.path_q("org_path", scoping.minimal_prefixes(paths)))

    def public(self):
        return self.filter(state=QuestionState.VISIBLE)

    def delete(self):
        raise ImmutableError("群众提问不能删除，只能屏蔽")


class Question(models.Model):
    """A question anyone asked on a published item; answered in public, or hidden with a reason (still counted)."""

    disclosure = models.ForeignKey(Disclosure, verbose_name="公开内容", on_delete=models.PROTECT, related_name="questions")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("称呼", max_length=30, blank=True)
    text = models.TextField("问题")
    asked_at = models.DateTimeField("提问时间", auto_now_add=True)
    client_hash = models.CharField("来源标识", max_length=64, blank=True, editable=False)
    state = models.CharField("状态", max_length=10, choices=QuestionState.choices, default=QuestionState.VISIBLE)
    hidden_reason = models.CharField("屏蔽理由", max_length=300, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="屏蔽人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden_at = models.DateTimeField("屏蔽时间", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "群众提问"
        verbose_name_plural = "群众提问"
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["disclosure", "state"]), models.Index(fields=["org_path", "answered_at"])]

    def __str__(self):
        return self.text[:30]

    def delete(self, *args, **kwargs):
        raise ImmutableError("群众提问不能删除，只能屏蔽")

    @property
    def is_hidden(self):
        return self.state == QuestionState.HIDDEN
