import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import Notification
from grassroots.decisions import public, queries, services
from grassroots.decisions.choices import Overdue
from grassroots.decisions.models import Matter

from .factories import full_members, new_matter, roll, step, to_resolution, village_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def v(tree, people, members):
    from types import SimpleNamespace

    secretary, monitor, town = village_people(tree)
    roll(tree, secretary)
    voters = [members.a1, members.b1, *full_members(tree, 3)]
    return SimpleNamespace(secretary=secretary, monitor=monitor, town=town, voters=voters, tree=tree, people=people,
                           matter=new_matter(secretary, tree.village, planned_completion=datetime.date(2026, 12, 31)))


@pytest.mark.parametrize("days_after, overdue", [(3, False), (4, True)])
def test_resolution_overdue_boundary(v, days_after, overdue):
    to_resolution(v.secretary, v.matter, v.voters)
    resolved = Matter.objects.get(pk=v.matter.pk).resolved_on
    today = resolved + datetime.timedelta(days=days_after)
    assert Matter.objects.filter(queries.overdue_q(today, Overdue.RESOLUTION)).exists() is overdue


@pytest.mark.parametrize("days_after, overdue", [(30, False), (31, True)])
def test_progress_overdue_boundary(v, days_after, overdue):
    to_resolution(v.secretary, v.matter, v.voters)
    services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议")
    last = Matter.objects.get(pk=v.matter.pk).last_disclosed_on
    assert Matter.objects.filter(queries.overdue_q(last + datetime.timedelta(days=days_after), Overdue.PROGRESS)).exists() is overdue


def test_result_overdue_after_planned_completion(v):
    to_resolution(v.secretary, v.matter, v.voters)
    services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议")
    assert not Matter.objects.filter(queries.overdue_q(datetime.date(2026, 12, 31), Overdue.RESULT)).exists()
    assert Matter.objects.filter(queries.overdue_q(datetime.date(2027, 1, 1), Overdue.RESULT)).exists()


def test_reminders_go_to_the_village_and_the_township_once(v, settings):
    to_resolution(v.secretary, v.matter, v.voters)
    Matter.objects.filter(pk=v.matter.pk).update(resolved_on=datetime.date(2026, 1, 1))
    call_command("decisions_reminders")
    assert set(Notification.objects.filter(kind="disclosure").values_list("recipient__username", flat=True)) == {
        "village_secretary", "town_secretary"
    }
    call_command("decisions_reminders")
    assert Notification.objects.filter(kind="disclosure").count() == 2


def test_opinions_for_disclosure(v):
    to_resolution(v.secretary, v.matter, v.voters)
    r = services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议")
    o = services.add_opinion(v.monitor, disclosure=r.disclosure, kind="objection", text="公示时间太短")
    services.answer_opinion(v.secretary, o, "延长至 15 天")
    rows = public.opinions_for_disclosure(r.disclosure)
    assert rows == [{
        "kind": "objection", "kind_label": "异议", "text": "公示时间太短", "author_label": "村务监督委员会", "created_at": o.created_at,
        "answer": "延长至 15 天", "answered_at": rows[0]["answered_at"],
    }] and rows[0]["answered_at"] is not None


def test_disclosure_opinion_page_is_for_monitors_only(client, v):
    to_resolution(v.secretary, v.matter, v.voters)
    r = services.publish(v.secretary, v.matter, "resolution_disclosure", title="决议", body="决议")
    url = f"/decisions/disclosures/{r.disclosure.pk}/opinion/"
    client.force_login(v.secretary)
    assert client.get(url).status_code == 404
    client.force_login(v.monitor)
    assert client.get(url).status_code == 200
    client.post(url, {"kind": "objection", "text": "金额不清"})
    assert "金额不清" in client.get(url).content.decode()
    assert "金额不清" in client.get(f"/gongkai/matters/{v.matter.pk}/").content.decode()


# ---- API ----------------------------------------------------------------------------------------------------------


