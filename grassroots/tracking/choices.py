from django.db import models


class TaskState(models.TextChoices):
    OPEN = "open", "进行中"
    SUBMITTED = "submitted", "已报请验收"
    RETURNED = "returned", "已退回"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


# A task in one of these states takes no more reports and no more changes.
FINISHED = (TaskState.DONE, TaskState.CANCELLED)


class EventKind(models.TextChoices):
    CREATED = "created", "下达任务"
    SUBMITTED = "submitted", "报请验收"
    RETURNED = "returned", "退回重办"
    SIGNED_OFF = "signed_off", "签字办结"
    CANCELLED = "cancelled", "撤销"
    DUE_CHANGED = "due_changed", "调整期限"
