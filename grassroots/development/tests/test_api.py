import pytest

from grassroots.development.models import Applicant
from grassroots.development.synthetic import advance, step_data

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_create_and_list_and_detail(api, dev, tree, people):
    api.as_user(people.secretary_a)
    response = api.send("post", "/development/applicants", {
        "org_id": tree.branch_a.pk, "name": "周雨萱", "gender": "female", "birth_date": "1999-09-09", "applied_on": "2026-10-01", "phone": "13900001111",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "applicant" and body["phone_masked"] == "139****1111"
    items = api.get("/development/applicants", q="zyx").json()["items"]
    assert [i["name"] for i in items] == ["周雨萱"]
    staged = api.get("/development/applicants", stage="applicant").json()["items"]
    assert "周雨萱" in {i["name"] for i in staged} and {i["stage"] for i in staged} == {"applicant"}
    assert "周雨萱" not in {i["name"] for i in api.get("/development/applicants", stage="activist").json()["items"]}
    detail = api.get(f"/development/applicants/{body['id']}").json()
    assert detail["steps"][0]["code"] == "application" and "talk" in detail["allowed_steps"]


def test_bad_input_is_refused_in_chinese(api, dev, tree, people):
    api.as_user(people.secretary_a)
    response = api.send("post", "/development/applicants", {
        "org_id": tree.branch_a.pk, "name": "小王", "gender": "male", "birth_date": "2010-01-01", "applied_on": "2026-01-05",
    })
    assert response.status_code == 422 and "年满18周岁" in response.content.decode()
    response = api.send("post", f"/development/applicants/{dev.applicant.pk}/steps", {"code": "activist", "date": "2024-03-01"})
    assert response.status_code == 422 and "请先办理" in response.content.decode()


def test_steps_votes_roll_and_board(api, dev, tree, people, members):
    advance(dev.applicant, "application_form", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    api.as_user(people.secretary_a)
    roll = api.get(f"/development/applicants/{dev.applicant.pk}/roll", date="2025-06-05").json()
    assert {r["name"] for r in roll} == {"张三", "钱七"}
    response = api.send("post", f"/development/applicants/{dev.applicant.pk}/steps", {
        "code": "admission_vote", "date": "2025-06-05", "present": 3, "votes_for": 2, "against": 0, "abstain": 0,
    })
    assert response.status_code == 422 and "不能超过" in response.content.decode()
    response = api.send("post", f"/development/applicants/{dev.applicant.pk}/steps", {
        "code": "admission_vote", "date": "2025-06-05", **step_data(dev.applicant, "admission_vote", dev.applicant.applied_on),
    })
    assert response.status_code == 201 and response.json()["data"]["entitled"] == 2
    response = api.send("post", f"/development/applicants/{dev.applicant.pk}/steps", {"code": "committee_talk", "date": "2025-06-10"})
    assert response.status_code == 403 and "上级党委" in response.content.decode()
    board = api.as_user(dev.town).get(f"/development/board/{tree.town.pk}").json()
    assert board["counts"]["candidate"] == 1 and board["children"][0]["counts"]["candidate"] == 1


def test_correct_via_api(api, dev, people):
    talk = advance(dev.applicant, "talk", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY).steps.get(code="talk")
    api.as_user(people.secretary_a)
    response = api.send("post", f"/development/steps/{talk.pk}/correct", {"date": "2024-01-25", "reason": "笔误"})
    assert response.status_code == 201 and response.json()["corrects_id"] == talk.pk


def test_list_query_count_is_flat(api, dev, tree, people, django_assert_max_num_queries):
    from grassroots.development import services

    from .conftest import person

    for i in range(10):
        services.apply(people.secretary_a, tree.branch_a, person(name=f"申请人{i}"), today=TODAY)
    api.as_user(people.secretary_a)
    with django_assert_max_num_queries(8):
        assert api.get("/development/applicants").json()["count"] == Applicant.objects.count()
