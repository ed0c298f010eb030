import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from grassroots.core import scoping
from grassroots.members.choices import ETHNICITIES, HAN, Education, Gender


class Stage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"
    WITHDRAWN = "withdrawn", "已撤回申请"
    DISQUALIFIED = "disqualified", "已取消资格"


OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


class ApplicantQuerySet(models.QuerySet):
    def with_current_path(self):
        """`cur_path`: the applicant's branch, or once admitted the member's current organization (a transfer of the
        probationary member carries the record along)."""
        if "cur_path" in self.query.annotations:
            return self
        return self.annotate(cur_path=Coalesce("member__org_path", "org_path"))

    def visible_to(self, user):
        """Readers of a subtree (secretaries, departments, supervisors) see its applicants; members see none."""
        return self.with_current_path().filter(scoping.path_q("cur_path", scoping.record_paths(user)))

    def within_path(self, path):
        return self.with_current_path().filter(cur_path__startswith=path)

    def overdue(self, today):
        """Talks not held within a month, reviews, approvals, assemblies and oaths past their deadline, and
        probation ending within 30 days (or already ended) with no full-membership vote yet."""
        from . import rules

        soon = today + datetime.timedelta(days=rules.PROBATION_ENDING_DAYS)
        return self.filter(
            Q(talk_due_on__lt=today) | Q(review_due_on__lt=today) | Q(approval_due_on__lt=today) | Q(assembly_due_on__lt=today)
            | Q(oath_due_on__lt=today) | Q(stage=Stage.PROBATIONARY, probation_ends_on__lte=soon, approval_due_on__isnull=True)
        )


class Applicant(models.Model):
    """A person on the way into the Party (入党申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员).

    The stage and the due dates are kept here for the board (SQL counts and overdue lists); what happened is in the
    StepRecords, which are never edited."""

    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="applicants")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    rule_set = models.CharField("适用规定", max_length=8, editable=False)
    name = models.CharField("姓名", max_length=50)
    initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITIES, default=HAN)
    birth_date = models.DateField("出生日期")
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True)
    work_unit = models.CharField("工作单位", max_length=200, blank=True)
    applied_on = models.DateField("申请日期")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    activist_on = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("确定发展对象日期", null=True, blank=True)
    admitted_on = models.DateField("支部大会通过接收日期", null=True, blank=True)
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    full_on = models.DateField("转正日期", null=True, blank=True)
    closed_on = models.DateField("终止日期", null=True, blank=True)
    # Deadlines the board lists when passed; null when met or not (yet) owed.
    talk_due_on = models.DateField("谈话期限", null=True, blank=True)
    review_due_on = models.DateField("下次考察期限", null=True, blank=True)
    approval_due_on = models.DateField("审批期限", null=True, blank=True)
    assembly_due_on = models.DateField("支部大会期限", null=True, blank=True)
    oath_due_on = models.DateField("入党宣誓期限", null=True, blank=True)
    probation_ends_on = models.DateField("预备期满日期", null=True, blank=True)
    next_step = models.CharField("下一步", max_length=32, blank=True)
    member = models.OneToOneField(
        "members.Member", verbose_name="党员档案", null=True, blank=True, on_delete=models.PROTECT, related_name="development"
    )
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = "发展对象档案"
        verbose_name_plural = "发展对象档案"
        ordering = ["org_path", "initials", "id"]
        indexes = [models.Index(fields=["org_path", "stage"])]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.stage in OPEN_STAGES

    @property
    def next_step_title(self):
        from . import rules

        return rules.RULE_SETS[self.rule_set].step(self.next_step).title if self.next_step else ""

    def overdue_reasons(self, today):
        """What is overdue, in words (the same conditions as ApplicantQuerySet.overdue)."""
        from . import rules

        reasons = []
        if self.talk_due_on and self.talk_due_on < today:
            reasons.append(f"未在{rules.TALK_WITHIN_MONTHS}个月内谈话（期限{self.talk_due_on:%Y-%m-%d}）")
        if self.review_due_on and self.review_due_on < today:
            reasons.append(f"半年考察逾期（期限{self.review_due_on:%Y-%m-%d}）")
        if self.approval_due_on and self.approval_due_on < today:
            reasons.append(f"上级党委审批逾期（期限{self.approval_due_on:%Y-%m-%d}）")
        if self.assembly_due_on and self.assembly_due_on < today:
            reasons.append(f"预审后未在{rules.ASSEMBLY_WITHIN_MONTHS_OF_PREREVIEW}个月内召开支部大会（期限{self.assembly_due_on:%Y-%m-%d}）")
        if self.oath_due_on and self.oath_due_on < today:
            reasons.append(f"批准后未在{rules.OATH_WITHIN_MONTHS_OF_APPROVAL}个月内宣誓（期限{self.oath_due_on:%Y-%m-%d}）")
        if self.stage == Stage.PROBATIONARY and self.probation_ends_on and self.approval_due_on is None:
            if self.probation_ends_on < today:
                reasons.append(f"预备期已满（{self.probation_ends_on:%Y-%m-%d}），尚未讨论转正")
            elif self.probation_ends_on <= today + datetime.timedelta(days=rules.PROBATION_ENDING_DAYS):
                reasons.append(f"预备期将于{self.probation_ends_on:%Y-%m-%d}期满")
        return reasons


class StepRecord(models.Model):
    """One step of an applicant's development as it was recorded: never edited. A correction is a new record that
    points to the one it corrects, with a reason."""

    applicant = models.ForeignKey(Applicant, verbose_name="发展对象", on_delete=models.PROTECT, related_name="steps")
    code = models.CharField("步骤", max_length=32)
    number = models.PositiveSmallIntegerField("序号", default=0)
    title = models.CharField("步骤名称", max_length=50)
    date = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    note = models.TextField("情况说明", blank=True)
    documents = models.CharField("材料及文号", max_length=500, blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    passed = models.BooleanField("有效", default=True)  # False: a vote that did not pass
    warning = models.CharField("提示", max_length=500, blank=True)
    corrects = models.OneToOneField(
        "self", verbose_name="更正", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    reason = models.CharField("更正理由", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "发展党员步骤记录"
        verbose_name_plural = "发展党员步骤记录"
        ordering = ["applicant_id", "date", "id"]
        indexes = [models.Index(fields=["applicant", "code"])]

    def __str__(self):
        return f"{self.applicant.name} {self.title} {self.date}"


class StepAttachment(models.Model):
    """A scanned document of a step (申请书, 谈话记录, 备案表, 志愿书...), stored under a random name, never replaced."""

    record = models.ForeignKey(StepRecord, verbose_name="步骤记录", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to="development/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "发展党员材料"
        verbose_name_plural = "发展党员材料"
        ordering = ["record_id", "id"]

    def __str__(self):
        return self.original_name
