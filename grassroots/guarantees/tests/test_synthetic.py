import datetime
from decimal import Decimal

import pytest

from grassroots.conftest import make_user
from grassroots.core.roles import Role
from grassroots.guarantees.models import Report, Standard, TownshipConditions
from grassroots.guarantees.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_data_goes_through_the_services(tree, people):
    make_user("town_sj", Role.SECRETARY, tree.town)
    make_user("village_sj", Role.SECRETARY, tree.village)
    generate_demo(datetime.date(2026, 12, 3), 1, print)
    report = Report.objects.get(org=tree.village)
    # pay 86,000 < 2 × 46,300 = 92,600 (a money gap of 6,600) and the venue 460 < 500 m² (an area, no money)
    assert report.state == "verified" and report.failing == 2 and report.gap_total == Decimal("6600.00")
    assert report.task_list.tasks.count() == 2
    assert Standard.objects.count() > 5 and TownshipConditions.objects.get(org=tree.town).complete is False
