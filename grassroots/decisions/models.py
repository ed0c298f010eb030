from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .choices import AfterFailure, Body, Category, MatterState, OpinionKind, StepKind, StepState


def read_q(user, field="org_path"):
    """Who reads matters: readers of the subtree (secretaries, departments, supervisors) and the village's supervisory
    committee members (village_monitor)."""
    paths = scoping.minimal_prefixes([*scoping.record_paths(user), *scoping.monitor_paths(user)])
    return scoping.path_q(field, paths)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(read_q(user))

    def manageable_by(self, user):
        return self.filter(scoping.path_q("org_path", scoping.manage_paths(user)))


class VillageSettings(models.Model):
    """A village's or community's choices: its step set (else the default for its category) and its roll:
    registered representatives, villagers aged 18 or over, households, villagers' committee."""

    org = models.OneToOneField("orgs.Organization", verbose_name="村（社区）党组织", on_delete=models.PROTECT, related_name="decision_settings")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    step_set = models.CharField("议事规则", max_length=30, blank=True)
    representatives = models.JSONField("登记的村（居）民代表", default=list, blank=True)  # names
    adults = models.PositiveIntegerField("十八周岁以上村（居）民人数", default=0)
    households = models.PositiveIntegerField("户数", default=0)
    committee_members = models.JSONField("村（居）民委员会成员", default=list, blank=True)  # names
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村（社区）议事设置与名册"
        verbose_name_plural = "村（社区）议事设置与名册"

    def __str__(self):
        return f"{self.org} 议事设置"


class SupervisoryCommittee(models.Model):
    """村务监督委员会 (居务监督委员会) of one village or community, for one term."""

    org = models.ForeignKey("orgs.Organization", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="supervisory_committees")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    chosen_by = models.CharField("推选方式", max_length=20, choices=[(Body.VILLAGERS, "村（居）民会议"), (Body.REPRESENTATIVES, "村（居）民代表会议")])
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村务监督委员会"
        verbose_name_plural = "村务监督委员会"
        ordering = ["org_path", "-term_start"]

    def __str__(self):
        return f"{self.org} 村务监督委员会（{self.term_start:%Y}—{self.term_end:%Y}）"


