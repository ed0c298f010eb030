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
