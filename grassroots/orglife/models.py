import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.core import scoping

from .choices import AppraisalState, AttendanceStatus, FollowUp, Grade, MeetingKind, MeetingState


def local_month(moment):
    """YYYYMM of an aware datetime in the current time zone (Asia/Shanghai)."""
    local = timezone.localtime(moment)
    return local.year * 100 + local.month


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree see its meetings; a member sees the meetings of their own branch."""
        return self.filter(scoping.path_q("org_path", scoping.read_paths(user)))

    def within_path(self, path):
        return self.filter(org_path__startswith=path)


class Meeting(models.Model):
    """One meeting of organizational life (三会一课, 主题党日, 组织生活会), from plan to confirmed record."""

    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    is_special = models.BooleanField("专题组织生活会", default=False)
    org = models.ForeignKey("orgs.Organization", verbose_name="召开组织", on_delete=models.PROTECT, related_name="meetings")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    starts_at = models.DateTimeField("会议时间")
    # The calendar month of starts_at in Asia/Shanghai as YYYYMM (set on save): compliance groups by it without
    # converting time zones row by row, from an index that covers the query.
    month = models.PositiveIntegerField("月份", editable=False, default=0)
    place = models.CharField("会议地点", max_length=200, blank=True)
    host = models.ForeignKey(
        "members.Member", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.ForeignKey(
        "members.Member", verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("会议主题", max_length=200)
    agenda = models.TextField("会议议程", blank=True)
    minutes = models.TextField("会议记录", blank=True)
    lecturer = models.CharField("授课人", max_length=100, blank=True)
    state = models.CharField("状态", max_length=12, choices=MeetingState.choices, default=MeetingState.PLANNED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "组织生活会议"
        verbose_name_plural = "组织生活会议"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["org_path", "starts_at"]),
            models.Index(fields=["month", "org", "kind", "state"]),
            # The meeting list's order (newest first): a city's first page reads 20 rows of this index instead of
            # sorting a quarter of a million meetings.
            models.Index(fields=["starts_at", "id"], name="orglife_meeting_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"

    def save(self, *args, **kwargs):
        self.month = local_month(self.starts_at)
        if kwargs.get("update_fields") is not None and "starts_at" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "month"}
        super().save(*args, **kwargs)

    @property
    def is_held(self):
        return self.state in (MeetingState.RECORDED, MeetingState.CONFIRMED)


class Attendance(models.Model):
    """One row of a meeting's attendance roll."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField("出席情况", max_length=8, choices=AttendanceStatus.choices)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    # 双重组织生活: a leader of a higher organization attending their own branch as an ordinary member.
    as_ordinary_member = models.BooleanField("以普通党员身份参加", default=False)

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        ordering = ["meeting_id", "member__org_path", "member__initials", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="orglife_attendance_once")]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"


class MeetingAmendment(models.Model):
    """A change to a confirmed meeting record, with its stated reason (the record's history)."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="amendments")
    reason = models.CharField("更正理由", max_length=500)
    before = models.JSONField("更正前")
    after = models.JSONField("更正后")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议记录更正"
        verbose_name_plural = "会议记录更正"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.meeting} 更正：{self.reason}"

    def changed_labels(self):
        """The Chinese names of the changed fields ("出席情况" for the roll)."""
        labels = []
        for key in self.before:
            if key == "attendance":
                labels.append("出席情况")
            else:
                try:
                    labels.append(str(Meeting._meta.get_field(key).verbose_name))
                except Exception:  # noqa: BLE001 - a field renamed since the amendment
                    labels.append(key)
        return labels


class Appraisal(models.Model):
    """The yearly democratic appraisal of the members of one branch (民主评议党员)."""

    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="appraisals")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=AppraisalState.choices, default=AppraisalState.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    concluded_at = models.DateTimeField("评定时间", null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "民主评议党员"
        verbose_name_plural = "民主评议党员"
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="orglife_appraisal_once_a_year")]

    def __str__(self):
        return f"{self.org} {self.year}年民主评议党员"


class Ballot(models.Model):
    """One anonymous grade given to one member. There is deliberately NO voter column and no timestamp:
    who voted is kept only in BallotReceipt, and a random key keeps ballots from being ordered like receipts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(Appraisal, verbose_name="评议", on_delete=models.PROTECT, related_name="ballots")
    subject = models.ForeignKey("members.Member", verbose_name="被评议党员", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("等次", max_length=12, choices=Grade.choices)

    class Meta:
        verbose_name = "测评票"
        verbose_name_plural = "测评票"
        indexes = [models.Index(fields=["appraisal", "subject", "grade"])]

    def __str__(self):
        return f"{self.appraisal} 测评票"


class BallotReceipt(models.Model):
    """That a member has voted in an appraisal (so nobody votes twice); never what they voted."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="评议", on_delete=models.PROTECT, related_name="receipts")
    voter = models.ForeignKey("members.Member", verbose_name="投票党员", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        constraints = [models.UniqueConstraint(fields=["appraisal", "voter"], name="orglife_one_vote_each")]

    def __str__(self):
        return f"{self.voter} 已投票"


class AppraisalResult(models.Model):
    """The branch's conclusion on one member, with the vote counts it was based on, and any follow-up."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="评议", on_delete=models.PROTECT, related_name="results")
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="appraisal_results")
    self_assessment = models.TextField("自我评价", blank=True)
    excellent_votes = models.PositiveIntegerField("优秀票", default=0)
    qualified_votes = models.PositiveIntegerField("合格票", default=0)
    basic_votes = models.PositiveIntegerField("基本合格票", default=0)
    unqualified_votes = models.PositiveIntegerField("不合格票", default=0)
    grade = models.CharField("评定等次", max_length=12, choices=Grade.choices, blank=True)
    follow_up = models.CharField("组织处置", max_length=12, choices=FollowUp.choices, blank=True)
    correction_deadline = models.DateField("改正期限", null=True, blank=True)
    follow_up_document = models.CharField("决定文号", max_length=100, blank=True)
    follow_up_on = models.DateField("处置日期", null=True, blank=True)

    class Meta:
        verbose_name = "评议结果"
        verbose_name_plural = "评议结果"
        ordering = ["appraisal_id", "member__initials", "member_id"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "member"], name="orglife_result_once")]

    def __str__(self):
        return f"{self.member} {self.get_grade_display()}"


class Reminder(models.Model):
    """An in-platform reminder to a branch's secretary: a requirement still open near the end of its period."""

    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提醒对象", on_delete=models.CASCADE, related_name="orglife_reminders")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    target_org_id = models.PositiveIntegerField("要求对应的组织")  # the branch, or one of its groups for 党小组会
    period_end = models.DateField("期限")
    message = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "组织生活提醒"
        verbose_name_plural = "组织生活提醒"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "target_org_id", "kind", "period_end"], name="orglife_remind_once")
        ]

    def __str__(self):
        return self.message


class Attachment(models.Model):
    """A photo, PDF or Word file of a meeting, kept through Django's storage API and served only through a scoped view."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="meetings/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"
        ordering = ["meeting_id", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
