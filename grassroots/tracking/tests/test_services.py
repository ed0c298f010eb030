import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.conftest import make_user
from grassroots.core.models import AuditLog, Notification
from grassroots.core.roles import Role
from grassroots.tracking import queries, services
from grassroots.tracking.choices import TaskState
from grassroots.tracking.models import Task, TaskList

from .factories import new_list, new_task, png

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


def messages(exc):
    e = exc.value
    return " ".join(m for ms in e.message_dict.values() for m in ms) if hasattr(e, "error_dict") else " ".join(e.messages)


@pytest.fixture
def t(tree, people):
    """A town task list with a task for branch A whose responsible user is a plain account."""
    from types import SimpleNamespace

    town_secretary = make_user("town_sec", Role.SECRETARY, tree.town)
    doer = make_user("doer", full_name="王责任")
    task_list = new_list(town_secretary, tree.town)
    task = new_task(town_secretary, task_list, assignee_org=tree.branch_a, responsible_name="王责任", responsible_user=doer)
    return SimpleNamespace(tree=tree, people=people, town=town_secretary, doer=doer, list=task_list, task=task)


def test_create_list_needs_a_manager_of_the_org(tree, people):
    with pytest.raises(PermissionDenied):
        new_list(people.secretary_a, tree.town)
    with pytest.raises(PermissionDenied):
        new_list(people.supervisor, tree.town)  # reads, does not manage
    task_list = new_list(people.dept_a, tree.town)
    assert task_list.org_path == tree.town.path
    assert AuditLog.objects.filter(object_id=str(task_list.pk), action=AuditLog.Action.CREATE).exists()
    with pytest.raises(ValidationError):
        services.create_list(people.dept_a, tree.town, title=" ", source="x.y", source_id=1)


def test_add_task_checks_and_notifies(t):
    assert t.task.assignee_path == t.tree.branch_a.path and t.task.list_path == t.tree.town.path
    assert t.task.position == 1 and new_task(t.town, t.list, title="第二项").position == 2
    assert Notification.objects.filter(recipient=t.doer, link=f"/tracking/task/{t.task.pk}/").exists()
    with pytest.raises(ValidationError) as exc:
        new_task(t.town, t.list, due_on=DAY, starts_on=DAY + datetime.timedelta(days=1))
    assert "开始日期" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        new_task(t.town, t.list, assignee_org=t.tree.b_branch)  # another district
    assert "管辖范围" in messages(exc)
    with pytest.raises(PermissionDenied):
        new_task(t.people.secretary_a, t.list)


def test_who_reports(t, tree, people):
    stationed = make_user("first_sec", Role.STATIONED, tree.branch_a)
    contact = make_user("contact", Role.ASSISTING_CONTACT, tree.branch_a)
    extra = make_user("extra")
    other = new_task(t.town, t.list, title="其他", assignee_org=tree.branch_a, extra_reporters=[extra.pk])
    for user in (t.doer, people.secretary_a, stationed, contact, t.town):
        assert services.can_report(user, t.task), user
    assert services.can_report(extra, other) and not services.can_report(extra, t.task)
    for user in (people.secretary_b, people.member_a, people.supervisor, people.nobody):
        assert not services.can_report(user, t.task), user
    with pytest.raises(PermissionDenied):
        services.report_progress(people.secretary_b, t.task, percent=10, text="x", reported_on=DAY)


def test_report_progress_with_files(t):
    report = services.report_progress(t.doer, t.task, percent=40, text="已召开支委会", reported_on=DAY, files=[png(), png("方案.png")])
    t.task.refresh_from_db()
    assert t.task.percent == 40 and t.task.last_reported_on == DAY and t.task.state == TaskState.OPEN
    files = list(report.files.all())
    assert [f.original_name for f in files] == ["现场照片.png", "方案.png"] and len(files[0].sha256) == 64 and files[0].content_type == "image/png"
    assert AuditLog.objects.filter(action=AuditLog.Action.REPORT, object_id=str(t.task.pk)).exists()


