from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .choices import Flag, TalkKind


class TalkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Talks are recorded by the branch and read by those who read its members' records in full."""
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))


class Talk(models.Model):
    """One heart-to-heart talk (谈心谈话) with a member: who talked, when, about what, and what follows."""

    member = models.ForeignKey("members.Member", verbose_name="谈话对象", on_delete=models.PROTECT, related_name="talks")
    org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="talks")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    held_on = models.DateField("谈话日期")
    kind = models.CharField("谈话类型", max_length=12, choices=TalkKind.choices, default=TalkKind.HEART)
    talker_name = models.CharField("谈话人", max_length=50)
    talker_title = models.CharField("谈话人职务", max_length=50, blank=True)
    place = models.CharField("谈话地点", max_length=100, blank=True)
    topic = models.CharField("谈话主题", max_length=200)
    summary = models.TextField("谈话内容摘要")
    reasons = models.JSONField("谈话缘由", default=list, blank=True, help_text=f"取值：{'、'.join(Flag.values)}")
    follow_up = models.TextField("后续措施", blank=True)
    follow_up_due = models.DateField("措施完成期限", null=True, blank=True)
    follow_up_done_on = models.DateField("措施完成日期", null=True, blank=True)
    follow_up_result = models.TextField("措施落实情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = "谈心谈话记录"
        verbose_name_plural = "谈心谈话记录"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["member", "held_on"]), models.Index(fields=["org_path", "held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.member} {self.topic}"

    @property
    def reason_labels(self):
        return [Flag(r).label for r in self.reasons if r in Flag.values]

    @property
    def follow_up_open(self):
        return bool(self.follow_up) and self.follow_up_done_on is None


class FlaggedMember(models.Model):
    """One row of the worklist (worklist.flagged_members) kept for the city's and the districts' lists: rebuilt for a
    township whenever its kept counts `talks.flags` are recounted (talks/rollups.py, grassroots/orgs/summaries.py),
    so that a page of a whole city's worklist is read from an index. Never edited by hand."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    initials = models.CharField(max_length=50, blank=True)
    no_orglife = models.BooleanField(default=False)
    no_dues = models.BooleanField(default=False)
    unqualified = models.BooleanField(default=False)
    lost_contact = models.BooleanField(default=False)
    window_start = models.DateField(null=True)
    dues_window_start = models.DateField(null=True)
    unqualified_on = models.DateField(null=True)
    lost_on = models.DateField(null=True)
    last_talk = models.DateField(null=True)

    class Meta:
        verbose_name = "谈心谈话工作清单（汇总）"
        verbose_name_plural = "谈心谈话工作清单（汇总）"
        indexes = [models.Index(fields=["org_path", "initials", "member"])]

    def __str__(self):
        return f"{self.org_path} {self.member_id}"
