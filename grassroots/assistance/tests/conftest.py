import datetime
from types import SimpleNamespace

import pytest

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def aid(tree, people, root_admin):
    """A district bureau (an assisting unit), a second village, and the people who act: the town's secretary, the
    village's secretary, a stationed cadre's login and the bureau's contact."""
    a = SimpleNamespace()
    a.bureau = make_org(root_admin, tree.district_a, "中共武进区农业农村局党组", "C0701", Kind.COMMITTEE, Category.AGENCY, short_name="农业农村局")
    a.school = make_org(root_admin, tree.district_a, "武进区实验小学党支部", "C0702", Kind.BRANCH, Category.SCHOOL)
    a.village2 = make_org(root_admin, tree.town, "中共东村村委员会", "C0302", Kind.COMMITTEE, Category.RURAL)
    a.town_sj = make_user("town_sj", Role.SECRETARY, tree.town, full_name="镇书记")
    a.village_sj = make_user("village_sj", Role.SECRETARY, tree.village, full_name="村书记")
    a.cadre = make_user("cadre", Role.STATIONED, tree.village, full_name="第一书记")
    a.contact = make_user("contact", Role.ASSISTING_CONTACT, a.bureau, full_name="局联络人")
    return a


@pytest.fixture
def stationed(tree, people, aid):
    from grassroots.assistance import services

    return services.station(aid.town_sj, tree.village, kind="first_secretary", name="李驻村", sending_unit=aid.bureau, started_on=datetime.date(2025, 6, 1),
                            term_years=2, phone="13800001234", user=aid.cadre)
