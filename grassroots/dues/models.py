from django.conf import settings
from django.db import models

from grassroots.core import scoping

from .rules import Category


class DuesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree see its records; a member sees their own."""
        return self.filter(scoping.records_or_own_q(user))

    def within_path(self, path):
        return self.filter(org_path__startswith=path)


class DuesDeclaration(models.Model):
    """A member's declared monthly base and the dues computed from it, effective from a month (年度核定)."""

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_declarations")
    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("交纳类别", max_length=12, choices=Category.choices)
    base = models.DecimalField("月计算基数（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("月应交党费（元）", max_digits=10, decimal_places=2)
    effective_from = models.DateField("起交月份")
    declared_on = models.DateField("申报日期")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="核定人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = "党费基数申报"
        verbose_name_plural = "党费基数申报"
        ordering = ["member_id", "-effective_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "effective_from"], name="dues_one_declaration_per_month")]

    def __str__(self):
        return f"{self.member} {self.effective_from:%Y年%m月}起 {self.amount} 元/月"


class DuesPayment(models.Model):
    """One member's dues for one month: what was due, and what was paid, when and how (党费收缴记录)."""

    class Method(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        ONLINE = "online", "线上支付"

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments")
    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    month = models.DateField("所属月份")  # the first day of the month
    amount_due = models.DecimalField("应交（元）", max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField("实交（元）", max_digits=10, decimal_places=2, default=0)
    paid_on = models.DateField("交纳日期", null=True, blank=True)
    method = models.CharField("交纳方式", max_length=10, choices=Method.choices, blank=True)
    receipt_no = models.CharField("收据号", max_length=40, blank=True)
    by_proxy = models.BooleanField("代交", default=False)
    back_pay = models.BooleanField("补交", default=False)
    exempt = models.BooleanField("经批准减免", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = "党费收缴记录"
        verbose_name_plural = "党费收缴记录"
        ordering = ["month", "org_path", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_one_record_per_month")]
        indexes = [
            models.Index(fields=["org_path", "month"]),
            # the API list's newest-first order, read from the index instead of sorting millions of records
            models.Index(models.F("month").desc(), "org_path", "member_id", name="dues_payment_newest_first"),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y年%m月} 党费"

    @property
    def is_paid(self):
        return self.exempt or (self.paid_on is not None and self.amount_paid >= self.amount_due)

    @property
    def arrears(self):
        return max(self.amount_due - self.amount_paid, 0) if not self.exempt else 0


class DuesRelief(models.Model):
    """A hardship reduction or exemption (减免): the branch decides, the next level approves."""

    class Kind(models.TextChoices):
        REDUCE = "reduce", "少交"
        EXEMPT = "exempt", "免交"

    class State(models.TextChoices):
        PENDING = "pending", "待上级审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    member = models.ForeignKey("members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_reliefs")
    org = models.ForeignKey("orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("减免方式", max_length=8, choices=Kind.choices)
    amount = models.DecimalField("减免后月交纳额（元）", max_digits=10, decimal_places=2, default=0)
    from_month = models.DateField("起始月份")
    to_month = models.DateField("截止月份")
    reason = models.CharField("困难情况", max_length=500)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="支部决定人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上级审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_note = models.CharField("审批意见", max_length=500, blank=True)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = "党费减免"
        verbose_name_plural = "党费减免"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()}党费 {self.from_month:%Y.%m}–{self.to_month:%Y.%m}"

    def covers(self, month):
        return self.from_month <= month <= self.to_month
