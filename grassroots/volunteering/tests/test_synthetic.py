import datetime
import time

import pytest

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category
from grassroots.volunteering.models import Claim, Evaluation, Registration, ServiceLog
from grassroots.volunteering.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_data_is_made_through_the_services_quickly(tree, people, members):
    make_user("branch_a_sj", Role.SECRETARY, tree.branch_a)
    make_org(people.admin, tree.town, "湖塘镇清和社区党委", "C0901", category=Category.COMMUNITY, kind="committee")
    lines = []
    started = time.monotonic()
    generate_demo(datetime.date(2026, 12, 3), 1, lines.append)
    assert time.monotonic() - started < 2
    assert Registration.objects.filter(state="confirmed").count() >= 1 and Registration.objects.filter(state="pending").count() == 1
    assert Claim.objects.exists() and ServiceLog.objects.filter(state="pending").exists() and Evaluation.objects.exists()
    assert "shequ_bd" in lines[0]
