import datetime

import pytest
from django.utils import timezone

from grassroots.conftest import make_user
from grassroots.core.roles import Role
from grassroots.decisions.choices import MatterState
from grassroots.decisions.models import Matter, Opinion, SupervisoryCommittee
from grassroots.decisions.synthetic import generate_demo

from .factories import full_members

pytestmark = pytest.mark.django_db


def test_generate_demo_on_the_fixture_tree(tree, people, members):
    make_user("village_sj", Role.SECRETARY, tree.village)
    make_user("village_jw", Role.VILLAGE_MONITOR, tree.village, full_name="钱监督")
    make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    full_members(tree, 6)
    generate_demo(timezone.localdate(), 7, lambda m: None)
    states = dict(Matter.objects.values_list("title", "state"))
    assert states["村内主干道硬化工程"] == MatterState.CLOSED
    assert states["村集体闲置厂房对外租赁"] == MatterState.DELIBERATING
    pond = Matter.objects.get(title="集体鱼塘承包方案调整")
    assert pond.round == 2 and pond.steps.filter(round=1, passed=False).exists()
    assert states["老旧小区加装电梯公共维修资金使用"] == MatterState.IMPLEMENTING
    assert Opinion.objects.filter(answered_at__isnull=False).count() == 1
    assert Opinion.objects.filter(answered_at__isnull=True, kind="objection").count() == 1
    assert SupervisoryCommittee.objects.get().members.filter(user__username="village_jw").exists()
    assert Matter.objects.get(title="村内主干道硬化工程").steps.count() == 8
    assert Matter.objects.filter(stage_since__gt=timezone.localdate() + datetime.timedelta(days=1)).count() == 0
