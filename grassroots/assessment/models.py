"""A yearly assessment round (述职评议考核 or the village secretaries' 述职述廉) and one report per person: the
report's five parts prefilled from the platform's figures, the superior's comment and year-round score, the
representatives' appraisal (a ballots.Round), the combined score, the grade and its follow-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping

from . import rules
from .choices import Kind, ReportState, RoundState


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of the organizer's records, and the people reporting in it."""
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | Q(reports__user=user)).distinct()


class AssessmentRound(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="assessment_rounds")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.SECRETARY)
    title = models.CharField("名称", max_length=200)
    state = models.CharField("状态", max_length=20, choices=RoundState.choices, default=RoundState.REPORTING)
    live_weight = models.DecimalField("现场测评权重", max_digits=5, decimal_places=4)
    grade_set = models.JSONField("评价等次")
    ballot_round = models.OneToOneField("ballots.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="代表评议")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "述职评议"
        verbose_name_plural = "述职评议"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    def grade_label(self, key):
        return next((g["label"] for g in self.grade_set if g["key"] == key), "")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("round__org_path", scoping.record_paths(user)) | Q(user=user))


class Report(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="reports", verbose_name="述职评议")
    person_name = models.CharField("述职人", max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessment_reports")
    post = models.CharField("职务", max_length=100, blank=True)
    subject_org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+")
    subject_path = models.CharField(max_length=255, db_index=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    figures = models.JSONField("平台数据", default=dict)
    ideas = models.TextField("工作思路", blank=True)
    measures = models.TextField("主要措施", blank=True)
    results = models.TextField("工作成效", blank=True)
    shortcomings = models.TextField("存在不足", blank=True)
    plans = models.TextField("下步打算", blank=True)
    integrity = models.TextField("廉洁自律情况（述廉）", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField("上级党组织点评", blank=True)
    year_score = models.DecimalField("年度考核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    live_score = models.DecimalField("现场测评得分", max_digits=6, decimal_places=2, null=True, blank=True)
    combined = models.DecimalField("综合得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("综合评价", max_length=20, blank=True)
    follow_ups = models.JSONField("后续处理", default=list)
    follow_up_note = models.CharField("处理情况", max_length=300, blank=True)
    follow_up_done_on = models.DateField("处理完成", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "述职报告"
        verbose_name_plural = "述职报告"
        ordering = ["round", "position", "id"]

    def __str__(self):
        return f"{self.person_name}（{self.round.year}）"

    @property
    def subject_key(self):
        return f"r{self.pk}"

    @property
    def grade_label(self):
        return self.round.grade_label(self.grade)

    @property
    def follow_up_labels(self):
        return [rules.FOLLOW_UP_LABELS[f] for f in self.follow_ups]

    PARTS = (("ideas", "工作思路"), ("measures", "主要措施"), ("results", "工作成效"), ("shortcomings", "存在不足"), ("plans", "下步打算"))
