import pytest
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.relations.models import FloatingRecord, LostContactCase, Transfer
from grassroots.relations.synthetic import generate_demo

pytestmark = pytest.mark.django_db


def test_demo_data_for_the_demo_logins(tree, people, members):
    make_user("branch_a_sj", Role.SECRETARY, tree.branch_a)
    make_user("branch_b_sj", Role.SECRETARY, tree.branch_b)
    tn = make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    for n in range(6):
        make_member(tree.branch_a, f"甲{n}")
    for n in range(4):
        make_member(tree.branch_b, f"乙{n}")
    lines = []
    generate_demo(timezone.localdate(), 7, lines.append)
    today = timezone.localdate()
    states = sorted(t.current_state(today) for t in Transfer.objects.all())
    assert states == ["accepted", "accepted", "expired", "issued", "issued", "issued"]
    incoming_a = Transfer.objects.visible_to(make_user("a_reader", Role.SECRETARY, tree.branch_a)).filter(to_org=tree.branch_a)
    assert incoming_a.get().current_state(today) == "issued"
    assert Transfer.objects.visible_to(tn).count() == 3
    assert FloatingRecord.objects.filter(returned_on__isnull=True).count() == 3 and LostContactCase.objects.count() == 2
    assert Transfer.objects.filter(is_synthetic=False).count() == 0
    assert lines and "流动党员 4 名" in lines[-1]