def test_report_refusals(t):
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.doer, t.task, percent=101, text="x", reported_on=DAY)
    assert "0 到 100" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.doer, t.task, percent=10, text="x", reported_on=datetime.date(2099, 1, 1))
    assert "晚于今天" in messages(exc)
    renamed = SimpleUploadedFile("照片.png", b"%PDF-1.4 not a png", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.doer, t.task, percent=10, text="x", reported_on=DAY, files=[renamed])
    assert "不符" in messages(exc)
    assert not t.task.reports.exists()  # nothing half-saved
    services.report_progress(t.doer, t.task, percent=60, text="过半", reported_on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.doer, t.task, percent=50, text="", reported_on=DAY)
    assert "说明原因" in messages(exc)
    services.report_progress(t.doer, t.task, percent=50, text="复核发现一项未完成", reported_on=DAY)
    t.task.refresh_from_db()
    assert t.task.percent == 50


def test_report_on_done_or_cancelled_task_is_refused(t):
    services.report_progress(t.doer, t.task, percent=100, text="完成", reported_on=DAY)
    services.submit(t.doer, t.task)
    services.sign_off(t.town, t.task)
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.doer, t.task, percent=100, text="再报", reported_on=DAY)
    assert "已办结" in messages(exc)
    other = new_task(t.town, t.list, title="撤销的", assignee_org=t.tree.branch_a)
    services.cancel(t.town, other, "任务合并")
    with pytest.raises(ValidationError) as exc:
        services.report_progress(t.people.secretary_a, other, percent=10, text="x", reported_on=DAY)
    assert "已撤销" in messages(exc)


def test_closing_needs_sign_off(t):
    services.report_progress(t.doer, t.task, percent=100, text="全部完成", reported_on=DAY)
    t.task.refresh_from_db()
    assert t.task.state == TaskState.OPEN  # 100 % reported does not close it
    with pytest.raises(ValidationError) as exc:
        services.sign_off(t.town, t.task)
    assert "尚未报请验收" in messages(exc)
    services.submit(t.doer, t.task)
    assert Notification.objects.filter(recipient=t.town, title__startswith="待签字办结").exists()
    with pytest.raises(PermissionDenied) as exc:
        services.sign_off(t.doer, t.task)  # the reporter cannot close their own task
    assert "签字确认" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.sign_off(t.people.secretary_a, t.task)  # manages the assignee, not the list's org
    with pytest.raises(ValidationError) as exc:
        services.require_all_signed_off(t.list)
    assert "1 项任务未经签字办结" in messages(exc)
    services.sign_off(t.town, t.task)
    t.task.refresh_from_db()
    assert t.task.state == TaskState.DONE and t.task.signed_off_by == t.town and t.task.done_on is not None
    services.require_all_signed_off(t.list)  # nothing pending now
    assert AuditLog.objects.filter(action=AuditLog.Action.SIGN, object_id=str(t.task.pk)).exists()


def test_submit_return_resubmit(t):
    with pytest.raises(ValidationError):
        services.return_for_rework(t.town, t.task, "x")  # not submitted
    services.submit(t.doer, t.task)
    with pytest.raises(ValidationError):
        services.submit(t.doer, t.task)
    with pytest.raises(ValidationError) as exc:
        services.return_for_rework(t.town, t.task, " ")
    assert "退回理由" in messages(exc)
    with pytest.raises(PermissionDenied):
        services.return_for_rework(t.doer, t.task, "自己退回")
    services.return_for_rework(t.town, t.task, "缺少会议记录")
    t.task.refresh_from_db()
    assert t.task.state == TaskState.RETURNED
    assert Notification.objects.filter(recipient=t.doer, body="缺少会议记录").exists()
    services.submit(t.doer, t.task)
    t.task.refresh_from_db()
    assert t.task.state == TaskState.SUBMITTED


