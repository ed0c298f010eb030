import datetime

import pytest

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind
from grassroots.rectification.models import Case
from grassroots.rectification.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_cases_through_the_services(tree, people):
    make_user("village_sj", Role.SECRETARY, tree.village)
    make_org(people.admin, tree.town, "中共东村村委员会", "C0303", Kind.COMMITTEE, Category.RURAL)
    lines = []
    generate_demo(datetime.date.today(), 7, lines.append)
    open_case = Case.objects.get(org=tree.village)
    assert open_case.stage == Case.Stage.OPEN and open_case.task_list.tasks.count() == 3 and open_case.stationed.count() == 1
    remedial = Case.objects.get(org__name="中共东村村委员会")
    assert remedial.stage == Case.Stage.REMEDIAL and remedial.acceptances.get().passed is False
    assert "1 个补课" in lines[-1]
