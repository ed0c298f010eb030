import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.leaders.models import Election, ExitAudit, Reserve, Review
from grassroots.leaders.synthetic import generate_demo
from grassroots.orgs.models import Post

pytestmark = pytest.mark.django_db


def test_generate_demo_on_the_fixture_tree(tree, people, members):
    make_user("village_sj", Role.SECRETARY, tree.village)
    make_member(tree.branch_b, "冯九")
    generate_demo(timezone.localdate(), 7, lambda m: None)
    election = Election.objects.get(org=tree.village)
    assert election.stage == "closed" and election.roll_size == 320
    assert Post.objects.current().filter(org=tree.village, title="secretary").count() == 1
    secretary = Post.objects.current().get(org=tree.village, title="secretary").holder
    assert Post.objects.current().filter(org=tree.village, title="village_director", holder=secretary).exists()  # 一肩挑
    assert ExitAudit.objects.get().disclosure_id is not None
    assert Reserve.objects.filter(org=tree.village).count() == 1
    assert Review.objects.filter(name="吴德明", grade="incompetent").count() == 2


def test_demo_login_of_the_part(client, tree, people, members):
    from grassroots.accounts.models import RoleAssignment
    from grassroots.dataset.generator import DEMO_PASSWORD
    from grassroots.leaders.synthetic import DEMO_LOGINS

    make_user("village_sj", Role.SECRETARY, tree.village)
    make_member(tree.branch_b, "冯九")
    generate_demo(timezone.localdate(), 7, lambda m: None)
    assert DEMO_LOGINS == ("town_zzwy",)
    grant = RoleAssignment.objects.active().get(user__username="town_zzwy")
    assert grant.role == Role.ORG_DEPT and grant.org_id == tree.town.pk
    assert client.login(username="town_zzwy", password=DEMO_PASSWORD)
    page = client.get(reverse("leaders:election_list")).content.decode()
    assert "新建换届选举" in page and Election.objects.get(org=tree.village).title in page
