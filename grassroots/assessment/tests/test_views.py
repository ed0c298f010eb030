import pytest

from grassroots.assessment import services
from grassroots.conftest import make_user
from grassroots.core.roles import Role

pytestmark = pytest.mark.django_db


def test_pages_answer_and_hide_other_reports_before_publication(client, tree, people):
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    round = services.create_round(people.dept_a, tree.district_a, year=2026, subjects=[
        {"org": tree.town, "person_name": "钱一", "user": town_sj}, {"org": tree.village, "person_name": "孙二", "user": village_sj}])
    client.force_login(people.dept_a)
    for url in ("/assessment/", f"/assessment/round/{round.pk}/", f"/assessment/round/{round.pk}/?export=1",
                f"/assessment/report/{round.reports.first().pk}/", f"/api/v1/assessment/rounds/{round.pk}"):
        assert client.get(url).status_code == 200, url
    client.force_login(village_sj)  # a village secretary reads his own report only, not the town's, until publication
    page = client.get(f"/assessment/round/{round.pk}/").content.decode()
    assert "孙二" in page and "钱一" not in page
    assert client.get(f"/assessment/report/{round.reports.get(user=town_sj).pk}/").status_code == 404


def test_the_api_writes_a_round_through_the_services_and_refuses(api, tree, people):
    from grassroots.ballots import services as ballots

    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    rep = make_user("rep0", Role.REPRESENTATIVE, tree.district_a)
    round = services.create_round(people.dept_a, tree.district_a, year=2026, subjects=[{"org": tree.town, "person_name": "钱一", "user": town_sj}])
    report = round.reports.get()
    parts = {"ideas": "思路", "measures": "措施", "results": "成效", "shortcomings": "不足", "plans": "打算"}
    r = api.as_user(town_sj).send("post", f"/assessment/reports/{report.pk}", {"ideas": "思路", "submit": True})
    assert r.status_code == 422 and "请填写" in r.content.decode()  # every part is needed to submit
    r = api.send("post", f"/assessment/reports/{report.pk}", {**parts, "submit": True})
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert api.send("post", f"/assessment/reports/{report.pk}/comment", {"text": "自评", "year_score": 100}).status_code == 403
    assert api.send("post", f"/assessment/rounds/{round.pk}/open", {}).status_code in (403, 404)
    api.as_user(people.dept_a)
    assert api.send("post", f"/assessment/rounds/{round.pk}/publish", {}).status_code == 422  # the appraisal has not opened
    r = api.send("post", f"/assessment/reports/{report.pk}/comment", {"text": "抓党建有力", "year_score": 101})
    assert r.status_code == 422
    assert api.send("post", f"/assessment/reports/{report.pk}/comment", {"text": "抓党建有力", "year_score": 80}).json()["year_score"] == "80.00"
    r = api.send("post", f"/assessment/rounds/{round.pk}/open", {})
    assert r.status_code == 200 and r.json()["state"] == "appraisal"
    round.refresh_from_db()
    ballots.cast(round.ballot_round, {report.subject_key: "good"}, user=rep)
    r = api.send("post", f"/assessment/rounds/{round.pk}/publish", {})
    assert r.status_code == 200 and r.json()["reports"][0]["combined"] == "87.00" and r.json()["reports"][0]["grade"] == "fair"
    assert api.send("post", f"/assessment/rounds/{round.pk}/publish", {}).status_code == 422  # not twice
    assert api.as_user(town_sj).send("post", f"/assessment/reports/{report.pk}", parts).status_code == 422  # after publication
