"""双报到: registrations of in-service members at communities, the community's needs and service posts with time
slots, members' claims, the service log, the community's evaluations sent back to the unit, and what agency
branches offer. Every row carries the org_path it is scoped by (the member's branch or the community)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from grassroots.core import scoping

from .choices import ACTIVE_REG_STATES, Basis, ClaimState, Grade, LogState, RegState


def member_or_community_q(user, member_path="org_path", community_path="community_path", own="member__user"):
    """Readers of the member's branch, the community's readers and desk keepers, and the member themself."""
    q = scoping.path_q(member_path, scoping.record_paths(user)) | scoping.path_q(community_path, community_paths(user))
    if user.is_authenticated:
        q |= Q(**{own: user})
    return q


def community_paths(user):
    """Where the user keeps or reads a community's desk: the desk role, and readers of the community's records."""
    return scoping.minimal_prefixes(list(scoping.community_desk_paths(user)) + list(scoping.record_paths(user)))


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("community_path", community_paths(user)))


class MemberRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(member_or_community_q(user))


class ServiceCategory(models.Model):
    """A category of service posts and needs (data: the city may rename, add or retire them)."""

    name = models.CharField("名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务类别"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Registration(models.Model):
    """A member's registration at a community; at most one pending or confirmed at a time."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="community_registrations")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)  # the member's branch: the unit
    unit = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("orgs.Organization", verbose_name="报到社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    basis = models.CharField("报到方式", max_length=8, choices=Basis.choices)
    state = models.CharField("状态", max_length=10, choices=RegState.choices, default=RegState.PENDING)
    skills = models.CharField("特长与服务意愿", max_length=200, blank=True)
    pledge = models.CharField("公开承诺", max_length=300, blank=True)
    by_unit = models.BooleanField("单位集中报到", default=False)
    registered_on = models.DateField("报到日期")
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    expires_on = models.DateField("须重新报到日期", null=True, blank=True)
    reminded_on = models.DateField("提醒日期", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区报到"
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(state__in=ACTIVE_REG_STATES), name="volunteering_one_community_at_a_time"),
        ]
        indexes = [models.Index(fields=["community_path", "state"])]

    def __str__(self):
        return f"{self.member} → {self.community}"


class CommunityCap(models.Model):
    """A community's cap on confirmed registrations (避免一窝蜂); without one the setting's default applies."""

    community = models.OneToOneField("orgs.Organization", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    cap = models.PositiveIntegerField("报到人数上限")

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区报到上限"

    def __str__(self):
        return f"{self.community} {self.cap}"


class Need(models.Model):
    """An item of the community's needs list (需求清单); an agency branch's offer may be matched to it."""

    community = models.ForeignKey("orgs.Organization", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.ForeignKey(ServiceCategory, verbose_name="类别", on_delete=models.PROTECT)
    title = models.CharField("需求", max_length=100)
    description = models.TextField("说明", blank=True)
    is_open = models.BooleanField("征集中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区需求"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | scoping.path_q("community_path", community_paths(user)))


class Offer(models.Model):
    """What an agency branch offers the community it is paired with (资源清单), matched to a need by the community."""

    org = models.ForeignKey("orgs.Organization", verbose_name="提供单位党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    community = models.ForeignKey("orgs.Organization", verbose_name="面向社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.ForeignKey(ServiceCategory, verbose_name="类别", on_delete=models.PROTECT)
    title = models.CharField("资源", max_length=100)
    description = models.TextField("说明", blank=True)
    need = models.ForeignKey(Need, verbose_name="对接需求", null=True, blank=True, on_delete=models.PROTECT, related_name="offers")
    matched_on = models.DateField("对接日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "单位资源"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Post(models.Model):
    """A service post (服务岗位) of a community."""

    community = models.ForeignKey("orgs.Organization", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    category = models.ForeignKey(ServiceCategory, verbose_name="类别", on_delete=models.PROTECT)
    title = models.CharField("岗位名称", max_length=100)
    description = models.TextField("岗位职责", blank=True)
    place = models.CharField("服务地点", max_length=100, blank=True)
    is_open = models.BooleanField("开放认领", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "服务岗位"
        ordering = ["category__order", "title", "id"]

    def __str__(self):
        return self.title


class Slot(models.Model):
    """A time slot of a post; `taken` counts the active claims and never exceeds `capacity` (checked by a conditional
    update and a database constraint)."""

    post = models.ForeignKey(Post, verbose_name="岗位", on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("人数")
    taken = models.PositiveSmallIntegerField("已认领", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "岗位时段"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="volunteering_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="volunteering_slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.post} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def left(self):
        return self.capacity - self.taken


class Claim(models.Model):
    """A member's claim of a slot."""

    slot = models.ForeignKey(Slot, verbose_name="时段", on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField("状态", max_length=10, choices=ClaimState.choices, default=ClaimState.ACTIVE)
    created_at = models.DateTimeField("认领时间", auto_now_add=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "岗位认领"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "member"], condition=Q(state="active"), name="volunteering_one_claim_per_slot"),
        ]

    def __str__(self):
        return f"{self.member} {self.slot}"


class ServiceLog(models.Model):
    """Hours of service: recorded by the community (confirmed at once) or reported by the member (confirmed later)."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("orgs.Organization", verbose_name="服务社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    claim = models.OneToOneField(Claim, verbose_name="认领", null=True, blank=True, on_delete=models.PROTECT, related_name="log")
    served_on = models.DateField("服务日期")
    year = models.PositiveSmallIntegerField("年度")
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    content = models.CharField("服务内容", max_length=200)
    state = models.CharField("状态", max_length=10, choices=LogState.choices, default=LogState.PENDING)
    self_reported = models.BooleanField("本人申报", default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_note = models.CharField("说明", max_length=200, blank=True)
    # Only set on entries whose points were proposed by hand before the points app credited confirmed service itself.
    point_entry_id = models.PositiveBigIntegerField("积分记录", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "服务记录"
        ordering = ["-served_on", "-id"]
        indexes = [models.Index(fields=["member", "year", "state"]), models.Index(fields=["community_path", "year"])]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="volunteering_hours_positive")]

    def __str__(self):
        return f"{self.member} {self.served_on} {self.hours}小时"


class Evaluation(models.Model):
    """The community's evaluation of a member (member set) or of a unit (member empty) for a quarter or a year,
    delivered to the member's own branch (the unit)."""

    community = models.ForeignKey("orgs.Organization", verbose_name="社区", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey("orgs.Organization", verbose_name="报到单位党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    member = models.ForeignKey("members.Member", verbose_name="党员", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0, help_text="0 表示全年")
    grade = models.CharField("评价", max_length=10, choices=Grade.choices)
    hours = models.DecimalField("期内服务时长", max_digits=7, decimal_places=1, default=0)
    comment = models.CharField("评语", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区评价"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            # One evaluation per member and period, and one per unit (member empty) and period. Two conditional
            # constraints instead of nulls_distinct=False, which SQLite does not support (models.W047).
            models.UniqueConstraint(fields=["community", "unit", "member", "year", "quarter"], condition=Q(member__isnull=False),
                                    name="volunteering_one_member_evaluation"),
            models.UniqueConstraint(fields=["community", "unit", "year", "quarter"], condition=Q(member__isnull=True),
                                    name="volunteering_one_unit_evaluation"),
        ]

    def __str__(self):
        return f"{self.community} {self.period} {self.get_grade_display()}"

    @property
    def period(self):
        return f"{self.year}年" + (f"第{self.quarter}季度" if self.quarter else "全年")
