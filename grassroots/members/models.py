from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .choices import (
    ETHNICITIES,
    HAN,
    OFF_REGISTER,
    Degree,
    Education,
    EventKind,
    Gender,
    ImportState,
    LeftReason,
    Occupation,
    RequestState,
    State,
    Status,
)


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree see its members; a member with only the member role sees their own record."""
        return self.filter(scoping.records_or_own_q(user, own_field="user"))

    def in_register(self):
        """Members still on the register (not expelled, removed, withdrawn, deceased or transferred out of
        the platform)."""
        return self.exclude(state__in=OFF_REGISTER)

    def within_path(self, path):
        return self.filter(org_path__startswith=path)


class Member(models.Model):
    """A Party member's record (党员信息). The member-registry issue extends this record."""

    name = models.CharField("姓名", max_length=50)
    initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITIES, default=HAN)
    birth_date = models.DateField("出生日期")
    # Personal data: encrypted at rest, found through a keyed hash, shown masked (grassroots/core/crypto.py).
    id_number_encrypted = models.TextField("公民身份号码（密文）", blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField("联系电话（密文）", blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    native_place = models.CharField("籍贯", max_length=50, blank=True)
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True)
    degree = models.CharField("学位", max_length=12, choices=Degree.choices, blank=True)
    occupation = models.CharField("职业", max_length=16, choices=Occupation.choices, blank=True)
    work_unit = models.CharField("工作单位", max_length=200, blank=True)
    residence = models.CharField("居住社区", max_length=200, blank=True)
    in_service = models.BooleanField("在职情况", default=True, choices=[(True, "在职"), (False, "离退休")])
    status = models.CharField("党员类别", max_length=16, choices=Status.choices)
    joined_on = models.DateField("入党日期")
    full_on = models.DateField("转正日期", null=True, blank=True)
    state = models.CharField("党籍状态", max_length=16, choices=State.choices, default=State.NORMAL)
    left_reason = models.CharField("出党方式", max_length=16, choices=LeftReason.choices, blank=True)
    left_on = models.DateField("出党日期", null=True, blank=True)
    left_document = models.CharField("处理决定文号", max_length=100, blank=True)
    org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)
    created_at = models.DateTimeField("建档时间", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["org_path", "initials", "id"]
        indexes = [
            models.Index(fields=["org_path", "state"]),
            # Sorting the whole city by these stays fast (bench/bench.py, member search).
            models.Index(fields=["joined_on", "id"]),
            models.Index(fields=["birth_date", "id"]),
        ]

    def __str__(self):
        return self.name

    def recount_paths(self):
        """The organizations whose kept figures count this record (grassroots/orgs/summaries.py): where it is, and
        where it was when loaded (a move changes two subtrees)."""
        return [self.org_path, getattr(self, "loaded_org_path", "")]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        """Remember the organization the record was loaded with: saving a move marks both subtrees' kept figures
        stale (grassroots/orgs/summaries.py)."""
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.loaded_org_path = instance.__dict__.get("org_path", "")
        return instance


class MemberEvent(models.Model):
    """One entry of a member's history: creation, a change of status or state, a move, a correction."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices)
    happened_on = models.DateField("发生日期")
    before = models.CharField("变更前", max_length=200, blank=True)
    after = models.CharField("变更后", max_length=200, blank=True)
    document = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "党员档案记录"
        verbose_name_plural = "党员档案记录"
        ordering = ["-happened_on", "-id"]

    def __str__(self):
        return f"{self.member.name} {self.get_kind_display()} {self.happened_on}"


class CorrectionRequest(models.Model):
    """A member asks to correct their own record; the branch secretary approves or rejects."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="correction_requests")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    field = models.CharField("要更正的信息", max_length=32)
    current_value = models.CharField("当前内容", max_length=200, blank=True)
    requested_value = models.CharField("应更正为", max_length=200)
    reason = models.CharField("理由", max_length=500, blank=True)
    state = models.CharField("状态", max_length=16, choices=RequestState.choices, default=RequestState.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "信息更正申请"
        verbose_name_plural = "信息更正申请"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.member.name} 更正 {self.field}"


class ImportJob(models.Model):
    """An upload of a member ledger: checked as a whole, then applied as a whole in a background task."""

    org = models.ForeignKey("orgs.Organization", verbose_name="导入范围", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    state = models.CharField("状态", max_length=16, choices=ImportState.choices, default=ImportState.PENDING)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    errors = models.JSONField("错误", default=list, blank=True)  # [{"row": 7, "column": "公民身份号码", "reason": "..."}]
    unknown_columns = models.JSONField("未识别的列", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "党员导入"
        verbose_name_plural = "党员导入"
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self):
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class ExportJob(models.Model):
    """A roster export too large to write within one request: the worker writes the file and reports its
    progress; only the person who asked downloads it (the rows are those their scope allowed)."""

    class State(models.TextChoices):
        PENDING = "pending", "等待开始"
        RUNNING = "running", "正在导出"
        DONE = "done", "已完成"
        FAILED = "failed", "导出失败"

    params = models.JSONField("筛选条件参数", default=dict)
    description = models.CharField("筛选条件", max_length=500, blank=True)
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField("总人数", default=0)
    written_rows = models.PositiveIntegerField("已写入", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "党员名册导出"
        verbose_name_plural = "党员名册导出"
        ordering = ["-created_at"]

    def __str__(self):
        return f"党员花名册（{self.description}）"

    @property
    def percent(self):
        return round(100 * self.written_rows / self.total_rows) if self.total_rows else 0

    @property
    def running(self):
        return self.state in (self.State.PENDING, self.State.RUNNING)
