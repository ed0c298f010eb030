import datetime
from types import SimpleNamespace

import pytest

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.development import services

TODAY = datetime.date(2026, 11, 20)


def person(**extra):
    return {"name": "陈晓东", "gender": "male", "birth_date": datetime.date(1998, 3, 4), "applied_on": datetime.date(2024, 1, 10),
            "education": "bachelor", "work_unit": "村委会", "phone": "13812345678", **extra}


@pytest.fixture
def dev(tree, people, members):
    """The town committee's secretary (the higher committee of branch A), a second full member in branch A
    (two sponsors), and an application received by branch A."""
    d = SimpleNamespace()
    d.town = make_user("town_sj", Role.SECRETARY, tree.town)
    d.village = make_user("village_sj", Role.SECRETARY, tree.village)
    d.a3 = make_member(tree.branch_a, "钱七")
    d.secretary = people.secretary_a
    d.applicant = services.apply(people.secretary_a, tree.branch_a, person(), today=TODAY)
    return d
