"""Notices with receipts (通知、签收、落实反馈), supervised tasks (督办任务, on the tracking engine), supervision groups
with their visits and findings (督导), and the follow-ups a finding leads to (约谈提醒, 限期整改, 严肃批评, 追责)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping

from .choices import FindingKind, FindingState, InterventionKind, InterventionState, Reach


def _issuer_or_receiver(user, issuer_field, receiver_field):
    """Rows the user reads in full where issued (records roles), or where received (records roles there)."""
    paths = scoping.record_paths(user)
    return scoping.path_q(issuer_field, paths) | scoping.path_q(receiver_field, paths)


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if scoping.ALL in scoping.record_paths(user):
            return self
        received = Receipt.objects.filter(scoping.path_q("org_path", scoping.record_paths(user))).values("notice_id")
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | Q(pk__in=received))


class Notice(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="发文单位", on_delete=models.PROTECT, related_name="supervision_notices")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    reach = models.CharField("下发范围", max_length=20, choices=Reach.choices, default=Reach.CHILDREN)
    issued_on = models.DateField("下发日期")
    receipt_due = models.DateField("签收时限")
    measures_due = models.DateField("落实时限", null=True, blank=True)
    task_list = models.OneToOneField("tracking.TaskList", verbose_name="要求措施", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return self.title


class Measure(models.Model):
    """A measure the notice requires of every receiving organization."""

    notice = models.ForeignKey(Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("要求措施", max_length=300)

    class Meta:
        verbose_name = "要求措施"
        verbose_name_plural = "要求措施"
        ordering = ["notice_id", "position"]
        constraints = [models.UniqueConstraint(fields=["notice", "position"], name="supervision_measure_unique_position")]

    def __str__(self):
        return self.text


class NoticeFile(models.Model):
    notice = models.ForeignKey(Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to="supervision/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ReceiptQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(_issuer_or_receiver(user, "notice__org_path", "org_path"))

    def unsigned(self):
        return self.filter(signed_at__isnull=True)

    def overdue(self, today):
        return self.unsigned().filter(notice__receipt_due__lt=today)


class Receipt(models.Model):
    """One per receiving organization: signed once (签收), reminded up to three times when late, and the measures
    it reports back (落实情况反馈)."""

    notice = models.ForeignKey(Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="receipts")
    org = models.ForeignKey("orgs.Organization", verbose_name="接收单位", on_delete=models.PROTECT, related_name="supervision_receipts")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminders = models.PositiveSmallIntegerField("已催办次数", default=0)
    last_reminded_on = models.DateField("最近催办", null=True, blank=True)
    feedback = models.TextField("落实情况", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    task = models.OneToOneField("tracking.Task", verbose_name="落实任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = "签收回执"
        verbose_name_plural = "签收回执"
        ordering = ["notice_id", "org_path"]
        constraints = [models.UniqueConstraint(fields=["notice", "org"], name="supervision_receipt_unique")]

    def __str__(self):
        return f"{self.notice} · {self.org}"

    def signed_late(self):
        return self.signed_at is not None and self.signed_at.date() > self.notice.receipt_due


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from grassroots.tracking.models import Task

        lists = Task.objects.visible_to(user).values("task_list_id")
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | Q(task_list_id__in=lists))


class Assignment(models.Model):
    """A supervised task (督办事项) with a deadline, assigned to organizations: its tasks live in the tracking engine."""

    org = models.ForeignKey("orgs.Organization", verbose_name="督办单位", on_delete=models.PROTECT, related_name="supervision_assignments")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("督办事项", max_length=200)
    detail = models.TextField("具体要求", blank=True)
    due_on = models.DateField("完成时限")
    task_list = models.OneToOneField("tracking.TaskList", verbose_name="任务清单", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | Q(members=user)).distinct()


class SupervisionGroup(models.Model):
    """A supervision group (督导组) sent by an organization over (part of) its subtree."""

    org = models.ForeignKey("orgs.Organization", verbose_name="派出单位", on_delete=models.PROTECT, related_name="supervision_groups")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField("督导组", max_length=100)
    leader_name = models.CharField("组长", max_length=50)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="组员账号", blank=True, related_name="supervision_groups")
    member_names = models.CharField("组员", max_length=300, blank=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = "督导组"
        verbose_name_plural = "督导组"
        ordering = ["org_path", "name"]

    def __str__(self):
        return self.name


class OrgRecordQuerySet(models.QuerySet):
    """Visits, findings and follow-ups are the visited organization's history: readers of its records see them, and
    so do readers where the group was sent from."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(_issuer_or_receiver(user, "issuer_path", "org_path"))


