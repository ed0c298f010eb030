"""The pages from pairing to a progress report, the 通报 and the ledgers, query counts, the job and the demo data."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.assistance import alerts, engines, services, todo
from grassroots.assistance.checks import attendance_check
from grassroots.core.models import Notification
from grassroots.tracking.models import Task

pytestmark = pytest.mark.django_db
D = datetime.date


def test_pairing_to_progress_report_and_bulletin(client, tree, people, aid, stationed):
    client.force_login(people.dept_a)
    r = client.post(reverse("assistance:pairing_create"), {"partner": aid.bureau.pk, "village": tree.village.pk, "started_on": "2026-01-05",
                                                           "contact_name": "钱", "goals": "集体经济"})
    pairing = tree.village.pairings_received.get()
    assert r.status_code == 302 and r.url == reverse("assistance:pairing_detail", args=[pairing.pk])
    client.post(reverse("assistance:book_open", args=["pairing", pairing.pk]))
    book = engines.task_book(pairing)
    assert book is not None and book.org == tree.village
    client.post(reverse("assistance:book_task_add", args=["pairing", pairing.pk]), {"title": "建设光伏电站", "due_on": "2026-06-30", "responsible_name": "李"})
    client.post(reverse("assistance:book_task_add", args=["pairing", pairing.pk]), {"title": "销售农产品", "due_on": "2026-01-31"})
    task = book.tasks.get(title="建设光伏电站")
    client.force_login(aid.cadre)  # the stationed cadre reports on the village's task
    r = client.post(reverse("assistance:book_report", args=[task.pk]), {"percent": 40, "text": "完成选址", "reported_on": "2026-03-01"})
    assert Task.objects.get(pk=task.pk).percent == 40
    page = client.get(reverse("assistance:pairing_detail", args=[pairing.pk])).content.decode()
    assert "完成选址" in page and "20.0%" in page and "逾期" in page  # (40 + 0) / 2, and the January task is overdue
    client.force_login(people.dept_a)
    r = client.get(reverse("assistance:bulletin"), {"org": tree.district_a.pk})
    assert r.status_code == 200 and aid.bureau.name in r.content.decode()
    r = client.get(reverse("assistance:bulletin"), {"org": tree.district_a.pk, "format": "xlsx"})
    assert r["Content-Disposition"].startswith("attachment")


def test_a_report_by_someone_outside_is_refused(client, tree, people, aid):
    pairing = services.create_pairing(people.dept_a, aid.bureau, tree.village, started_on=D(2026, 1, 1))
    book = engines.open_task_book(people.dept_a, pairing)
    from grassroots.tracking import services as tracking

    task = tracking.add_task(people.dept_a, book, title="修路", due_on=D(2026, 6, 30), assignee_org=tree.village)
    client.force_login(people.supervisor)  # reads the district, reports on nothing
    client.post(reverse("assistance:book_report", args=[task.pk]), {"percent": 50, "text": "越权", "reported_on": "2026-03-01"})
    assert Task.objects.get(pk=task.pk).percent == 0


def test_leave_flow_through_the_pages(client, tree, people, aid, stationed):
    client.force_login(aid.cadre)
    client.post(reverse("assistance:leave_request", args=[stationed.pk]), {"starts_on": "2026-04-01", "ends_on": "2026-04-05", "reason": "治病"})
    leave = stationed.leaves.get()
    assert leave.level == "county"
    assert Notification.objects.filter(recipient=people.dept_a, kind="assistance").exists()
    client.force_login(aid.town_sj)
    assert "审批</button>" not in client.get(reverse("assistance:leave_list")).content.decode()
    r = client.post(reverse("assistance:leave_decide", args=[leave.pk]), {"approve": "1"})
    assert r.status_code == 403 and stationed.leaves.get().state == "pending"  # long leave is for the county
    client.force_login(people.dept_a)
    client.post(reverse("assistance:leave_decide", args=[leave.pk]), {"approve": "1"})
    assert stationed.leaves.get().state == "approved"


def test_pages_and_ledgers_render_with_bounded_queries(client, tree, people, aid, stationed):
    services.flag_poor(people.dept_a, aid.village2, source="省定", designated_on=D(2025, 1, 1))
    for i in range(5):
        s = services.station(aid.town_sj, tree.village, kind="team_member", name=f"队员{i}", sending_unit=aid.school, started_on=D(2025, 6, 1), term_years=2)
        services.record_attendance(aid.town_sj, s, month=D(2026, 2, 1), days=15 + i)
        h = services.add_household(aid.town_sj, tree.village, kind="poor", head_name=f"户主{i}", phone=f"1380000000{i}")
        services.link_household(aid.town_sj, h, cadre_name="干部", started_on=D(2026, 1, 1))
        services.create_pairing(people.dept_a, aid.bureau if i % 2 else aid.school, aid.village2 if i < 2 else tree.village, started_on=D(2026, 1, 1)) if i < 2 else None
    client.force_login(people.dept_a)
    for name, params in (("coverage", {}), ("pairing_list", {}), ("stationing_list", {}), ("household_list", {}), ("poor_list", {}),
                         ("attendance_report", {"month": "2026-02"}), ("assessment_list", {"year": 2026}), ("leave_list", {}), ("bulletin", {})):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse(f"assistance:{name}"), params)
        assert r.status_code == 200, name
        assert len(ctx) < 25, (name, len(ctx))
    page = client.get(reverse("assistance:household_list")).content.decode()
    assert "138****0001" in page and "13800000001" not in page
    att = client.get(reverse("assistance:attendance_report"), {"month": "2026-02"}).content.decode()
    assert "不足" in att
    for name in ("coverage_export", "pairing_export", "stationing_export"):
        assert client.get(reverse(f"assistance:{name}"))["Content-Disposition"].startswith("attachment")
    for name in ("household_list", "assessment_list", "poor_list", "attendance_report"):
        assert client.get(reverse(f"assistance:{name}"), {"format": "xlsx"})["Content-Disposition"].startswith("attachment")


def test_alerts_todo_and_the_monthly_check(tree, people, aid, stationed):
    services.flag_poor(people.dept_a, tree.village, source="省定", designated_on=D(2025, 1, 1))
    services.record_attendance(aid.cadre, stationed, month=D(2026, 2, 1), days=12)
    today = D(2026, 3, 5)
    kinds = sorted(a.kind for a in alerts.alerts([tree.district_a.path], today))
    assert kinds == ["assistance.attendance_below_minimum", "assistance.needy_without_pair"]
    assert alerts.alerts([tree.district_b.path], today) == []
    counts = {t.label: t.count for t in todo.lines(people.dept_a, tree.city, today)}
    assert counts["没有结对单位的贫困村"] == 1
    missing, short = attendance_check(today)
    assert (missing, short) == (0, 1)
    assert Notification.objects.filter(recipient=aid.town_sj, title__contains="在村考勤").exists()


def test_api_creates_and_refuses(api, tree, people, aid, stationed):
    r = api.as_user(people.dept_a).send("post", "/assistance/pairings", {"partner_id": aid.bureau.pk, "village_id": tree.village.pk, "started_on": "2026-01-01"})
    assert r.status_code == 201, r.content
    r = api.send("post", "/assistance/pairings", {"partner_id": aid.bureau.pk, "village_id": tree.village.pk, "started_on": "2026-01-01"})
    assert r.status_code == 422 and "已与该村结对" in r.content.decode()
    assert api.get("/assistance/coverage").json()["rows"]
    r = api.as_user(aid.cadre).send("post", f"/assistance/stationings/{stationed.pk}/attendance", {"month": "2026-02-01", "days": 19})
    assert r.json() == {"month": "2026-02-01", "days": 19, "required": 20, "below": True}
    r = api.send("post", f"/assistance/stationings/{stationed.pk}/leaves", {"starts_on": "2026-03-02", "ends_on": "2026-03-03", "reason": "家事"})
    assert r.json()["level"] == "township"
    r = api.send("post", f"/assistance/leaves/{r.json()['id']}/decide", {"approve": True})
    assert r.status_code == 403  # the cadre may not approve their own leave


def test_demo_data(tree, people, aid):
    from grassroots.accounts.models import User
    from grassroots.assistance import synthetic
    from grassroots.dataset.generator import DEMO_PASSWORD

    User.objects.filter(pk=people.dept_a.pk).update(username="wujin_zzb")
    User.objects.filter(pk=aid.town_sj.pk).update(username="town_sj")
    User.objects.filter(pk=aid.village_sj.pk).update(username="village_sj")
    lines = []
    synthetic.generate_demo(D(2026, 12, 3), 2014, lines.append)
    pairing = tree.village.pairings_received.get()
    assert tree.village.stationings.count() == 2
    assert engines.task_book(pairing).tasks.count() == 3
    assert lines == ["驻村帮扶：1 个结对、2 名驻村干部、3 户联系户；演示账号 zhucun（第一书记）、bangfu（帮扶单位联络人）"]
    call_command("assistance_attendance_check")
    # the two demo logins, named for `manage.py demo_logins`, with pages that show their own work
    assert synthetic.DEMO_LOGINS == ("zhucun", "bangfu")
    zhucun, bangfu = User.objects.get(username="zhucun"), User.objects.get(username="bangfu")
    assert zhucun.check_password(DEMO_PASSWORD) and bangfu.check_password(DEMO_PASSWORD)
    assert zhucun.role_assignments.get().role == "stationed" and zhucun.role_assignments.get().org == tree.village
    assert bangfu.role_assignments.get().role == "assisting_contact" and bangfu.role_assignments.get().org == pairing.partner
    first = tree.village.stationings.get(kind="first_secretary")
    assert first.user == zhucun and engines.task_book(first).tasks.filter(responsible_user=zhucun).count() == 2
    from django.test import Client

    c = Client()
    c.force_login(zhucun)
    page = c.get(reverse("assistance:stationing_detail", args=[first.pk])).content.decode()
    assert "填报考勤" in page and "申请请假" in page and "发展青年党员" in page
    c.force_login(bangfu)
    assert [p.pk for p in c.get(reverse("assistance:pairing_list")).context["page"]] == [pairing.pk]
    page = c.get(reverse("assistance:pairing_detail", args=[pairing.pk])).content.decode()
    assert "报送“帮助销售农产品 50 万元”的进度" in page  # the task named on the contact
    assert "报送“建设村级光伏电站”的进度" not in page
    assert c.get(reverse("assistance:household_list")).status_code == 403  # households are not the unit's to read


def test_stationing_form_links_the_village_rectification_case(client, tree, people, aid):
    from grassroots.rectification.models import Case
    from grassroots.tracking import services as tracking

    book = tracking.create_list(people.dept_a, aid.village2, title="整改措施", source="rectification.case", source_id=None)
    case = Case.objects.create(org=aid.village2, org_path=aid.village2.path, township=tree.town, year=2026, task_list=book,
                               due_on=D(2026, 12, 31), opened_on=D(2026, 3, 1))
    client.force_login(people.dept_a)
    form = client.get(reverse("assistance:stationing_create"), {"village": aid.village2.pk}).context["form"]
    assert [c for c, _ in form.fields["case"].choices] == ["", case.pk] and form.initial["case"] == case.pk
    data = {"village": tree.village.pk, "kind": "first_secretary", "name": "错村书记", "sending_unit": aid.bureau.pk, "started_on": "2026-03-01",
            "term_years": 2, "case": case.pk}
    r = client.post(reverse("assistance:stationing_create"), data)  # the case of another village: refused, nothing saved
    assert r.status_code == 200 and "所选整顿案件不是该村的" in r.content.decode() and not tree.village.stationings.exists()
    r = client.post(reverse("assistance:stationing_create"), {**data, "village": aid.village2.pk, "name": "整顿书记"})
    s = aid.village2.stationings.get()
    assert r.status_code == 302 and s.case == case and Case.objects.open_for(aid.village2) == s.case
    assert reverse("rectification:case", args=[case.pk]) in client.get(reverse("assistance:stationing_detail", args=[s.pk])).content.decode()


def test_detail_pages_reveal_and_the_members_rating(client, tree, people, aid, stationed, members):
    from grassroots.ballots.models import Round
    from grassroots.core.models import AuditLog

    h = services.add_household(aid.cadre, tree.village, kind="left_behind", head_name="周小明", phone="13700001111")
    services.link_household(aid.cadre, h, stationing=stationed, started_on=D(2026, 1, 1))
    client.force_login(people.dept_a)
    assert "138****1234" in client.get(reverse("assistance:stationing_detail", args=[stationed.pk])).content.decode()
    page = client.get(reverse("assistance:household_detail", args=[h.pk])).content.decode()
    assert "137****1111" in page and "13700001111" not in page
    assert "13700001111" in client.post(reverse("assistance:household_reveal", args=[h.pk, "phone"])).content.decode()
    assert AuditLog.objects.filter(action="reveal", object_id=str(h.pk), actor=people.dept_a).exists()
    client.force_login(people.supervisor)
    assert client.post(reverse("assistance:household_reveal", args=[h.pk, "phone"])).status_code == 403
    client.force_login(aid.cadre)
    client.post(reverse("assistance:visit_record", args=[h.links.get().pk]), {"visited_on": "2026-03-01", "needs": "课后无人辅导"})
    assert h.links.get().visits.count() == 1

    client.force_login(people.dept_a)
    client.post(reverse("assistance:rating_open", args=[tree.village.pk]), {"year": 2026})
    rnd = Round.objects.get(org=tree.village, source="assistance.rating", source_id=2026)
    assert list(rnd.subjects.values_list("key", flat=True)) == [f"s{stationed.pk}"]
    assert rnd.voters.filter(user=people.member_a).exists()  # 张三 is a member of the village with an account
    page = client.get(reverse("assistance:assessment_list"), {"year": 2026}).content.decode()
    assert "评议中" in page
    client.post(reverse("assistance:assessment_save", args=[stationed.pk]), {"year": 2026, "grade": "competent", "comment": "扎实"})
    assert stationed.assessments.get(year=2026).grade == "competent"
