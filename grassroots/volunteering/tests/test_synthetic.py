import datetime

import pytest

from grassroots.accounts.models import RoleAssignment
from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD
from grassroots.orgs.choices import Category
from grassroots.points.models import PointEntry
from grassroots.volunteering import services, synthetic
from grassroots.volunteering.models import Claim, Evaluation, Registration, ServiceLog
from grassroots.volunteering.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_data_makes_the_pages_meaningful(tree, people, members, django_assert_max_num_queries):
    make_user("branch_a_sj", Role.SECRETARY, tree.branch_a)
    make_user("branch_b_sj", Role.SECRETARY, tree.branch_b)
    community = make_org(people.admin, tree.town, "湖塘镇清和社区党委", "C0901", category=Category.COMMUNITY, kind="committee")
    lines = []
    today = datetime.date(2026, 12, 3)
    with django_assert_max_num_queries(2500):
        generate_demo(today, 1, lines.append)
    assert synthetic.DEMO_LOGINS == ("shequ_bd",)
    desk = RoleAssignment.objects.active().get(user__username="shequ_bd")
    assert (desk.role, desk.org) == (Role.COMMUNITY_DESK, community) and desk.user.check_password(DEMO_PASSWORD)
    assert Registration.objects.filter(state="confirmed").count() >= 2 and Registration.objects.filter(state="pending").count() == 1
    assert {u["unit_id"] for u in services.load_per_unit(community)} == {tree.branch_a.pk, tree.branch_b.pk}
    assert Claim.objects.exists() and ServiceLog.objects.filter(state="pending").exists()
    assert Evaluation.objects.filter(member__isnull=False).exists() and Evaluation.objects.filter(member__isnull=True).exists()
    assert PointEntry.objects.filter(source="service_log").count() == ServiceLog.objects.filter(state="confirmed").count() > 0
    assert "shequ_bd" in lines[0]
    generate_demo(today, 1, lines.append)  # a second run leaves the demo as it is
    assert Registration.objects.filter(state="pending").count() == 1
