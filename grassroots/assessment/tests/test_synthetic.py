import datetime

import pytest

from grassroots.assessment.models import AssessmentRound
from grassroots.assessment.synthetic import generate_demo
from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db


def test_demo_data_goes_through_the_services(tree, people):
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    org_services.appoint_post(people.dept_a, tree.town, title="secretary", holder=make_member(tree.town, "钱一"), started_on=datetime.date(2024, 1, 1))
    org_services.appoint_post(town_sj, tree.village, title="secretary", holder=make_member(tree.village, "孙二"), started_on=datetime.date(2024, 1, 1))
    generate_demo(datetime.date(2026, 12, 3), 1, print)
    district = AssessmentRound.objects.get(org=tree.district_a)
    assert [r.person_name for r in district.reports.all()] == ["钱一"] and district.reports.get().year_score is not None
    assert AssessmentRound.objects.get(org=tree.town).kind == "village"
