import datetime

import pytest
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.dues.arrears import members_unpaid_for
from grassroots.dues.models import DuesPayment
from grassroots.dues.synthetic import generate_demo as dues_demo
from grassroots.orglife.tests.factories import at, held
from grassroots.points.models import PointEntry, StarRating
from grassroots.points.synthetic import generate_demo as points_demo

pytestmark = pytest.mark.django_db


def test_demo_data_on_the_test_tree(tree, people, members):
    make_user("branch_a_sj", Role.SECRETARY, tree.branch_a)
    make_user("branch_b_sj", Role.SECRETARY, tree.branch_b)
    for n in range(6):
        make_member(tree.branch_a, f"演示{n}", joined_on=datetime.date(2000, 1, 1))
    today = timezone.localdate()
    last = (today.replace(day=1) - datetime.timedelta(days=1))
    held(tree.branch_a, "theme_day", at(last.year, last.month, 3), state="confirmed", present=[members.a1])
    lines = []
    dues_demo(today, 7, lines.append)
    points_demo(today, 7, lines.append)
    assert DuesPayment.objects.filter(org=tree.branch_a).exists() and DuesPayment.objects.filter(org=tree.branch_b).exists()
    assert members_unpaid_for(6, [tree.branch_a.path], today).count() == 1
    if last.year == today.year:
        assert PointEntry.objects.filter(source="attendance", member=members.a1).exists()
    assert PointEntry.objects.filter(state="pending").exists()
    assert StarRating.objects.filter(org=tree.branch_a, year=today.year).exists()
    assert len(lines) == 2
