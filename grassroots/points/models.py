from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .rules import Category, Source


class PointsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree see its records; a member sees their own."""
        return self.filter(scoping.records_or_own_q(user))


class PointRule(models.Model):
    """An organization's point values and star thresholds; its subtree inherits them unless a lower one sets its own."""

    org = models.OneToOneField("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    meeting_present = models.SmallIntegerField("参加组织生活（每次）")
    dues_on_time = models.SmallIntegerField("按时交纳党费（每月）")
    absent = models.SmallIntegerField("无故缺席组织生活（每次）")
    dues_unpaid = models.SmallIntegerField("未按时交纳党费（每月）")
    star1 = models.SmallIntegerField("一星分数线")
    star2 = models.SmallIntegerField("二星分数线")
    star3 = models.SmallIntegerField("三星分数线")
    star4 = models.SmallIntegerField("四星分数线")
    star5 = models.SmallIntegerField("五星分数线")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"

    def __str__(self):
        return f"{self.org} 积分规则"

    @property
    def thresholds(self):
        return (self.star1, self.star2, self.star3, self.star4, self.star5)


class PointEntry(models.Model):
    """One entry of a member's points: earned automatically from a record the platform holds (an attendance row,
    a dues record), or entered by hand and approved by the branch."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已认定"
        REJECTED = "rejected", "未认定"

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="point_entries")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    date = models.DateField("日期")
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("项目", max_length=16, choices=Category.choices)
    points = models.SmallIntegerField("分值")
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    source_id = models.PositiveBigIntegerField("来源记录", null=True, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.APPROVED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PointsQuerySet.as_manager()

    class Meta:
        verbose_name = "积分记录"
        verbose_name_plural = "积分记录"
        ordering = ["-date", "-id"]
        constraints = [
            # rerunning the computation never counts the same record twice
            models.UniqueConstraint(
                fields=["member", "source", "source_id"], condition=~models.Q(source="manual"), name="points_one_entry_per_record"
            ),
        ]
        indexes = [models.Index(fields=["member", "year", "state"]), models.Index(fields=["org_path", "year"])]

    def __str__(self):
        return f"{self.member} {self.get_category_display()} {self.points:+d}"


class StarRating(models.Model):
    """A member's star rating for a year, with the total and the thresholds it was based on."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="star_ratings")
    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    total = models.IntegerField("年度积分")
    stars = models.PositiveSmallIntegerField("星级")
    thresholds = models.JSONField("评定时的分数线")
    confirmed = models.BooleanField("已确认", default=False)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评定人", null=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField("评定时间", auto_now=True)

    objects = PointsQuerySet.as_manager()

    class Meta:
        verbose_name = "星级评定"
        verbose_name_plural = "星级评定"
        ordering = ["-year", "org_path", "-total", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="points_one_rating_a_year")]

    def __str__(self):
        return f"{self.member} {self.year}年 {self.stars}星"
