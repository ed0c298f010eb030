"""The extension points (grassroots/core/registry.py): an app that is only added to INSTALLED_APPS shows up in
the side menu, the home to-do panel, the URL patterns and the scheduler; the scheduler runs a due job exactly
once however many scheduler processes fire it, and a job that fails is recorded and reported."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import modify_settings, override_settings
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from grassroots.core import navigation, scheduling, todos
from grassroots.core.models import JobRun, Notification
from grassroots.core.scheduler import build_scheduler, fire_from_scheduler

pytestmark = pytest.mark.django_db

THROWAWAY = "grassroots.core.tests.throwaway"


@pytest.fixture
def throwaway():
    with modify_settings(INSTALLED_APPS={"append": THROWAWAY}), override_settings(ROOT_URLCONF=f"{THROWAWAY}.root_urls"):
        clear_url_caches()
        yield
    clear_url_caches()


def sidebar(html):
    return re.search(r'<nav id="sidebar".*?</nav>', html, re.S).group(0)


def test_a_new_app_is_in_the_menu_panel_urls_and_scheduler(throwaway, client, tree, people):
    client.force_login(people.dept_a)
    page = client.get("/throwaway/")
    assert page.status_code == 200
    menu = sidebar(page.content.decode())
    assert re.search(r'<a href="/throwaway/" class="active" aria-current="page">试验台账</a>', menu)
    assert "监督考核" in menu  # the section the entry declared
    # only for users whose roles the entry's show() accepts
    client.force_login(people.member_a)
    assert "试验台账" not in sidebar(client.get("/throwaway/").content.decode())

    lines = todos.todo_items(people.dept_a, tree.district_a, datetime.date(2026, 7, 1))
    assert [(t.area, t.label, t.count) for t in lines if t.area == "试验"] == [("试验", "武进区委待办的试验事项", 3)]  # count 0 left out

    jobs = scheduling.all_jobs()
    assert {"throwaway.tick", "throwaway.broken"} <= set(jobs)
    assert {job.id for job in build_scheduler().get_jobs()} >= {"throwaway.tick", "throwaway.broken"}
    now = timezone.make_aware(datetime.datetime(2026, 7, 1, 10, 2))
    assert timezone.localtime(scheduling.next_fire_time(jobs["throwaway.tick"], now)).strftime("%H:%M") == "10:05"


def test_each_menu_entry_answers_for_each_role(client, tree, people):
    """Every link each role's menu shows opens (200), and the 村（居）务 group a supervisory member needs is there."""
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    monitor = make_user("jianwei", Role.VILLAGE_MONITOR, tree.village)
    village_secretary = make_user("village_secretary", Role.SECRETARY, tree.village)
    for user in (people.admin, people.city_dept, people.dept_a, people.secretary_a, people.supervisor, people.member_a, monitor, village_secretary):
        client.force_login(user)
        links = re.findall(r'href="([^"]+)"', sidebar(client.get(reverse("dashboard:home")).content.decode()))
        assert links, user
        for url in links:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user.username, url, response.status_code)
    client.force_login(monitor)
    links = set(re.findall(r'href="([^"]+)"', sidebar(client.get(reverse("dashboard:home")).content.decode())))
    assert {reverse("decisions:matter_list"), reverse("disclosure:questions"), reverse("portal:index")} <= links
    assert reverse("members:list") not in links  # a villager on the committee reads no member records


def test_the_current_entry_comes_from_the_resolved_url(client, people, tree):
    client.force_login(people.secretary_a)
    menu = sidebar(client.get(reverse("disclosure:questions")).content.decode())
    assert menu.count('class="active"') == 1
    assert re.search(r'class="active" aria-current="page">群众提问<', menu)  # not 党务村务居务公开, whose pattern is shorter
    menu = sidebar(client.get(reverse("orgs:detail", args=[tree.branch_a.pk])).content.decode())
    assert re.search(r'class="active" aria-current="page">党组织体系<', menu)


def test_menu_sections_follow_the_notice_and_hide_when_empty(people, members):
    shown = navigation.menu_for(people.member_a, "dashboard:home")
    keys = [s.key for s in shown]
    assert keys == sorted(keys, key=[s.key for s in navigation.Section].index)
    assert "members" in keys  # 我的党员信息
    assert all(s.items for s in shown)
    assert [i.label for s in shown for i in s.items if i.active] == ["首页"]


def test_two_schedulers_firing_the_same_minute_enqueue_once(throwaway):
    fire_from_scheduler("throwaway.tick")
    fire_from_scheduler("throwaway.tick")  # a second scheduler process, same minute
    assert JobRun.objects.filter(job="throwaway.tick").count() == 1
    at = timezone.make_aware(datetime.datetime(2026, 7, 1, 10, 5))
    assert scheduling.claim("throwaway.tick", at) is not None
    assert scheduling.claim("throwaway.tick", at + datetime.timedelta(seconds=30)) is None  # same minute, another process


def test_a_run_records_its_outcome_and_a_failure_is_kept_and_reported(throwaway, people, client):
    ok = scheduling.execute(scheduling.claim("throwaway.tick", timezone.now()))
    assert ok.state == JobRun.State.DONE and "试验任务完成" in ok.outcome and ok.duration_ms is not None
    assert scheduling.execute(ok).state == JobRun.State.DONE  # a second worker picking up the same run does nothing

    broken = scheduling.execute(scheduling.claim("throwaway.broken", timezone.now()))
    assert broken.state == JobRun.State.FAILED and "试验任务按要求失败" in broken.error
    note = Notification.objects.get(recipient=people.admin, kind=Notification.Kind.JOB_FAILED)
    assert "试验任务：总是失败" in note.title and note.link == reverse("core:job_detail", args=["throwaway.broken"])
    assert not Notification.objects.filter(recipient=people.dept_a, kind=Notification.Kind.JOB_FAILED).exists()

    client.force_login(people.admin)
    page = client.get(reverse("core:jobs")).content.decode()
    assert "试验任务：总是失败" in page and "失败" in page and "试验任务按要求失败" in page
    assert "dues.open_month" in page  # the apps' real jobs are listed too


def test_run_now_goes_through_the_worker_and_is_audited(throwaway, people, client):
    client.force_login(people.admin)
    response = client.post(reverse("core:job_run", args=["throwaway.tick"]))
    assert response.status_code == 302
    run = JobRun.objects.get(job="throwaway.tick")
    assert run.manual and run.requested_by == people.admin and run.state == JobRun.State.QUEUED
    from grassroots.core.models import AuditLog

    assert AuditLog.objects.filter(action=AuditLog.Action.RUN, actor=people.admin).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections racing need PostgreSQL")
def test_two_scheduler_processes_racing_claim_once_on_postgresql():
    at = timezone.now()
    results, barrier = [], threading.Barrier(2)

    def one():
        from django.db import connection as own

        barrier.wait()
        results.append(scheduling.claim("dues.open_month", at))
        own.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r is None for r in results) == [False, True]
    assert JobRun.objects.filter(job="dues.open_month").count() == 1
