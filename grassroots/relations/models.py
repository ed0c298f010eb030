from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping
from grassroots.members import rules as member_rules
from grassroots.members.choices import Status

from . import rules
from .choices import CaseState, FloatingReason, SearchMethod, TransferKind, TransferReason, TransferState


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of the sending or of the receiving organization see a transfer."""
        paths = scoping.record_paths(user)  # path_q matches everything for ALL and nothing for no paths
        return self.filter(scoping.path_q("from_org_path", paths) | scoping.path_q("to_org_path", paths))


class Transfer(models.Model):
    """A transfer of membership relations (组织关系转接) with its letter of introduction (介绍信)."""

    kind = models.CharField("转接类型", max_length=20, choices=TransferKind.choices, default=TransferKind.INTERNAL)
    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="transfers")
    from_org = models.ForeignKey(
        "orgs.Organization", verbose_name="转出党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_org_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    from_external = models.CharField("转出党组织（平台外）", max_length=200, blank=True)
    to_org = models.ForeignKey(
        "orgs.Organization", verbose_name="接收党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    to_external = models.CharField("接收党组织（平台外）", max_length=200, blank=True)
    reason = models.CharField("转接原因", max_length=16, choices=TransferReason.choices)
    letter_number = models.CharField("介绍信编号", max_length=60)
    letter_year = models.PositiveIntegerField("编号年度", null=True, blank=True, editable=False)
    letter_seq = models.PositiveIntegerField("编号序号", null=True, blank=True, editable=False)
    issued_on = models.DateField("开具日期")
    valid_days = models.PositiveIntegerField("有效期（天）")
    valid_until = models.DateField("有效期至", editable=False)  # rules.valid_until(issued_on, valid_days), kept for filtering
    state = models.CharField("状态", max_length=12, choices=TransferState.choices, default=TransferState.ISSUED)
    decided_on = models.DateField("接收或退回日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.CharField("退回理由", max_length=500, blank=True)
    placed_in = models.ForeignKey(
        "orgs.Organization", verbose_name="编入党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_on = models.DateField("回执日期", null=True, blank=True)
    reissue_of = models.OneToOneField(
        "self", verbose_name="重开自", null=True, blank=True, on_delete=models.PROTECT, related_name="reissued_as"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    last_reminded_on = models.DateField("最近提醒日期", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开具人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Letter numbers are per issuing organization and year: 〔2026〕第12号 is unique for its issuer.
            models.UniqueConstraint(
                fields=["from_org", "letter_year", "letter_seq"], name="relations_letter_number_once",
                condition=Q(from_org__isnull=False, letter_seq__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "issued_on"])]

    def __str__(self):
        return f"{self.member.name} {self.letter_number}"

    def save(self, *args, **kwargs):
        self.valid_until = rules.valid_until(self.issued_on, self.valid_days)
        super().save(*args, **kwargs)

    @property
    def from_name(self):
        return self.from_org.name if self.from_org_id else self.from_external

    @property
    def to_name(self):
        return self.to_org.name if self.to_org_id else self.to_external

    @property
    def probation_until(self):
        """For a probationary member: the end of the one-year probation (中国共产党章程 art. 7), which the move does
        not touch; an extension decided by the branch is the development app's record."""
        if self.member.status != Status.PROBATIONARY:
            return None
        return member_rules.add_years(self.member.joined_on, member_rules.PROBATION_YEARS)

    def current_state(self, today):
        """The state as of `today`: an issued letter past its validity reads as expired even before the nightly
        command marks it."""
        if self.state == TransferState.ISSUED and self.kind == TransferKind.INTERNAL and today > self.valid_until:
            return TransferState.EXPIRED
        return self.state

    def current_state_label(self, today):
        state = self.current_state(today)
        if state == TransferState.ISSUED and self.kind == TransferKind.OUTGOING_EXTERNAL:
            return "待回执"  # the paper letter went outside the platform; its receipt completes the transfer
        return TransferState(state).label

    def is_expiring(self, today):
        return self.current_state(today) == TransferState.ISSUED and rules.is_expiring(self.issued_on, self.valid_days, today)

    @property
    def receipt_due(self):
        """When the paper receipt (回执) is due, for transfers across the platform's edge (条例: within 1 month of
        receiving the member). Outgoing: 1 month after the letter's last valid day, back from the receiving side.
        Incoming: 1 month after this platform's organization received the member, sent back by it."""
        if self.kind == TransferKind.OUTGOING_EXTERNAL:
            return rules.receipt_due(self.valid_until)
        if self.kind == TransferKind.INCOMING_EXTERNAL and self.decided_on:
            return rules.receipt_due(self.decided_on)
        return None

    def awaits_receipt(self):
        if self.kind == TransferKind.OUTGOING_EXTERNAL:
            return self.state == TransferState.ISSUED
        return self.kind == TransferKind.INCOMING_EXTERNAL and self.state == TransferState.ACCEPTED and self.receipt_on is None

    def receipt_overdue(self, today):
        """Still waiting for the receipt after its due day."""
        due = self.receipt_due
        return due is not None and self.awaits_receipt() and today > due

    @property
    def receipt_late_days(self):
        """How many days after its due day the receipt came back: stays on the record once it has arrived (the
        ledger and its export show it), 0 when on time, None while none has come or for an internal transfer
        (whose receipt is the acceptance itself). Both dates are stored, so the answer never changes later."""
        due = self.receipt_due
        if due is None or self.receipt_on is None:
            return None
        return max((self.receipt_on - due).days, 0)

    @property
    def receipt_late(self):
        return bool(self.receipt_late_days)

    def receipt_label(self, today):
        """The receipt's standing for the ledger: 按时 / 逾期N天 once back, 逾期未回 / 待回执 while awaited."""
        late = self.receipt_late_days
        if late is not None:
            return f"逾期{late}天" if late else "按时"
        if self.receipt_due is None or not self.awaits_receipt():
            return ""
        return "逾期未回" if self.receipt_overdue(today) else "待回执"


class FloatingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of the member's own organization, and of the organization on the platform where the member takes
        part in activities (流入地党组织)."""
        paths = scoping.record_paths(user)  # path_q matches everything for ALL and nothing for no paths
        return self.filter(scoping.path_q("org_path", paths) | scoping.path_q("activity_org_path", paths))


class FloatingRecord(models.Model):
    """A floating member (流动党员): where they went, why, how to reach them, where they take part."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="floating_records")
    org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    left_on = models.DateField("外出日期")
    destination = models.CharField("流入地", max_length=200)
    reason = models.CharField("外出原因", max_length=12, choices=FloatingReason.choices)
    contact_phone_encrypted = models.TextField("联系电话（密文）", blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    contact_address = models.CharField("联系地址", max_length=200, blank=True)
    certificate_number = models.CharField("流动党员活动证编号", max_length=60, blank=True)
    activity_org = models.ForeignKey(
        "orgs.Organization", verbose_name="参加活动的党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity_org_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    activity_org_name = models.CharField("参加活动的党组织（平台外）", max_length=200, blank=True)
    returned_on = models.DateField("返回日期", null=True, blank=True)
    # The record also ends when the relationship is transferred (to where the member now lives): returned_on is then
    # the day the transfer was accepted and this points to it.
    ended_by_transfer = models.ForeignKey(
        Transfer, verbose_name="因组织关系转接结束", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    # When the branch was told the member has been away 6 months (relations_reminders), so it is told once.
    transfer_reminded_on = models.DateField("转接提醒日期", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)

    objects = FloatingQuerySet.as_manager()

    class Meta:
        verbose_name = "流动党员"
        verbose_name_plural = "流动党员"
        ordering = ["-left_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(returned_on__isnull=True), name="relations_one_open_floating"),
        ]

    def __str__(self):
        return f"{self.member.name} → {self.destination}"

    @property
    def activity_org_display(self):
        return self.activity_org.name if self.activity_org_id else self.activity_org_name

    def transfer_required(self, today):
        return self.returned_on is None and rules.transfer_required(self.left_on, today)


class LostContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)))


class LostContactCase(models.Model):
    """A lost-contact member (失联党员) and the regulation's handling of the case."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="lost_contact_cases")
    org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    last_contact_on = models.DateField("最后联系日期")
    opened_on = models.DateField("登记失联日期")
    state = models.CharField("处理状态", max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    suspended_on = models.DateField("停止党籍日期", null=True, blank=True)
    suspend_document = models.CharField("停止党籍决定文号", max_length=100, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_document = models.CharField("处理决定文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)

    objects = LostContactQuerySet.as_manager()

    class Meta:
        verbose_name = "失联党员"
        verbose_name_plural = "失联党员"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(state__in=["open", "suspended"]), name="relations_one_open_case"),
        ]

    def __str__(self):
        return f"{self.member.name} 失联"

    @property
    def suspend_possible_on(self):
        return rules.suspend_possible_on(self.last_contact_on)

    @property
    def self_left_possible_on(self):
        return rules.self_left_possible_on(self.suspended_on) if self.suspended_on else None


class SearchAttempt(models.Model):
    """One attempt to find a lost-contact member (寻找记录)."""

    case = models.ForeignKey(LostContactCase, verbose_name="失联党员", on_delete=models.PROTECT, related_name="attempts")
    tried_on = models.DateField("寻找日期")
    method = models.CharField("寻找方式", max_length=12, choices=SearchMethod.choices)
    searcher = models.CharField("寻找人", max_length=100)
    result = models.CharField("寻找结果", max_length=500)
    found = models.BooleanField("已取得联系", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "寻找记录"
        verbose_name_plural = "寻找记录"
        ordering = ["-tried_on", "-id"]

    def __str__(self):
        return f"{self.case.member.name} {self.tried_on} {self.get_method_display()}"
