"""Rounds (a poll, an appraisal), what is rated (subjects), the roll (voters), the anonymous ballots and the
counts entered from paper ballots.

Anonymity: a Ballot has a random UUID, its round and the voter's group, and nothing else: no link to the Voter,
no time. Casting marks the Voter (voted_at is a DATE) and inserts the Ballot in one transaction; nothing else
is written (no audit row per ballot), so the database cannot tell which ballot a voter cast."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from grassroots.core import scoping

from .choices import RoundState


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds of the organizations whose records the user reads (organizers and overseers)."""
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))

    def manageable_by(self, user):
        return self.filter(scoping.path_q("org_path", scoping.manage_paths(user)))

    def for_voter(self, user):
        """Open or later rounds in which the user is on the roll."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(voters__user=user).exclude(state=RoundState.DRAFT)

    def within(self, path):
        return self.filter(org_path__startswith=path)


class Round(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="ballot_rounds")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("评议（表决）名称", max_length=200)
    source = models.CharField("来源", max_length=60)  # "<app>.<model>", e.g. "assessment.review"
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    # [{"key": "good", "label": "好", "score": "100"}, ...], best first; scores are decimals kept as strings
    grade_set = models.JSONField("评价等次")
    # {group: weight}, weights are decimals kept as strings summing to 1; {} = every ballot counts the same
    group_weights = models.JSONField("各类评议人权重", default=dict, blank=True)
    # {group: n}: paper ballots handed out to people not on the electronic roll (the group's roll grows by n)
    paper_roll = models.JSONField("纸质选票份数", default=dict, blank=True)
    opens_at = models.DateTimeField("开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)
    state = models.CharField("状态", max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    roll_hash = models.CharField("名册指纹", max_length=64, blank=True)  # SHA-256 over the sorted voter keys, set on opening
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="组织人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_at = models.DateTimeField("截止于", null=True, blank=True)
    published_at = models.DateTimeField("公布于", null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "评议（表决）"
        verbose_name_plural = "评议（表决）"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self):
        return self.title

    def grade_labels(self):
        return {g["key"]: g["label"] for g in self.grade_set}

    @cached_property
    def results(self):
        """The round's results (grassroots/ballots/results.py), computed once per instance (for templates)."""
        from .results import results

        return results(self)

    @property
    def chart_id(self):
        return f"ballot-results-{self.pk}"

    @property
    def chart_data_id(self):
        return f"ballot-results-{self.pk}-data"

    @property
    def shows_results(self):
        return self.state in (RoundState.CLOSED, RoundState.PUBLISHED)


class Subject(models.Model):
    round = models.ForeignKey(Round, verbose_name="评议", on_delete=models.CASCADE, related_name="subjects")
    key = models.CharField("代码", max_length=60)
    label = models.CharField("评议对象", max_length=200)
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "评议对象"
        verbose_name_plural = "评议对象"
        ordering = ["round_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="ballots_subject_unique_key")]

    def __str__(self):
        return self.label


class Voter(models.Model):
    """One person on the roll: an account, or a token (a link / QR code) of which only the SHA-256 is kept."""

    round = models.ForeignKey(Round, verbose_name="评议", on_delete=models.CASCADE, related_name="voters")
    group = models.CharField("类别", max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", null=True, blank=True, on_delete=models.PROTECT, related_name="ballot_rolls")
    token_hash = models.CharField("令牌摘要", max_length=64, blank=True)
    name = models.CharField("姓名", max_length=50, blank=True)
    voted_at = models.DateField("投票日期", null=True, blank=True)  # a date only: no time to match against ballots

    class Meta:
        verbose_name = "评议人"
        verbose_name_plural = "评议人名册"
        ordering = ["round_id", "group", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], condition=Q(user__isnull=False), name="ballots_voter_unique_user"),
            models.UniqueConstraint(fields=["round", "token_hash"], condition=~Q(token_hash=""), name="ballots_voter_unique_token"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(token_hash=""), name="ballots_voter_user_or_token"),
        ]
        indexes = [models.Index(fields=["token_hash"])]

    def __str__(self):
        return self.name or (str(self.user) if self.user_id else "凭码评议人")

    @property
    def key(self):
        """What the roll hash covers: the group and the account id or the token digest."""
        return f"{self.group}:u{self.user_id}" if self.user_id else f"{self.group}:t{self.token_hash}"


class Ballot(models.Model):
    """One anonymous ballot: no voter, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, verbose_name="评议", on_delete=models.CASCADE, related_name="ballots")
    group = models.CharField("类别", max_length=40)
    choices = models.JSONField("评价")  # {subject_key: grade_key}

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        # Listing ballots sorts by the random id, never by insertion order.
        ordering = ["id"]

    def __str__(self):
        return f"选票 {self.id}"


class Mark(models.Model):
    """One subject's grade on one ballot, so results are counted with one GROUP BY in SQL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=40)
    subject_key = models.CharField(max_length=60)
    grade_key = models.CharField(max_length=40)

    class Meta:
        verbose_name = "选票评价"
        verbose_name_plural = "选票评价"
        indexes = [models.Index(fields=["round", "subject_key", "group", "grade_key"])]

    def __str__(self):
        return f"{self.subject_key}: {self.grade_key}"


class PaperCount(models.Model):
    round = models.ForeignKey(Round, verbose_name="评议", on_delete=models.CASCADE, related_name="paper_counts")
    group = models.CharField("类别", max_length=40)
    subject_key = models.CharField("评议对象", max_length=60)
    grade_key = models.CharField("等次", max_length=40)
    count = models.PositiveIntegerField("票数")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "纸质选票计票"
        verbose_name_plural = "纸质选票计票"
        ordering = ["round_id", "group", "subject_key", "grade_key"]
        constraints = [models.UniqueConstraint(fields=["round", "group", "subject_key", "grade_key"], name="ballots_paper_unique")]

    def __str__(self):
        return f"{self.group} {self.subject_key} {self.grade_key}: {self.count}"
