import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import make_user
from grassroots.core.models import Notification
from grassroots.core.roles import Role
from grassroots.tracking.choices import TaskState
from grassroots.tracking.menu import has_tasks
from grassroots.tracking.reminders import send_reminders

from .factories import new_list, new_task, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(tree, people):
    from types import SimpleNamespace

    town = make_user("town_sec", Role.SECRETARY, tree.town)
    doer = make_user("doer", full_name="王责任")
    task_list = new_list(town, tree.town, title="湖塘镇整顿任务书")
    task = new_task(town, task_list, title="配齐班子", assignee_org=tree.branch_a, responsible_name="王责任", responsible_user=doer,
                    due_on=datetime.date(2026, 11, 30))
    return SimpleNamespace(town=town, doer=doer, list=task_list, task=task, people=people, tree=tree)


def test_report_submit_and_sign_off_through_the_pages(client, t):
    client.force_login(t.doer)
    page = client.get(reverse("tracking:task", args=[t.task.pk]))
    assert page.status_code == 200 and "报送进度" in page.content.decode() and "签字办结" not in page.content.decode()
    response = client.post(reverse("tracking:task_report", args=[t.task.pk]),
                           {"percent": 100, "reported_on": "2026-12-01", "text": "已配齐", "files": [png()]})
    assert response.status_code == 302
    t.task.refresh_from_db()
    assert t.task.percent == 100 and t.task.reports.get().files.count() == 1
    file_id = t.task.reports.get().files.get().pk
    assert client.get(reverse("tracking:file", args=[file_id])).status_code == 200
    bad = client.post(reverse("tracking:task_report", args=[t.task.pk]), {"percent": 50, "reported_on": "2026-12-01", "text": ""})
    assert bad.status_code == 400 and "说明原因" in bad.content.decode()
    assert client.post(reverse("tracking:task_act", args=[t.task.pk]), {"action": "submit"}).status_code == 302
    refused = client.post(reverse("tracking:task_act", args=[t.task.pk]), {"action": "sign_off"})
    assert refused.status_code == 403  # the reporter cannot close it
    client.force_login(t.town)
    page = client.get(reverse("tracking:task", args=[t.task.pk])).content.decode()
    assert "签字办结" in page and "已配齐" in page
    assert client.post(reverse("tracking:task_act", args=[t.task.pk]), {"action": "sign_off"}).status_code == 302
    t.task.refresh_from_db()
    assert t.task.state == TaskState.DONE


def test_list_page_export_and_add(client, t, django_assert_max_num_queries):
    for i in range(5):
        new_task(t.town, t.list, title=f"任务{i}", assignee_org=t.tree.branch_b)
    client.force_login(t.town)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("tracking:list", args=[t.list.pk]))
    assert page.status_code == 200 and "任务4" in page.content.decode()
    response = client.post(reverse("tracking:task_add", args=[t.list.pk]), {"title": "新任务", "due_on": "2027-01-15", "assignee_org": t.tree.branch_a.pk})
    assert response.status_code == 302 and t.list.tasks.filter(title="新任务", assignee_org=t.tree.branch_a).exists()
    export = client.get(reverse("tracking:list_export", args=[t.list.pk]))
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    # branch A's secretary sees the list through its own task only
    client.force_login(t.people.secretary_a)
    page = client.get(reverse("tracking:list", args=[t.list.pk])).content.decode()
    assert "配齐班子" in page and "新任务" in page  # both assigned to branch A
    assert not any(f"任务{i}" in page for i in range(5))  # branch B's tasks: neither in the table nor in the timeline


def test_my_tasks_overdue_and_menu(client, t):
    assert has_tasks(t.doer) and not has_tasks(t.people.member_a)
    client.force_login(t.doer)
    assert "配齐班子" in client.get(reverse("tracking:mine")).content.decode()
    client.force_login(t.people.dept_a)
    page = client.get(reverse("tracking:overdue")).content.decode()
    assert "配齐班子" in page and "新村第一党支部" in page
    assert client.get(reverse("tracking:overdue"), {"format": "xlsx"}).status_code == 200
    client.force_login(t.people.secretary_b)
    assert "配齐班子" not in client.get(reverse("tracking:overdue")).content.decode()


def test_include_renders(t, rf):
    from django.template.loader import render_to_string

    html = render_to_string("tracking/_list.html", {"task_list": t.list})
    assert "配齐班子" in html and reverse("tracking:list", args=[t.list.pk]) in html


def test_reminders(t, tree):
    today = timezone.localdate()  # the once-a-day check looks at the day the notifications were written
    due_soon = new_task(t.town, t.list, title="即将到期", responsible_user=t.doer, due_on=today + datetime.timedelta(days=1))
    new_task(t.town, t.list, title="很久以后", responsible_user=t.doer, due_on=today + datetime.timedelta(days=200))
    users, managers = send_reminders(today)
    assert (users, managers) == (2, 1)  # the doer: one due soon, one overdue; the town secretary: the list's overdue
    due = Notification.objects.get(recipient=t.doer, title__startswith="任务即将到期")
    assert due_soon.title in due.body and "很久以后" not in due.body
    assert Notification.objects.filter(recipient=t.town, title__contains="湖塘镇整顿任务书", body__contains="配齐班子").exists()
    assert send_reminders(today) == (0, 0)  # a re-run the same day sends nothing new


def test_reminder_command(t):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("tracking_reminders", stdout=out)
    assert "提醒责任人" in out.getvalue()


def test_api(api, t):
    api.as_user(t.doer)
    listing = api.get("/tracking/tasks", mine="true").json()
    assert [i["title"] for i in listing["items"]] == ["配齐班子"] and listing["items"][0]["overdue"] is True
    response = api.send("post", f"/tracking/tasks/{t.task.pk}/reports", {"percent": 60, "text": "过半"})
    assert response.status_code == 201 and response.json()["percent"] == 60
    assert api.send("post", f"/tracking/tasks/{t.task.pk}/submit", {}).status_code == 200
    refused = api.send("post", f"/tracking/tasks/{t.task.pk}/sign-off", {})
    assert refused.status_code == 403 and "签字确认" in refused.json()["detail"]
    api.as_user(t.town)
    done = api.send("post", f"/tracking/tasks/{t.task.pk}/sign-off", {})
    assert done.status_code == 200 and done.json()["state"] == "done"
    detail = api.get(f"/tracking/lists/{t.list.pk}").json()
    assert detail["done"] == 1 and detail["percent"] == "100.0"
    late = api.send("post", f"/tracking/tasks/{t.task.pk}/reports", {"percent": 100})
    assert late.status_code == 422 and "已办结" in late.json()["detail"]
    added = api.send("post", f"/tracking/lists/{t.list.pk}/tasks", {"title": "API任务", "due_on": "2027-01-01", "assignee_org_id": t.tree.b_branch.pk})
    assert added.status_code == 422 and "找不到" in added.json()["detail"]
