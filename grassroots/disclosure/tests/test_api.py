"""The REST API: scoped lists and details, publishing and correcting, moderation, overdue list, public chain check."""

import pytest

from grassroots.disclosure import services
from grassroots.disclosure.models import Disclosure

pytestmark = pytest.mark.django_db


def test_list_is_scoped_and_has_no_n_plus_one(api, people, tree, publish, django_assert_max_num_queries):
    for i in range(6):
        publish(title=f"一支部{i}")
    publish(org=tree.branch_b, actor=people.secretary_b, title="二支部")
    api.as_user(people.secretary_a)
    with django_assert_max_num_queries(8):
        body = api.get("/disclosure/disclosures").json()
    assert body["count"] == 6 and all(i["org_id"] == tree.branch_a.pk for i in body["items"])
    assert body["items"][0]["verify_url"].endswith("/verify/")
    other = Disclosure.objects.get(title="二支部")
    assert api.get(f"/disclosure/disclosures/{other.pk}").status_code == 404


def test_publish_and_correct_through_the_api(api, people, tree):
    api.as_user(people.secretary_a)
    response = api.send("post", "/disclosure/disclosures", {
        "org_id": tree.branch_a.pk, "category": "finance", "title": "财务公开", "body": "见明细", "period_key": "2026-Q1",
        "table": [{"item": "拨款", "income": 100.5, "expenditure": 0}],
    })
    assert response.status_code == 201, response.content
    d = response.json()
    assert d["seq"] == 1 and d["table"] == [{"item": "拨款", "income": "100.50", "expenditure": "0.00"}]
    response = api.send("post", f"/disclosure/disclosures/{d['id']}/correct", {"title": "财务公开（更正）", "body": "x", "reason": ""})
    assert response.status_code == 422 and "请填写更正理由" in response.json()["errors"]["reason"]
    response = api.send("post", f"/disclosure/disclosures/{d['id']}/correct", {"title": "财务公开（更正）", "body": "x", "reason": "错字"})
    assert response.status_code == 201 and response.json()["supersedes_id"] == d["id"] and response.json()["version"] == 2
    response = api.send("post", "/disclosure/disclosures", {"org_id": tree.branch_a.pk, "category": "resolution", "title": "决议", "body": "x"})
    assert response.status_code == 422
    response = api.send("post", "/disclosure/disclosures", {"org_id": tree.branch_b.pk, "category": "village", "title": "越权", "body": "x"})
    assert response.status_code == 404


def test_moderation_through_the_api(api, people, publish):
    d = publish()
    q = services.ask_question(d, text="请问何时完工？", ip="1")
    api.as_user(people.secretary_b)
    assert api.send("post", f"/disclosure/questions/{q.pk}/answer", {"answer": "越权"}).status_code == 404
    api.as_user(people.secretary_a)
    assert api.send("post", f"/disclosure/questions/{q.pk}/answer", {"answer": "六月"}).json()["answer"] == "六月"
    assert api.send("post", f"/disclosure/questions/{q.pk}/hide", {"reason": ""}).status_code == 422
    assert api.send("post", f"/disclosure/questions/{q.pk}/hide", {"reason": "重复"}).json()["state"] == "hidden"
    assert [x["state"] for x in api.get(f"/disclosure/disclosures/{d.pk}/questions").json()] == ["hidden"]


def test_overdue_list(api, people, tree):
    import datetime

    services.set_schedule(people.dept_a, tree.village, category="party", frequency="quarter", starts_on=datetime.date(2025, 1, 1))
    api.as_user(people.dept_a)
    rows = api.get("/disclosure/overdue").json()
    assert rows and rows[0]["org_id"] == tree.village.pk and rows[0]["category_label"] == "党务公开"
    api.as_user(people.secretary_b)
    assert api.get("/disclosure/overdue").json() == []
