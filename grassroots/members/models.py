from django.conf import settings
from django.db import models

from grassroots.accounts import scoping

from .choices import ETHNICITIES, HAN, Gender, State, Status


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of a subtree see its members; a member with only the member role sees their own record."""
        q = scoping.path_q("org_path", scoping.record_paths(user))
        if getattr(user, "is_authenticated", False):
            q |= models.Q(user=user)
        return self.filter(q)

    def in_register(self):
        """Members still on the register (not expelled, removed, withdrawn or deceased)."""
        return self.exclude(state=State.LEFT)

    def within_path(self, path):
        return self.filter(org_path__startswith=path)


class Member(models.Model):
    """A Party member's record (党员信息). The member-registry issue extends this record."""

    name = models.CharField("姓名", max_length=50)
    initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITIES, default=HAN)
    birth_date = models.DateField("出生日期")
    status = models.CharField("党员类别", max_length=16, choices=Status.choices)
    joined_on = models.DateField("入党日期")
    full_on = models.DateField("转正日期", null=True, blank=True)
    state = models.CharField("党籍状态", max_length=16, choices=State.choices, default=State.NORMAL)
    org = models.ForeignKey("orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    is_synthetic = models.BooleanField("演示数据", default=False, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["org_path", "initials", "id"]
        indexes = [models.Index(fields=["org_path", "state"])]

    def __str__(self):
        return self.name
