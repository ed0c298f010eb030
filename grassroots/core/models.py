from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditQuerySet(models.QuerySet):
    def search(self, *, actor="", obj="", action="", start=None, end=None):
        """Filter by actor account, object (name or request id), action and a date range (inclusive)."""
        qs = self
        if actor:
            qs = qs.filter(actor_name__icontains=actor)
        if obj:
            qs = qs.filter(models.Q(object_repr__icontains=obj) | models.Q(request_id=obj))
        if action:
            qs = qs.filter(action=action)
        if start:
            qs = qs.filter(time__date__gte=start)
        if end:
            qs = qs.filter(time__date__lte=end)
        return qs

    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def visible_to(self, user):
        """Admins see everything; organization departments see rows inside their subtree
        and their own actions; everyone else sees only their own actions."""
        from grassroots.core import scoping

        if not user.is_authenticated:
            return self.none()
        if scoping.is_system_admin(user):
            return self
        paths = scoping.audit_paths(user)
        return self.filter(scoping.path_q("org_path", paths) | models.Q(actor=user))


class AuditLog(models.Model):
    """One row per create, change, move, dissolve, role grant, login and data reveal."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        MOVE = "move", "移动"
        DISSOLVE = "dissolve", "撤销"
        RESTORE = "restore", "恢复"
        GRANT = "grant", "授予角色"
        REVOKE = "revoke", "收回角色"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED = "locked", "账号锁定"
        LOGOUT = "logout", "退出"
        PASSWORD = "password", "修改密码"
        TOKEN = "token", "API 令牌"
        REVEAL = "reveal", "查看敏感信息"
        EXPORT = "export", "导出"
        # Business actions of the domain apps (development, transfers, dues, decisions, disclosure).
        APPROVE = "approve", "批准"
        REJECT = "reject", "退回"
        CONFIRM = "confirm", "确认"
        CANCEL = "cancel", "取消"
        VOTE = "vote", "表决"
        TRANSFER = "transfer", "转接"
        PUBLISH = "publish", "发布"
        CORRECT = "correct", "更正"
        ANSWER = "answer", "答复"
        HIDE = "hide", "屏蔽"
        # Actions of the notice's other parts (rectification, leaders, assistance, volunteering, supervision,
        # discipline, guarantees, assessment), added once so those apps need no migration of core.
        ASSIGN = "assign", "指派"
        SUBMIT = "submit", "提交"
        REPORT = "report", "报告进展"
        SIGN = "sign", "签收"
        ACCEPT = "accept", "验收"
        REOPEN = "reopen", "重新打开"
        CLOSE = "close", "办结"
        RUN = "run", "运行"

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    org_path = models.CharField("所属组织路径", max_length=255, blank=True, db_index=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    client_ip = models.CharField("客户端地址", max_length=64, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def changes(self):
        """(label, before, after) for every field whose value differs, in Chinese: the field's
        verbose name and, for coded fields, the choice label."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        model = self.content_type.model_class() if self.content_type_id else None
        return [
            (field_label(model, k), display_value(model, k, before.get(k)), display_value(model, k, after.get(k)))
            for k in keys
            if before.get(k) != after.get(k) and (before or after.get(k) not in ("", None))  # a new record: only filled fields
        ]


# Labels for values the services record that are not model fields (moves, grants, account events).
EXTRA_LABELS = {"parent": "上级组织", "path": "树路径", "locked": "锁定", "username": "用户名", "prefix": "令牌前缀"}


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a reverse relation
        return None


def field_label(model, name):
    field = _model_field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return EXTRA_LABELS.get(name, name)


def display_value(model, name, value):
    if value is None:
        return None
    field = _model_field(model, name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is private to its recipient: nobody else sees it, administrators included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user inside the platform (a planned meeting, a reminder), with a link to act on it."""

    class Kind(models.TextChoices):
        MEETING_PLANNED = "meeting_planned", "会议通知"
        REMINDER = "reminder", "工作提醒"
        DEVELOPMENT = "development", "发展党员"
        TRANSFER = "transfer", "组织关系转接"
        DUES = "dues", "党费"
        DISCLOSURE = "disclosure", "公开提醒"
        OBJECTION = "objection", "监督意见"
        JOB_FAILED = "job_failed", "定时任务失败"
        RECTIFICATION = "rectification", "软弱涣散整顿"
        LEADERS = "leaders", "带头人队伍"
        ASSISTANCE = "assistance", "驻村帮扶"
        VOLUNTEERING = "volunteering", "双报到"
        SUPERVISION = "supervision", "督导"
        DISCIPLINE = "discipline", "正风肃纪"
        GUARANTEES = "guarantees", "基础保障"
        ASSESSMENT = "assessment", "述职评议考核"
        OTHER = "other", "其他"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)  # a path inside the site, e.g. /orglife/12/
    org_path = models.CharField("所属组织路径", max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="core_notif_recipient_time"),
            models.Index(fields=["recipient", "read_at"], name="core_notif_recipient_unread"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class JobRun(models.Model):
    """One run of a periodic job (core/scheduling.py). The unique (job, scheduled_for) pair is the lock: when two
    scheduler processes fire the same job for the same minute, only the first insert wins and enqueues it."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "成功"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=80, db_index=True)
    scheduled_for = models.DateTimeField("计划时间")
    manual = models.BooleanField("手动运行", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)
    outcome = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-scheduled_for", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "scheduled_for"], name="core_jobrun_once_per_time")]

    def __str__(self):
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M}"
