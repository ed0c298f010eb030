"""The daily reminder: the responsible user hears of their tasks due within N days (rules.remind_days) and of
their overdue ones; the managers of each list's organization hear of the list's overdue tasks. One notification
per person and kind a day (a re-run the same day sends nothing new)."""

import datetime
from collections import defaultdict

from django.urls import reverse

from grassroots.core.models import Notification
from grassroots.core.notifications import notify

from . import rules
from .models import Task
from .services import _kind, list_managers

DUE_TITLE = "任务即将到期"
OVERDUE_TITLE = "任务已逾期"


def _already(user_ids, title, today):
    return set(Notification.objects.filter(recipient_id__in=user_ids, title__startswith=title, created_at__date=today).values_list("recipient_id", flat=True))


def send_reminders(today):
    """Returns (notifications sent to responsible users, to list managers)."""
    days = rules.remind_days()
    tasks = Task.objects.active().filter(due_on__lte=today + datetime.timedelta(days=days)).select_related("task_list__org", "assignee_org")
    per_user = defaultdict(lambda: {"due": [], "overdue": []})
    per_list = defaultdict(list)
    for task in tasks.iterator(chunk_size=500):
        kind = "overdue" if task.due_on < today else "due"
        if task.responsible_user_id:
            per_user[task.responsible_user_id][kind].append(task)
        if kind == "overdue":
            per_list[task.task_list].append(task)
    sent_users = 0
    for kind, title in (("due", DUE_TITLE), ("overdue", OVERDUE_TITLE)):
        targets = {u: v[kind] for u, v in per_user.items() if v[kind]}
        done = _already(list(targets), title, today)
        for user_id, items in targets.items():
            if user_id in done:
                continue
            first = items[0]
            body = "；".join(f"{t.title}（{t.due_on:%Y-%m-%d}）" for t in items[:10]) + ("等" if len(items) > 10 else "")
            sent_users += notify([user_id], title=f"{title}：{len(items)} 项", body=body, link=reverse("tracking:mine"),
                                 kind=_kind(first.task_list), org_path=first.list_path)
    sent_managers = 0
    for task_list, items in per_list.items():
        title = f"{OVERDUE_TITLE}（{task_list.title[:40]}）"
        managers = list_managers(task_list)
        done = _already(managers, title, today)
        managers = [m for m in managers if m not in done]
        body = "；".join(f"{t.title}（{t.assignee_org or task_list.org}，{t.due_on:%Y-%m-%d}）" for t in items[:10])
        sent_managers += notify(managers, title=f"{title}：{len(items)} 项", body=body,
                                link=reverse("tracking:list", args=[task_list.pk]), kind=_kind(task_list), org_path=task_list.org_path)
    return sent_users, sent_managers
