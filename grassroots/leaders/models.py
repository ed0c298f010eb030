"""Village and community leaders: 换届 elections, vetting, the reserve pool, training, reviews and exit audits."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from grassroots.core import scoping
from grassroots.members.choices import Education, Gender

from .choices import AuditKind, Body, Grade, ReserveEventKind, Seat, SignOffResult, Source, Stage


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))

    def within(self, path):
        return self.filter(org_path__startswith=path)


class Scoped(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class ElectionPlan(Scoped):
    """A district's (or township's) plan for one round of 换届: dates and the villages it covers."""

    title = models.CharField("方案名称", max_length=200)
    year = models.PositiveIntegerField("换届年度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("完成日期")
    summary = models.TextField("方案要点", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "换届工作方案"
        ordering = ["-year", "org_path"]

    def __str__(self):
        return self.title


class Election(Scoped):
    """One village's (community's) election of its two committees in a round."""

    plan = models.ForeignKey(ElectionPlan, verbose_name="换届方案", null=True, blank=True, on_delete=models.PROTECT, related_name="elections")
    title = models.CharField("名称", max_length=200)
    stage = models.CharField("环节", max_length=12, choices=Stage.choices, default=Stage.PLAN)
    party_seats = models.PositiveSmallIntegerField("党组织委员会应选名额", default=5)
    villagers_seats = models.PositiveSmallIntegerField("村（居）委会应选名额", default=5)
    vote_on = models.DateField("选举日期", null=True, blank=True)
    term_start = models.DateField("新一届任期开始", null=True, blank=True)
    term_end = models.DateField("新一届届满", null=True, blank=True)
    roll_hash = models.CharField("选民名单指纹（SHA-256）", max_length=64, blank=True)
    roll_size = models.PositiveIntegerField("冻结选民人数", default=0)
    roll_frozen_at = models.DateTimeField("名单冻结时间", null=True, blank=True)
    party_cast = models.PositiveIntegerField("党组织选举投票人数", null=True, blank=True)
    villagers_cast = models.PositiveIntegerField("村（居）委会选举投票人数", null=True, blank=True)
    party_roll_size = models.PositiveIntegerField("应到会党员数", default=0)
    reported_on = models.DateField("报备日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "换届选举"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leaders:election_detail", args=[self.pk])


class Voter(models.Model):
    """One entry of the voter roll; only a keyed hash of the voter's identity is kept (frozen with the roll)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    key_hash = models.CharField(max_length=64)
    group = models.CharField("村民小组", max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "key_hash"], name="leaders_voter_once")]

    def __str__(self):
        return self.key_hash[:12]


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    body = models.CharField("委员会", max_length=12, choices=Body.choices)
    seat = models.CharField("拟任职务", max_length=20, choices=Seat.choices)
    name = models.CharField("姓名", max_length=50)
    member = models.ForeignKey("members.Member", verbose_name="党员", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True)
    incumbent = models.BooleanField("上届成员", default=False)
    nominated = models.BooleanField("已提名", default=False)
    votes = models.PositiveIntegerField("得票", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)
    post = models.ForeignKey("orgs.Post", verbose_name="写入的职务", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "候选人"
        ordering = ["body", "seat", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_seat_display()}）"

    @property
    def person_key(self):
        return f"m{self.member_id}" if self.member_id else f"n{self.name}{self.birth_date}"


class SignOff(models.Model):
    """One body's sign-off on one candidate in 资格联审; `hits` are the negative-list items found."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="signoffs")
    body = models.CharField("联审部门", max_length=20)
    result = models.CharField("结论", max_length=8, choices=SignOffResult.choices)
    hits = models.JSONField("负面清单情形", default=list, blank=True)
    note = models.CharField("意见", max_length=255, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "body"], name="leaders_signoff_once")]

    def __str__(self):
        return f"{self.candidate_id}:{self.body}"


class Term(Scoped):
    """A term of one of the two committees of a village (community)."""

    body = models.CharField("委员会", max_length=12, choices=Body.choices)
    starts_on = models.DateField("任期开始")
    ends_on = models.DateField("届满日期")
    election = models.ForeignKey(Election, null=True, blank=True, on_delete=models.PROTECT, related_name="terms")

    class Meta:
        verbose_name = "任期"
        ordering = ["org_path", "body", "-starts_on"]

    def __str__(self):
        return f"{self.get_body_display()} {self.starts_on}—{self.ends_on}"


class Reserve(Scoped):
    """A person in the reserve talent pool (后备人才库) of a village; a member or not."""

    name = models.CharField("姓名", max_length=50)
    initials = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    member = models.ForeignKey("members.Member", verbose_name="党员", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    target_post = models.CharField("培养方向", max_length=50, blank=True)
    entered_on = models.DateField("入库日期")
    left_on = models.DateField("出库日期", null=True, blank=True)
    left_reason = models.CharField("出库原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "后备人才"
        ordering = ["org_path", "left_on", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leaders:reserve_detail", args=[self.pk])


class ReserveEvent(models.Model):
    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("类型", max_length=8, choices=ReserveEventKind.choices)
    happened_on = models.DateField("日期")
    note = models.CharField("说明", max_length=255)
    grade = models.CharField("评价", max_length=12, choices=Grade.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on}"


class Course(Scoped):
    """A training course (教育培训) for secretaries and reserves."""

    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    organizer = models.CharField("主办单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "培训班"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leaders:course_detail", args=[self.pk])


class Attendance(models.Model):
    """One trainee at one course: a member (a secretary) or a reserve."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reserve = models.ForeignKey(Reserve, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances")
    name = models.CharField("姓名", max_length=50)
    person_path = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="leaders_attend_member_once"),
            models.UniqueConstraint(fields=["course", "reserve"], name="leaders_attend_reserve_once"),
        ]

    def __str__(self):
        return self.name


class Review(Scoped):
    """The yearly 述职述廉 and 民主评议 of one village cadre. When the 评议 is held as a ballots.Round, `round` links
    it and `grade` stays blank until the round is concluded."""

    year = models.PositiveIntegerField("年度")
    name = models.CharField("姓名", max_length=50)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    post_label = models.CharField("职务", max_length=50)
    report = models.TextField("述职述廉报告要点")
    grade = models.CharField("评议结果", max_length=12, choices=Grade.choices, blank=True)
    round = models.ForeignKey("ballots.Round", verbose_name="民主评议", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "述职述廉评议"
        ordering = ["-year", "org_path", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "name"], name="leaders_review_once")]

    def __str__(self):
        return f"{self.name}{self.year}"


class ExitAudit(Scoped):
    """An exit (离任) or term (任期) economic-responsibility audit of a village cadre."""

    election = models.ForeignKey(Election, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    kind = models.CharField("类型", max_length=8, choices=AuditKind.choices)
    person_name = models.CharField("被审计人", max_length=50)
    post_label = models.CharField("职务", max_length=50)
    scope = models.CharField("审计范围", max_length=255)
    auditor = models.CharField("审计单位", max_length=100)
    findings = models.TextField("审计发现", blank=True)
    follow_up = models.TextField("整改落实", blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    disclosure = models.ForeignKey("disclosure.Disclosure", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "离任（任期）审计"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.person_name}{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("leaders:audit_detail", args=[self.pk])
