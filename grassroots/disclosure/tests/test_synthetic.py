import datetime

import pytest

from grassroots.conftest import make_user
from grassroots.core.roles import Role
from grassroots.disclosure import services
from grassroots.disclosure.models import Disclosure, Question, Schedule
from grassroots.disclosure.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_data_for_the_demo_village_and_a_community(tree):
    make_user("village_sj", Role.SECRETARY, tree.village)
    make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    lines = []
    generate_demo(datetime.date(2026, 11, 25), 1, lines.append)
    assert Disclosure.objects.filter(org=tree.village).count() == 4 and Disclosure.objects.filter(org=tree.b_branch).count() == 2
    assert Disclosure.objects.filter(supersedes__isnull=False).count() == 1
    assert Question.objects.filter(state="hidden").count() == 1 and Question.objects.exclude(answer="").count() == 1
    assert Schedule.objects.filter(org=tree.village).count() == 3
    assert services.verify_org_chain(tree.village) is None and services.verify_org_chain(tree.b_branch) is None
    generate_demo(datetime.date(2026, 11, 25), 1, lines.append)  # idempotent
    assert Disclosure.objects.count() == 6
