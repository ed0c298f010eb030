import datetime

import pytest
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.members.models import Member
from grassroots.relations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_secretary(tree):
    return make_user("tn_branch", Role.SECRETARY, tree.b_branch)


def test_transfer_through_the_api(api, tree, people, members, b_secretary):
    api.as_user(people.secretary_a)
    r = api.send("post", "/relations/transfers", {"member_id": members.a1.pk, "to_org_id": tree.b_branch.pk, "reason": "residence", "valid_days": 120})
    assert r.status_code == 422 and r.json()["errors"] == {"valid_days": ["有效期不能超过 90 天"]}
    r = api.send("post", "/relations/transfers", {"member_id": members.b1.pk, "to_org_id": tree.b_branch.pk, "reason": "residence"})
    assert r.status_code == 422 and "找不到该党员" in r.json()["errors"]["member_id"][0]
    r = api.send("post", "/relations/transfers", {"member_id": members.a1.pk, "to_org_id": tree.b_branch.pk, "reason": "residence"})
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "issued" and body["letter_number"].startswith("〔") and body["to_name"] == tree.b_branch.name
    tid = body["id"]
    r = api.get(f"/relations/orgs/{tree.branch_a.pk}/destinations", q="天宁")
    assert {"id": tree.b_branch.pk, "name": tree.b_branch.name} in r.json()
    assert api.get(f"/relations/orgs/{tree.b_branch.pk}/destinations", q="天宁").status_code == 404
    assert api.send("post", f"/relations/transfers/{tid}/accept", {}).status_code == 403

    api.as_user(b_secretary)
    listing = api.get("/relations/transfers", tab="incoming").json()
    assert listing["count"] == 1 and listing["items"][0]["member_name"] == "张三"
    r = api.send("post", f"/relations/transfers/{tid}/reject", {"reason": ""})
    assert r.status_code == 422 and r.json()["errors"] == {"reason": ["退回时请写明理由"]}
    r = api.send("post", f"/relations/transfers/{tid}/accept", {})
    assert r.status_code == 200 and r.json()["state"] == "accepted" and r.json()["receipt_on"] == timezone.localdate().isoformat()
    r = api.send("post", f"/relations/transfers/{tid}/accept", {})
    assert r.status_code == 422 and "不能再接收" in r.json()["detail"] + str(r.json()["errors"])

    api.as_user(people.secretary_b)
    assert api.get(f"/relations/transfers/{tid}").status_code == 404
    assert api.get("/relations/transfers").json()["count"] == 0


def test_floating_and_lost_through_the_api(api, tree, people, members, django_assert_max_num_queries):
    api.as_user(people.secretary_a)
    r = api.send("post", "/relations/floating", {"member_id": members.a1.pk, "left_on": "2025-01-01", "destination": "杭州", "reason": "work",
                                                 "contact_phone": "13812345678"})
    assert r.status_code == 201 and r.json()["contact_phone_masked"] == "138****5678" and r.json()["transfer_required"] is True
    rid = r.json()["id"]
    r = api.send("patch", f"/relations/floating/{rid}", {"certificate_number": "LD9"})
    assert r.json()["certificate_number"] == "LD9"
    for n in range(5):
        services.register_floating(people.secretary_a, make_member(tree.branch_a, f"流动{n}"),
                                   {"left_on": datetime.date(2025, 6, 1), "destination": "上海", "reason": "work"})
    with django_assert_max_num_queries(6):
        assert api.get("/relations/floating").json()["count"] == 6
    r = api.send("post", f"/relations/floating/{rid}/return", {"returned_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and Member.objects.get(pk=members.a1.pk).state == "normal"

    r = api.send("post", "/relations/lost", {"member_id": members.a1.pk, "last_contact_on": "2025-01-01"})
    assert r.status_code == 201
    cid = r.json()["id"]
    r = api.send("post", f"/relations/lost/{cid}/suspend", {"decided_on": timezone.localdate().isoformat(), "document": "停1"})
    assert r.status_code == 422 and "请先登记寻找情况" in str(r.json())
    r = api.send("post", f"/relations/lost/{cid}/searches", {"tried_on": timezone.localdate().isoformat(), "method": "phone", "searcher": "书记", "result": "空号"})
    assert r.status_code == 201 and len(r.json()["attempts"]) == 1
    r = api.send("post", f"/relations/lost/{cid}/suspend", {"decided_on": timezone.localdate().isoformat(), "document": "停1"})
    assert r.status_code == 200 and r.json()["state"] == "suspended"
    with django_assert_max_num_queries(6):
        assert api.get("/relations/lost").json()["items"][0]["attempt_count"] == 1
    r = api.send("post", f"/relations/lost/{cid}/restore", {"restored_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and Member.objects.get(pk=members.a1.pk).state == "normal"
