"""Task lists (a task book, a measure list, a notice's required measures), their tasks with deadlines, the progress
reported on each task with files, and the task's state changes (for the timeline)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scoping

from .choices import FINISHED, EventKind, TaskState


def reporter_paths(user):
    """Subtrees whose tasks the user reports on because the task is assigned there: managers of the assignee org,
    stationed cadres and assisting-unit contacts covering it."""
    return scoping.minimal_prefixes([*scoping.manage_paths(user), *scoping.stationed_paths(user), *scoping.assisting_paths(user)])


def reader_paths(user):
    """Subtrees whose assigned tasks the user reads: readers of records there, and the reporters above."""
    return scoping.minimal_prefixes([*scoping.record_paths(user), *reporter_paths(user)])


class TaskListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lists of an org whose records the user reads, and lists holding a task the user may see."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = Task.objects.visible_to(user).values("task_list_id")
        return self.filter(scoping.path_q("org_path", scoping.record_paths(user)) | Q(pk__in=own))

    def manageable_by(self, user):
        return self.filter(scoping.path_q("org_path", scoping.manage_paths(user)))

    def within(self, path):
        return self.filter(org_path__startswith=path)


class TaskList(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="下达单位", on_delete=models.PROTECT, related_name="task_lists")
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField("任务清单", max_length=200)
    source = models.CharField("来源", max_length=60)  # "<app>.<model>", e.g. "rectification.case"
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = TaskListQuerySet.as_manager()

    class Meta:
        verbose_name = "任务清单"
        verbose_name_plural = "任务清单"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self):
        return self.title


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks of a list the user reads, tasks assigned inside a subtree the user reads or reports on, and tasks
        the user is named on (responsible person or extra reporter)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = scoping.path_q("list_path", scoping.record_paths(user)) | scoping.path_q("assignee_path", reader_paths(user))
        if scoping.ALL in scoping.record_paths(user):
            return self
        named = Task.extra_reporters.through.objects.filter(user_id=user.pk).values("task_id")
        return self.filter(q | Q(responsible_user=user) | Q(pk__in=named))

    def reportable_by(self, user):
        """Tasks the user must report on ("my tasks"): named on them, or assigned inside a subtree they report for."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        named = Task.extra_reporters.through.objects.filter(user_id=user.pk).values("task_id")
        paths = reporter_paths(user)
        q = Q(responsible_user=user) | Q(pk__in=named)
        if paths and scoping.ALL not in paths:
            q |= Q(assignee_path__gt="") & scoping.path_q("assignee_path", paths)
        return self.filter(q)

    def active(self):
        return self.exclude(state__in=FINISHED)

    def overdue(self, today):
        return self.filter(due_on__lt=today).exclude(state__in=FINISHED)

    def due_within(self, today, days):
        import datetime

        return self.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)).exclude(state__in=FINISHED)

    def within(self, path):
        return self.filter(Q(assignee_path__startswith=path, assignee_path__gt="") | Q(list_path__startswith=path))

    def awaiting_sign_off_by(self, user):
        return self.filter(state=TaskState.SUBMITTED).filter(scoping.path_q("list_path", scoping.manage_paths(user)))


class Task(models.Model):
    task_list = models.ForeignKey(TaskList, verbose_name="任务清单", on_delete=models.CASCADE, related_name="tasks")
    list_path = models.CharField(max_length=255, db_index=True, editable=False)  # task_list.org_path, for scoping
    title = models.CharField("任务", max_length=300)
    detail = models.TextField("具体要求", blank=True)
    assignee_org = models.ForeignKey(
        "orgs.Organization", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_tasks"
    )
    assignee_path = models.CharField(max_length=255, db_index=True, blank=True, editable=False)
    responsible_name = models.CharField("责任人", max_length=50, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="tracked_tasks"
    )
    extra_reporters = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="其他报送人", blank=True, related_name="+")
    starts_on = models.DateField("开始日期", null=True, blank=True)
    due_on = models.DateField("完成时限")
    state = models.CharField("状态", max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    last_reported_on = models.DateField("最近报送", null=True, blank=True)
    done_on = models.DateField("办结日期", null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签字确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField("序号", default=0)
    created_at = models.DateTimeField("下达时间", auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["task_list_id", "position", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="tracking_task_percent_le_100")]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.state in FINISHED

    def is_overdue(self, today):
        return not self.finished and self.due_on < today


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField("报送日期")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    text = models.TextField("进展情况", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "进度报告"
        verbose_name_plural = "进度报告"
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.task} {self.reported_on} {self.percent}%"


class ReportFile(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name="进度报告", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to="tracking/%Y/%m/", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class TaskEvent(models.Model):
    """A state change of a task (issued, submitted, returned, signed off, cancelled, deadline moved), for the timeline."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "任务状态变化"
        verbose_name_plural = "任务状态变化"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.task} {self.get_kind_display()}"
