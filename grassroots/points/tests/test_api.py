import pytest
from django.utils import timezone

from grassroots.points.models import PointEntry

pytestmark = pytest.mark.django_db


def test_mine_and_proposal(api, people, members):
    api.as_user(people.member_a)
    r = api.send("post", "/points/mine/entries", {"category": "service", "points": 2, "description": "志愿服务"})
    assert r.status_code == 201 and r.json()["state"] == "pending"
    body = api.get("/points/mine").json()
    assert body["total"] == 0 and len(body["entries"]) == 1 and body["thresholds"] == [20, 30, 40, 50, 60]
    assert api.send("post", "/points/mine/entries", {"category": "service", "points": 0, "description": "x"}).status_code == 422
    api.as_user(people.secretary_a)
    assert api.get("/points/mine").status_code == 403


def test_manager_routes(api, tree, people, members, django_assert_max_num_queries):
    api.as_user(people.secretary_a)
    r = api.send("post", "/points/entries", {"member_id": members.a1.pk, "category": "deduction", "points": -2, "description": "违反纪律"})
    assert r.status_code == 201
    d = api.send("post", f"/points/entries/{r.json()['id']}/decide", {"approve": True})
    assert d.status_code == 200 and d.json()["state"] == "approved"
    with django_assert_max_num_queries(8):
        listing = api.get("/points/entries", org_id=tree.branch_a.pk).json()
    assert listing["count"] == 1
    year = timezone.localdate().year
    assert api.send("post", "/points/recompute", {"org_id": tree.branch_a.pk, "year": year}).status_code == 200
    rated = api.send("post", "/points/ratings", {"org_id": tree.branch_a.pk, "year": year})
    assert rated.status_code == 200 and {r["member_id"] for r in rated.json()} == {members.a1.pk, members.a2.pk}
    assert {r["member_name"] for r in rated.json()} == {members.a1.name, members.a2.name}
    assert api.send("post", "/points/ratings/confirm", {"org_id": tree.branch_a.pk, "year": year}).status_code == 200
    assert api.get("/points/ratings", year=year).json()["count"] == 2
    rule = api.get(f"/points/rules/{tree.branch_a.pk}").json()
    assert rule["inherited_from"] is None and rule["meeting_present"] == 2
    bad = dict(rule, star3=1)
    bad.pop("org_id")
    bad.pop("inherited_from")
    assert api.send("put", f"/points/rules/{tree.branch_a.pk}", bad).status_code == 422
    assert api.send("post", "/points/entries", {"member_id": members.b1.pk, "category": "service", "points": 2, "description": "x"}).status_code == 422
    assert PointEntry.objects.filter(member=members.b1).count() == 0