class SupervisoryMember(models.Model):
    committee = models.ForeignKey(SupervisoryCommittee, verbose_name="监督委员会", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    is_chair = models.BooleanField("主任", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The Organic Law bars villagers' committee members and their close relatives: the member declares it, and the
    # service checks the name against the villagers' committee on the roll.
    declares_no_relative = models.BooleanField("已声明非村（居）委会成员及其近亲属", default=False)
    term_start = models.DateField("任职开始")
    term_end = models.DateField("任职结束", null=True, blank=True)

    class Meta:
        verbose_name = "村务监督委员会成员"
        verbose_name_plural = "村务监督委员会成员"
        ordering = ["-is_chair", "id"]

    def __str__(self):
        return self.name


class Matter(models.Model):
    """One major matter through 四议两公开: ordered steps in rounds (a failed vote may start a new round)."""

    org = models.ForeignKey("orgs.Organization", verbose_name="村（社区）党组织", on_delete=models.PROTECT, related_name="matters")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    summary = models.TextField("事项内容", blank=True)
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    planned_completion = models.DateField("计划完成日期", null=True, blank=True)
    step_set = models.CharField("议事规则", max_length=30)
    merged = models.BooleanField("提议与联席会议合并进行", default=False)
    state = models.CharField("状态", max_length=20, choices=MatterState.choices, default=MatterState.DELIBERATING)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    stage = models.CharField("当前环节", max_length=30, choices=StepKind.choices, default=StepKind.PROPOSAL)  # the next step due
    stage_since = models.DateField("进入当前环节日期")
    resolved_on = models.DateField("决议日期", null=True, blank=True)
    last_disclosed_on = models.DateField("最近公开日期", null=True, blank=True)
    public_since = models.DateTimeField("公开时间", null=True, blank=True)  # the resolution's publication: the public page exists from then
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "四议两公开事项"
        verbose_name_plural = "四议两公开事项"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_path", "state", "stage"]), models.Index(fields=["state", "stage_since"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("decisions:matter_detail", args=[self.pk])

    def public_url(self):
        from django.urls import reverse

        return reverse("portal_matters:detail", args=[self.pk])


class ImmutableStep(Exception):
    """A confirmed step cannot be changed."""


class Step(models.Model):
    """One step of a matter: a meeting (with attendance and votes) or a disclosure. Immutable once confirmed;
    corrections are StepAmendments beside it."""

    matter = models.ForeignKey(Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="steps")
    round = models.PositiveSmallIntegerField("轮次")
    seq = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("环节", max_length=30, choices=StepKind.choices)
    state = models.CharField("状态", max_length=12, choices=StepState.choices, default=StepState.DRAFT)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200, blank=True)
    content = models.TextField("内容（会议记录、意见、公开内容）", blank=True)
    body = models.CharField("决议机构", max_length=30, choices=Body.choices, blank=True)
    meeting = models.ForeignKey(
        "orglife.Meeting", verbose_name="提议的党组织会议", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.JSONField("出席人员", default=list, blank=True)  # names (joint meeting, representatives)
    roll = models.ManyToManyField("members.Member", verbose_name="到会党员", blank=True, related_name="+")
    materials_sent_on = models.DateField("材料送达日期", null=True, blank=True)
    entitled = models.PositiveIntegerField("应到人数", default=0)
    present = models.PositiveIntegerField("实到人数", default=0)
    households = models.PositiveIntegerField("总户数", default=0)
    households_present = models.PositiveIntegerField("到会代表户数", default=0)
    votes_for = models.PositiveIntegerField("赞成", default=0)
    votes_against = models.PositiveIntegerField("反对", default=0)
    votes_abstain = models.PositiveIntegerField("弃权", default=0)
    quorum = models.BooleanField("达到法定人数", null=True)
    passed = models.BooleanField("通过", null=True)
    outcome = models.CharField("表决结果说明", max_length=300, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    after_failure = models.CharField("未通过后的处理", max_length=12, choices=AfterFailure.choices, blank=True)
    disclosure = models.ForeignKey(
        "disclosure.Disclosure", verbose_name="公开记录", null=True, blank=True, on_delete=models.PROTECT, related_name="matter_steps"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "议事环节"
        verbose_name_plural = "议事环节"
        ordering = ["matter_id", "round", "seq"]
        constraints = [models.UniqueConstraint(fields=["matter", "round", "seq"], name="decisions_step_once")]

    def __str__(self):
        return f"{self.matter}：{self.label}"

    def save(self, *args, **kwargs):
        """A confirmed step is never written again (a correction is a StepAmendment)."""
        if not self._state.adding and Step.objects.filter(pk=self.pk, state=StepState.CONFIRMED).exists():
            raise ImmutableStep("已确认的环节不能修改，请以更正的方式说明理由")
        super().save(*args, **kwargs)

    @property
    def label(self):
        from . import rules

        return rules.step_set_for("", self.matter.step_set).label_of(self.kind)

    @property
    def is_vote(self):
        return self.kind in (StepKind.REVIEW, StepKind.RESOLUTION)

    @property
    def is_confirmed(self):
        return self.state == StepState.CONFIRMED


class StepAmendment(models.Model):
    """A correction to a confirmed step's text, with its reason; the step itself never changes."""

    step = models.ForeignKey(Step, verbose_name="环节", on_delete=models.PROTECT, related_name="amendments")
    reason = models.CharField("更正理由", max_length=500)
    field = models.CharField("更正项目", max_length=30)
    before = models.TextField("更正前", blank=True)
    after = models.TextField("更正后")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "环节更正"
        verbose_name_plural = "环节更正"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.step} 更正：{self.reason}"

    @property
    def field_label(self):
        return {"content": "内容", "place": "地点"}.get(self.field, self.field)


class Opinion(models.Model):
    """An opinion or objection of a supervisory committee member on a step of a matter or on a disclosure."""

    org = models.ForeignKey("orgs.Organization", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    matter = models.ForeignKey(Matter, verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions")
    step = models.ForeignKey(Step, verbose_name="环节", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions")
    disclosure = models.ForeignKey(
        "disclosure.Disclosure", verbose_name="公开内容", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField("提出人姓名", max_length=50)
    kind = models.CharField("类型", max_length=12, choices=OpinionKind.choices)
    text = models.TextField("内容")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text[:20]}"

    @property
    def is_open(self):
        return self.kind == OpinionKind.OBJECTION and self.answered_at is None
