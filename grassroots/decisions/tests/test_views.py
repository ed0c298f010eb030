import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import AuditLog
from grassroots.decisions import services
from grassroots.decisions.choices import MatterState
from grassroots.decisions.models import Matter, Step

from .factories import DAY, REPS, full_members, new_matter, roll, step, to_resolution, village_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def v(tree, people, members):
    from types import SimpleNamespace

    secretary, monitor, town = village_people(tree)
    roll(tree, secretary)
    voters = [members.a1, members.b1, *full_members(tree, 3)]
    return SimpleNamespace(secretary=secretary, monitor=monitor, town=town, voters=voters, tree=tree, people=people,
                           matter=new_matter(secretary, tree.village))


def test_create_matter_form_shows_chinese_errors_and_saves_nothing(client, v):
    client.force_login(v.secretary)
    url = reverse("decisions:matter_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"org": v.tree.village.pk, "title": "", "category": ""})
    assert response.status_code == 200 and "此字段为必填项" in response.content.decode() or "这个字段是必填项" in response.content.decode()
    assert Matter.objects.count() == 1
    response = client.post(url, {"org": v.tree.village.pk, "title": "购置村集体厂房", "category": "assets", "amount": "1200000"})
    matter = Matter.objects.get(title="购置村集体厂房")
    assert response.status_code == 302 and response.url == reverse("decisions:matter_detail", args=[matter.pk])


def test_step_pages_record_confirm_and_refuse_order(client, v):
    client.force_login(v.secretary)
    record = reverse("decisions:step_record", args=[v.matter.pk])
    page = client.get(record).content.decode()
    assert "登记村党组织提议" in page
    response = client.post(record, {"held_on": "2026-03-02", "content": "提议", "attendees": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "请填写参加提议会议的委员" in body
    client.post(record, {"held_on": "2026-03-02", "content": "提议", "attendees": "书记、委员"})
    s = Step.objects.get()
    detail = client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    assert "确认村党组织提议" in detail and "已登记待确认" in detail
    client.post(reverse("decisions:step_confirm", args=[s.pk]))
    assert Step.objects.get().state == "confirmed"
    response = client.post(reverse("decisions:step_confirm", args=[s.pk]), follow=True)
    assert "不能重复确认" in response.content.decode()
    assert "登记村“两委”联席会议商议" in client.get(record).content.decode()


def test_review_form_lists_the_roll(client, v):
    step(v.secretary, v.matter, "proposal")
    step(v.secretary, v.matter, "consultation")
    client.force_login(v.secretary)
    page = client.get(reverse("decisions:step_record", args=[v.matter.pk])).content.decode()
    assert "张三" in page and "预备党员，无表决权" in page


def test_failed_vote_page_and_new_round(client, v):
    to_resolution(v.secretary, v.matter, v.voters, attendees=REPS[:10], votes_for=5)
    client.force_login(v.secretary)
    detail = client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    assert "表决未通过：终止事项或重新提议" in detail and "未通过" in detail
    client.post(reverse("decisions:after_failure", args=[v.matter.pk]), {"choice": "new_round", "reason": "调整方案"})
    v.matter.refresh_from_db()
    assert v.matter.round == 2
    detail = client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    assert "第 1 轮（未通过，已重新提议）" in detail


def test_publish_page_and_public_page(client, v):
    to_resolution(v.secretary, v.matter, v.voters)
    public = reverse("portal_matters:detail", args=[v.matter.pk])
    assert client.get(public).status_code == 404  # not public before the resolution is published
    client.force_login(v.secretary)
    url = reverse("decisions:publish", args=[v.matter.pk]) + "?kind=resolution_disclosure"
    page = client.get(url).content.decode()
    assert "关于“村道硬化工程”的决议公开" in page
    response = client.post(url, {"kind": "resolution_disclosure", "title": "决议公开", "body": "同意", "held_on": datetime.date.today().isoformat(),
                                 "min_posting_days": "7"})
    assert response.status_code == 302
    client.logout()
    page = client.get(public).content.decode()
    assert "村道硬化工程" in page and "赞成 6" in page and "决议公开" in page
    for name in ["张三", "王五", "代表1"]:
        assert name not in page  # votes as counts, never voters' names
    assert "<script" not in page


def test_amend_page(client, v):
    s = step(v.secretary, v.matter, "proposal")
    client.force_login(v.secretary)
    url = reverse("decisions:step_amend", args=[s.pk])
    response = client.post(url, {"field": "content", "value": "新内容", "reason": ""})
    assert response.status_code == 200 and Step.objects.get().amendments.count() == 0
    client.post(url, {"field": "content", "value": "新内容", "reason": "笔误"})
    detail = client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    assert "新内容" in detail and "笔误" in detail


def test_monitor_pages(client, v):
    s = step(v.secretary, v.matter, "proposal")
    client.force_login(v.secretary)
    assert client.get(reverse("decisions:step_opinion", args=[s.pk])).status_code == 404
    client.force_login(v.monitor)
    assert "提出监督意见" in client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    client.post(reverse("decisions:step_opinion", args=[s.pk]), {"kind": "objection", "text": "会议人数不足"})
    assert s.opinions.get().text == "会议人数不足"
    client.force_login(v.secretary)
    o = s.opinions.get()
    client.post(reverse("decisions:opinion_answer", args=[o.pk]), {"answer": "已补充"})
    o.refresh_from_db()
    assert o.answer == "已补充"


def test_village_settings_page(client, v):
    client.force_login(v.secretary)
    url = reverse("decisions:village", args=[v.tree.village.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "settings", "representatives": "甲、乙、丙", "adults": "900", "households": "280", "committee_members": "丁"})
    assert services.settings_for(v.tree.village).representatives == ["甲", "乙", "丙"]
    client.post(url, {"action": "committee", "term_start": "2026-01-01", "term_end": "2030-12-31", "chosen_by": "representatives"})
    response = client.post(url, {"action": "member", "name": "丁", "declares_no_relative": "on"})
    assert "不能担任监督委员会成员" in response.content.decode()
    response = client.post(url, {"action": "member", "name": "戊", "declares_no_relative": "on", "username": "nobody"})
    assert "找不到该账号" in response.content.decode()
    client.post(url, {"action": "member", "name": "戊", "declares_no_relative": "on", "username": "village_monitor"})
    assert "戊" in client.get(url).content.decode()
    client.force_login(v.monitor)
    assert client.post(url, {"action": "settings", "adults": "1"}).status_code == 403


def test_list_oversight_and_exports(client, v, django_assert_max_num_queries):
    for i in range(6):
        m = new_matter(v.secretary, v.tree.village, title=f"事项{i}")
        step(v.secretary, m, "proposal")
    Matter.objects.filter(title="事项0").update(stage_since=DAY - datetime.timedelta(days=90))
    to_resolution(v.secretary, v.matter, v.voters)
    Matter.objects.filter(pk=v.matter.pk).update(resolved_on=DAY - datetime.timedelta(days=30))
    client.force_login(v.town)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("decisions:matter_list")).content.decode()
    assert "事项5" in page and "决议未按期公开" in page
    with django_assert_max_num_queries(18):  # 16 + the side menu: the member-record check
        page = client.get(reverse("decisions:oversight")).content.decode()
    assert "事项0" in page and "oversight-data" in page and "中共新村村委员会" in page
    response = client.get(reverse("decisions:matter_export"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.active.max_row == 8 and wb.active.cell(1, 3).value == "事项名称"
    response = client.get(reverse("decisions:oversight_export"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert any(r[0].value == "滞留事项" for r in wb.active.iter_rows())
    assert AuditLog.objects.filter(action="export").count() == 2
    client.force_login(v.monitor)
    assert client.get(reverse("decisions:oversight")).status_code == 403
    assert "事项5" in client.get(reverse("decisions:matter_list")).content.decode()


def test_state_filter(client, v):
    client.force_login(v.secretary)
    page = client.get(reverse("decisions:matter_list"), {"state": MatterState.CLOSED}).content.decode()
    assert "村道硬化工程" not in page
    page = client.get(reverse("decisions:matter_list"), {"state": MatterState.DELIBERATING}).content.decode()
    assert "村道硬化工程" in page  # the filter keeps the matching matters, not just drops everything


def test_oversight_lists_routine_overdue_disclosures(client, v):
    from grassroots.disclosure import services as disclosure_services
    from grassroots.disclosure.schedule import overdue_routine

    disclosure_services.set_schedule(v.secretary, v.tree.village, category="finance", frequency="month", starts_on=datetime.date(2025, 1, 1))
    expected = overdue_routine([v.tree.town.path], datetime.date.today())
    assert expected, "a monthly schedule since 2025 with nothing published is overdue"
    client.force_login(v.town)
    page = client.get(reverse("decisions:oversight")).content.decode()
    assert "财务公开" in page and expected[0]["period_label"] in page


def test_detail_and_public_pages_do_not_grow_queries_with_steps(client, v, django_assert_max_num_queries):
    to_resolution(v.secretary, v.matter, v.voters)
    today = datetime.date.today()
    services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议", held_on=today)
    for i in range(4):
        services.publish(v.secretary, v.matter, "progress_disclosure", title=f"进度{i}", body="进度", held_on=today)
    s = v.matter.steps.get(kind="review")
    services.add_opinion(v.monitor, step=s, kind="objection", text="异议一")
    services.amend_step(v.secretary, s, field="content", value="更正", reason="笔误")
    client.force_login(v.secretary)
    with django_assert_max_num_queries(18):  # 16 + the side menu: the member-record check
        assert client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).status_code == 200
    detail = client.get(reverse("decisions:matter_detail", args=[v.matter.pk])).content.decode()
    assert "异议一" in detail and "笔误" in detail and "进度3" in detail  # the prefetched opinions, amendments and disclosures show
    client.logout()
    with django_assert_max_num_queries(4):
        page = client.get(reverse("portal_matters:detail", args=[v.matter.pk])).content.decode()
    assert "异议一" in page and "进度3" in page


def test_oversight_drills_down_from_the_district(client, v, django_assert_max_num_queries):
    to_resolution(v.secretary, v.matter, v.voters)
    Matter.objects.filter(pk=v.matter.pk).update(resolved_on=DAY - datetime.timedelta(days=30))
    client.force_login(v.people.dept_a)
    url = reverse("decisions:oversight")
    page = client.get(url, {"org": v.tree.district_a.pk}).content.decode()
    assert "湖塘镇党委" in page and f"?org={v.tree.town.pk}" in page
    page = client.get(url, {"org": v.tree.town.pk}).content.decode()
    assert "新村党委" in page
    assert client.get(url, {"org": v.tree.district_b.pk}).status_code == 404
    client.force_login(v.people.secretary_a)
    assert client.get(url, {"org": v.tree.village.pk}).status_code == 404


def test_public_index_lists_only_published_matters(client, v):
    to_resolution(v.secretary, v.matter, v.voters)
    new_matter(v.secretary, v.tree.village, title="尚未决议的事项")
    assert "村道硬化工程" not in client.get(reverse("portal_matters:index")).content.decode()
    services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议", held_on=datetime.date.today())
    page = client.get(reverse("portal_matters:index"), {"org": v.tree.village.pk}).content.decode()
    assert "村道硬化工程" in page and "尚未决议的事项" not in page and "<script" not in page
    assert "村道硬化工程" not in client.get(reverse("portal_matters:index"), {"org": v.tree.district_b.pk}).content.decode()