class Visit(models.Model):
    group = models.ForeignKey(SupervisionGroup, verbose_name="督导组", on_delete=models.PROTECT, related_name="visits")
    issuer_path = models.CharField(max_length=255, db_index=True, editable=False)  # group.org_path
    org = models.ForeignKey("orgs.Organization", verbose_name="督导对象", on_delete=models.PROTECT, related_name="supervision_visits")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    planned_on = models.DateField("计划日期")
    visited_on = models.DateField("实际督导日期", null=True, blank=True)
    purpose = models.CharField("督导内容", max_length=300)
    summary = models.TextField("督导情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrgRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "督导计划"
        verbose_name_plural = "督导计划"
        ordering = ["-planned_on", "-id"]

    def __str__(self):
        return f"{self.org} {self.planned_on:%Y-%m-%d}"


class Finding(models.Model):
    """A problem found at an organization (问题清单); the responsible person (责任清单) and its rectification
    (整改清单) until it is closed (销号)."""

    visit = models.ForeignKey(Visit, verbose_name="督导", on_delete=models.PROTECT, related_name="findings")
    issuer_path = models.CharField(max_length=255, db_index=True, editable=False)
    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="supervision_findings")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("问题类别", max_length=20, choices=FindingKind.choices)
    text = models.TextField("问题描述")
    responsible_name = models.CharField("责任人", max_length=50, blank=True)
    responsible_post = models.CharField("责任人职务", max_length=50, blank=True)
    rectify_by = models.DateField("整改时限", null=True, blank=True)
    state = models.CharField("状态", max_length=20, choices=FindingState.choices, default=FindingState.OPEN)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closing_note = models.TextField("销号说明", blank=True)
    found_on = models.DateField("发现日期")

    objects = OrgRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "督导发现问题"
        verbose_name_plural = "督导发现问题"
        ordering = ["-found_on", "-id"]

    def __str__(self):
        return self.text[:40]


class Intervention(models.Model):
    """A follow-up of a finding: 约谈提醒 (a talk record), 限期整改 (an order with a deadline, closed once verified),
    严肃批评 / 追责问责 (referred upward to the organization above the issuer, which records its decision)."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="interventions")
    issuer_path = models.CharField(max_length=255, db_index=True, editable=False)
    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="supervision_interventions")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("处置方式", max_length=20, choices=InterventionKind.choices)
    state = models.CharField("状态", max_length=20, choices=InterventionState.choices, default=InterventionState.OPEN)
    issued_on = models.DateField("下达日期")
    person_name = models.CharField("对象", max_length=50, blank=True)
    text = models.TextField("内容")
    # 约谈提醒
    talked_on = models.DateField("约谈日期", null=True, blank=True)
    talker_name = models.CharField("约谈人", max_length=50, blank=True)
    # 限期整改
    due_on = models.DateField("整改期限", null=True, blank=True)
    result = models.TextField("整改结果", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    verified_on = models.DateField("验收日期", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="验收人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verification = models.TextField("验收意见", blank=True)
    # The rectification case (软弱涣散整顿, part 1) that carries the order out; the case's page reads the orders back
    # through related_name without rectification importing supervision.
    rectification_case = models.ForeignKey("rectification.Case", verbose_name="整顿台账", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="supervision_orders")
    # 严肃批评 / 追责
    referred_to = models.ForeignKey("orgs.Organization", verbose_name="移交单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referred_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    decision = models.TextField("上级处理意见", blank=True)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下达人", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrgRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "督导处置"
        verbose_name_plural = "督导处置"
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.org}"

    def is_overdue(self, today):
        return self.kind == InterventionKind.ORDER and self.state == InterventionState.OPEN and self.due_on and self.due_on < today
