"""Pairings, poor-village flags, stationed cadres (attendance, leave, work log), households in need and their
visits, and the yearly assessment of stationed cadres. Every row carries the village's `org_path` for scoping."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping

from .choices import Grade, HouseholdKind, LeaveLevel, LeaveState, PairingState, StationKind, StationState


def read_q(user, path_field="org_path", partner_field=None, user_field=None):
    """Who reads a row: readers of the village's subtree (secretaries, departments, supervisors, stationed cadres of
    the village), the assisting unit's contacts for rows of their unit, and the cadre for their own rows."""
    q = scoping.path_q(path_field, scoping.record_paths(user))
    if partner_field:
        assisting = scoping.assisting_paths(user)
        if assisting:
            q |= scoping.path_q(partner_field, assisting)
    if user_field and getattr(user, "is_authenticated", False):
        q |= Q(**{user_field: user})
    return q


class PoorVillage(models.Model):
    """A village designated poor / economically weak (贫困村、经济薄弱村), with the source and date of the designation."""

    village = models.ForeignKey("orgs.Organization", verbose_name="村党组织", on_delete=models.PROTECT, related_name="poor_flags")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    source = models.CharField("认定依据", max_length=200, help_text="如：省定经济薄弱村（苏政办发〔2021〕X号）")
    designated_on = models.DateField("认定日期")
    lifted_on = models.DateField("退出日期", null=True, blank=True)
    lifted_reason = models.CharField("退出原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "贫困村（经济薄弱村）"
        ordering = ["org_path"]

    def __str__(self):
        return f"{self.village.name}（{self.source}）"


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(read_q(user, "org_path", "partner_path"))

    def active(self):
        return self.filter(state=PairingState.ACTIVE)


class Pairing(models.Model):
    """结对帮扶: an agency or enterprise/institution Party organization (partner) paired with a village."""

    partner = models.ForeignKey("orgs.Organization", verbose_name="帮扶单位党组织", on_delete=models.PROTECT, related_name="pairings_given")
    partner_path = models.CharField(max_length=255, db_index=True, editable=False)
    village = models.ForeignKey("orgs.Organization", verbose_name="结对村", on_delete=models.PROTECT, related_name="pairings_received")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    started_on = models.DateField("结对日期")
    state = models.CharField("状态", max_length=10, choices=PairingState.choices, default=PairingState.ACTIVE)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    contact_name = models.CharField("帮扶单位联络人", max_length=50, blank=True)
    goals = models.TextField("帮扶目标", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "结对帮扶"
        ordering = ["org_path", "partner_path"]
        constraints = [models.UniqueConstraint(fields=["partner", "village"], condition=Q(state="active"), name="assistance_one_active_pair")]

    def __str__(self):
        return f"{self.partner.name} — {self.village.name}"


class StationingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(read_q(user, "org_path", "sending_path", "user"))

    def active(self):
        return self.filter(state=StationState.ACTIVE)


class Stationing(models.Model):
    """A first secretary (第一书记) or work-team member (驻村工作队员) stationed in a village."""

    village = models.ForeignKey("orgs.Organization", verbose_name="驻村", on_delete=models.PROTECT, related_name="stationings")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=20, choices=StationKind.choices)
    name = models.CharField("姓名", max_length=50)
    initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.PROTECT, related_name="stationings")
    sending_unit = models.ForeignKey("orgs.Organization", verbose_name="派出单位", on_delete=models.PROTECT, related_name="stationings_sent")
    sending_path = models.CharField(max_length=255, db_index=True, editable=False)
    position = models.CharField("原单位职务", max_length=100, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    started_on = models.DateField("到村日期")
    term_years = models.PositiveSmallIntegerField("任期（年）")
    ends_on = models.DateField("任期届满")
    state = models.CharField("状态", max_length=10, choices=StationState.choices, default=StationState.ACTIVE)
    left_on = models.DateField("离村日期", null=True, blank=True)
    left_reason = models.CharField("召回/轮换原因", max_length=200, blank=True)
    case = models.ForeignKey("rectification.Case", verbose_name="整顿案件", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="assistance_stationings", help_text="为软弱涣散整顿选派时填写")
    replaces = models.OneToOneField("self", verbose_name="接替", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StationingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "驻村干部"
        ordering = ["org_path", "kind", "name"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}（{self.village.name}）"


class Attendance(models.Model):
    """Days in the village in one month."""

    stationing = models.ForeignKey(Stationing, on_delete=models.PROTECT, related_name="attendance")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    month = models.DateField("月份")  # first day of the month
    days = models.PositiveSmallIntegerField("在村天数")
    required = models.PositiveSmallIntegerField("最低天数", editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "在村考勤"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["stationing", "month"], name="assistance_one_attendance_month")]

    def __str__(self):
        return f"{self.stationing.name} {self.month:%Y-%m} 在村 {self.days} 天"

    @property
    def below(self):
        return self.days < self.required


class Leave(models.Model):
    stationing = models.ForeignKey(Stationing, on_delete=models.PROTECT, related_name="leaves")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    days = models.PositiveSmallIntegerField("天数", editable=False)
    reason = models.CharField("事由", max_length=200)
    level = models.CharField("审批层级", max_length=10, choices=LeaveLevel.choices, editable=False)
    approver_org = models.ForeignKey("orgs.Organization", verbose_name="审批单位", on_delete=models.PROTECT, related_name="+")
    approver_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField("状态", max_length=10, choices=LeaveState.choices, default=LeaveState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "请假"
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.stationing.name} 请假 {self.days} 天（{self.starts_on}）"


class WorkLog(models.Model):
    """The monthly work log (驻村工作月志)."""

    stationing = models.ForeignKey(Stationing, on_delete=models.PROTECT, related_name="logs")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    month = models.DateField("月份")
    work = models.TextField("本月工作")
    problems = models.TextField("困难问题", blank=True)
    plan = models.TextField("下月计划", blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作月志"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["stationing", "month"], name="assistance_one_log_month")]

    def __str__(self):
        return f"{self.stationing.name} {self.month:%Y-%m} 工作月志"


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(read_q(user, "org_path"))


class Household(models.Model):
    """A household in need (联户对象). ID number, phone and address are encrypted and shown masked."""

    village = models.ForeignKey("orgs.Organization", verbose_name="所在村", on_delete=models.PROTECT, related_name="households")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("类别", max_length=20, choices=HouseholdKind.choices)
    head_name = models.CharField("户主姓名", max_length=50)
    initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    members_count = models.PositiveSmallIntegerField("家庭人口", default=1)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    address_encrypted = models.TextField(blank=True, editable=False)
    address_masked = models.CharField("住址", max_length=100, blank=True, editable=False)
    situation = models.TextField("家庭情况", blank=True)
    active = models.BooleanField("在册", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "联系户"
        ordering = ["org_path", "kind", "head_name"]

    def __str__(self):
        return f"{self.head_name}（{self.get_kind_display()}）"


class HouseholdLink(models.Model):
    """A cadre linked to a household (联户): a stationed cadre, or a cadre of the assisting unit by name."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="links")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    stationing = models.ForeignKey(Stationing, verbose_name="驻村干部", null=True, blank=True, on_delete=models.PROTECT, related_name="household_links")
    cadre_name = models.CharField("联户干部", max_length=50)
    started_on = models.DateField("联系起始")
    ended_on = models.DateField("结束", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "联户关系"
        ordering = ["-started_on"]

    def __str__(self):
        return f"{self.cadre_name} 联系 {self.household.head_name}"


class Visit(models.Model):
    link = models.ForeignKey(HouseholdLink, on_delete=models.PROTECT, related_name="visits")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    visited_on = models.DateField("走访日期")
    needs = models.TextField("群众诉求")
    solved = models.TextField("解决情况", blank=True)
    resolved = models.BooleanField("已解决", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "走访记录"
        ordering = ["-visited_on"]

    def __str__(self):
        return f"走访 {self.visited_on}"


class Assessment(models.Model):
    """The yearly assessment of a stationed cadre; `typical` marks an example for publicity (典型)."""

    stationing = models.ForeignKey(Stationing, on_delete=models.PROTECT, related_name="assessments")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=12, choices=Grade.choices)
    comment = models.TextField("评语", blank=True)
    typical = models.BooleanField("典型宣传", default=False)
    typical_summary = models.TextField("典型事迹", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "驻村干部年度考核"
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["stationing", "year"], name="assistance_one_assessment_year")]

    def __str__(self):
        return f"{self.stationing.name} {self.year} 年度考核"