def test_cancel_and_change_due(t):
    with pytest.raises(PermissionDenied):
        services.change_due(t.doer, t.task, datetime.date(2027, 1, 31), "申请延期")
    with pytest.raises(ValidationError):
        services.change_due(t.town, t.task, datetime.date(2027, 1, 31), "")
    services.change_due(t.town, t.task, datetime.date(2027, 1, 31), "雨雪天气")
    t.task.refresh_from_db()
    assert t.task.due_on == datetime.date(2027, 1, 31)
    assert t.task.events.filter(kind="due_changed", note__contains="雨雪天气").exists()
    with pytest.raises(ValidationError):
        services.cancel(t.town, t.task, "")
    services.cancel(t.town, t.task, "已由上级统筹")
    with pytest.raises(ValidationError):
        services.cancel(t.town, t.task, "再撤一次")
    with pytest.raises(ValidationError):
        services.change_due(t.town, t.task, datetime.date(2027, 2, 1), "x")


def test_visibility(t, tree, people):
    assert set(Task.objects.visible_to(t.doer)) == {t.task}
    assert set(Task.objects.visible_to(people.secretary_a)) == {t.task}
    assert not Task.objects.visible_to(people.secretary_b).exists()
    assert not Task.objects.visible_to(people.member_a).exists()
    assert set(Task.objects.visible_to(people.admin)) == {t.task}
    assert set(TaskList.objects.visible_to(people.secretary_a)) == {t.list}  # through its task
    assert not TaskList.objects.visible_to(people.secretary_b).exists()
    assert set(Task.objects.reportable_by(t.doer)) == {t.task}
    assert set(Task.objects.reportable_by(people.secretary_a)) == {t.task}
    assert not Task.objects.reportable_by(people.admin).exists()  # an administrator has no tasks of their own
    assert set(Task.objects.within(tree.branch_a.path)) == {t.task}
    assert set(Task.objects.within(tree.town.path)) == {t.task}
    assert not Task.objects.within(tree.branch_b.path).exists()


def test_overdue_and_rollup(t, tree):
    late = new_task(t.town, t.list, title="逾期", due_on=DAY, assignee_org=tree.branch_b)
    done = new_task(t.town, t.list, title="完成", due_on=DAY)
    cancelled = new_task(t.town, t.list, title="撤销", due_on=DAY)
    services.report_progress(t.doer, t.task, percent=30, text="x", reported_on=DAY)
    services.submit(t.town, done)
    services.sign_off(t.town, done)
    services.cancel(t.town, cancelled, "重复")
    today = datetime.date(2026, 12, 3)
    assert set(Task.objects.overdue(today)) == {late}
    # (30 + 0 + 100) / 3 tasks, the cancelled one left out
    assert queries.list_percent(t.list) == Decimal("43.3")
    empty = new_list(t.town, tree.town, title="空清单", source_id=2)
    roll = queries.rollup([t.list, empty], today)
    assert (roll[t.list.pk].total, roll[t.list.pk].done, roll[t.list.pk].overdue) == (3, 1, 1)
    assert roll[empty.pk].total == 0 and roll[empty.pk].percent is None and queries.list_percent(empty) is None
    assert queries.overdue_counts([tree.village.path], today) == {tree.branch_b.pk: 1}
    assert queries.overdue_counts([tree.town.path], today) == {tree.branch_b.pk: 1}
    assert queries.overdue_counts([tree.b_branch.path], today) == {}
    assert set(Task.objects.due_within(today, 30)) == {t.task}


def test_rollup_is_one_query(t, django_assert_num_queries):
    lists = [t.list] + [new_list(t.town, t.tree.town, title=f"清单{i}", source_id=i) for i in range(5)]
    with django_assert_num_queries(1):
        queries.rollup(lists)


def test_timeline(t):
    from django.utils import timezone

    services.report_progress(t.doer, t.task, percent=50, text="过半", reported_on=timezone.localdate(), files=[png()])
    services.submit(t.doer, t.task)
    services.return_for_rework(t.town, t.task, "补材料")
    entries = queries.timeline(t.list)
    assert [e.kind for e in entries] == ["created", "report", "submitted", "returned"]
    assert entries[1].files[0].original_name == "现场照片.png" and entries[3].text == "补材料"
    assert [e.kind for e in queries.task_timeline(t.task)] == ["created", "report", "submitted", "returned"]