def test_api_walks_a_matter(api, v, django_assert_max_num_queries):
    api.as_user(v.secretary)
    r = api.send("post", "/decisions/matters", {"org_id": v.tree.village.pk, "title": "购置收割机", "category": "assets", "amount": "86000"})
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    r = api.send("post", f"/decisions/matters/{mid}/steps", {"kind": "review", "held_on": "2026-03-02", "content": "x"})
    assert r.status_code == 422 and "必须按顺序" in r.json()["errors"]["kind"][0]
    r = api.send("post", f"/decisions/matters/{mid}/steps", {"kind": "proposal", "held_on": "2026-03-02", "content": "提议", "attendees": ["甲"]})
    assert r.status_code == 201
    sid = r.json()["id"]
    assert api.send("post", f"/decisions/steps/{sid}/confirm", {}).json()["state"] == "confirmed"
    assert api.send("post", f"/decisions/steps/{sid}/confirm", {}).status_code == 422
    r = api.send("post", f"/decisions/steps/{sid}/amend", {"field": "content", "value": "提议购置", "reason": "补充"})
    assert r.status_code == 201
    r = api.get(f"/decisions/matters/{mid}")
    assert r.json()["next_steps"] == ["consultation"] and len(r.json()["steps"]) == 1
    for i in range(5):
        new_matter(v.secretary, v.tree.village, title=f"事项{i}")
    with django_assert_max_num_queries(20):
        r = api.get("/decisions/matters", q="事项")
    assert r.json()["count"] == 5
    assert [m["next_steps"] for m in r.json()["items"]] == [["proposal"]] * 5
    with CaptureQueriesContext(connection) as five:
        api.get("/decisions/matters", q="事项")
    for i in range(5, 10):
        new_matter(v.secretary, v.tree.village, title=f"事项{i}")
    with CaptureQueriesContext(connection) as ten:
        r = api.get("/decisions/matters", q="事项")
    assert r.json()["count"] == 10 and len(ten) == len(five)  # no query per row
    r = api.get("/decisions/oversight")
    assert r.status_code == 200 and r.json()["total"] == 12


def test_api_monitor_and_scope(api, v):
    s = step(v.secretary, v.matter, "proposal")
    api.as_user(v.monitor)
    r = api.send("post", f"/decisions/steps/{s.pk}/opinions", {"kind": "objection", "text": "人员不齐"})
    assert r.status_code == 201
    oid = r.json()["id"]
    assert api.send("post", f"/decisions/opinions/{oid}/answer", {"answer": "x"}).status_code == 403
    api.as_user(v.people.secretary_a)
    assert api.get(f"/decisions/matters/{v.matter.pk}").status_code == 404
    assert api.send("post", f"/decisions/steps/{s.pk}/opinions", {"kind": "objection", "text": "x"}).status_code == 404
    api.as_user(v.secretary)
    assert api.send("post", f"/decisions/opinions/{oid}/answer", {"answer": "已补"}).status_code == 200


def test_api_village_settings_and_committee(api, v):
    api.as_user(v.secretary)
    org = v.tree.village.pk
    r = api.send("post", f"/decisions/villages/{org}/settings", {"representatives": ["甲", "乙"], "adults": -1, "households": 3})
    assert r.status_code == 422 and "adults" in r.json()["errors"]
    r = api.send("post", f"/decisions/villages/{org}/settings", {"representatives": ["甲", "乙"], "adults": 90, "households": 30,
                                                                  "committee_members": ["丙"], "step_set": "village"})
    assert r.status_code == 200 and r.json()["representatives"] == ["甲", "乙"] and r.json()["bodies"] == ["representatives", "villagers"]
    r = api.send("post", f"/decisions/villages/{org}/committees", {"term_start": "2026-01-01", "term_end": "2030-12-31", "chosen_by": "villagers"})
    assert r.status_code == 201
    cid = r.json()["committees"][0]["id"]
    r = api.send("post", f"/decisions/committees/{cid}/members", {"name": "丙", "declares_no_relative": True})
    assert r.status_code == 422 and "name" in r.json()["errors"]
    r = api.send("post", f"/decisions/committees/{cid}/members", {"name": "丁", "declares_no_relative": True, "username": "nobody"})
    assert r.status_code == 422 and r.json()["errors"]["username"] == ["找不到该账号"]
    r = api.send("post", f"/decisions/committees/{cid}/members", {"name": "丁", "declares_no_relative": True, "username": "village_monitor"})
    assert r.status_code == 201 and r.json()["username"] == "village_monitor"
    assert api.get(f"/decisions/villages/{org}").json()["committees"][0]["members"][0]["name"] == "丁"
    api.as_user(v.monitor)
    assert api.get(f"/decisions/villages/{org}").status_code == 200
    assert api.send("post", f"/decisions/villages/{org}/settings", {"adults": 1}).status_code == 403
    api.as_user(v.people.secretary_a)
    assert api.get(f"/decisions/villages/{org}").status_code == 404
