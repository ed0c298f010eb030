import datetime

import pytest

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.development.models import Applicant, Stage
from grassroots.development.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_applicants_at_every_stage(tree):
    make_user("branch_a_sj", Role.SECRETARY, tree.branch_a)
    make_user("branch_b_sj", Role.SECRETARY, tree.branch_b)
    make_user("town_sj", Role.SECRETARY, tree.town)
    for i in range(4):
        make_member(tree.branch_a, f"一支部党员{i}")
        make_member(tree.branch_b, f"二支部党员{i}")
    today = datetime.date(2026, 11, 20)
    log = []
    generate_demo(today, 7, log.append)  # (its speed is not a test's business: about 3 s on a quiet machine)
    assert Applicant.objects.count() == 20 and all(a.is_synthetic for a in Applicant.objects.all())
    stages = set(Applicant.objects.values_list("stage", flat=True))
    assert {Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL} <= stages, stages
    assert Applicant.objects.overdue(today).exists()
    assert Applicant.objects.filter(next_step="admission_vote").exists()  # one ready for the assembly vote
    assert not [m for m in log if "停在" in m], log
