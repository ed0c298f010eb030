import pytest
from django.utils import timezone

from grassroots.conftest import make_org, make_user
from grassroots.core import crypto
from grassroots.core.roles import Role
from grassroots.dataset.generator import demo_usernames
from grassroots.discipline.choices import BodyDecision, LeadState
from grassroots.discipline.models import Body, Bulletin, Burden, Lead
from grassroots.discipline.synthetic import generate_demo
from grassroots.orgs.choices import Category, Kind

pytestmark = pytest.mark.django_db


def test_demo_through_the_services(tree, people):
    make_user("town_sj", Role.SECRETARY, tree.town)
    make_user("village_sj", Role.SECRETARY, tree.village)
    make_org(people.admin, tree.town, "中共东村村委员会", "C0303", Kind.COMMITTEE, Category.RURAL)
    lines = []
    generate_demo(timezone.localdate(), 7, lines.append)
    assert "jijian" in lines[-1] and "jijian" in demo_usernames()
    from grassroots.accounts.models import User

    jijian = User.objects.get(username="jijian")
    assert Lead.objects.visible_to(jijian).count() == Lead.objects.count() == 7
    assert not Lead.objects.visible_to(people.dept_a).exists()  # the organization department who created the account reads none
    states = set(Lead.objects.values_list("state", flat=True))
    assert states == {LeadState.ACCEPTED, LeadState.VERIFIED, LeadState.CONCLUDED, LeadState.BULLETIN}
    assert Bulletin.objects.public().count() == 1 and Bulletin.objects.count() == 2
    named = Lead.objects.filter(anonymous=False, source="portal").first()
    assert named.reporter_name_enc and "群众" not in named.reporter_name_enc and crypto.decrypt(named.reporter_name_enc).startswith("群众")
    removed = Body.objects.get(decision=BodyDecision.REMOVE)
    assert removed.photos.count() == 1
    assert Burden.objects.filter(duplicate=True).count() == 3 and Burden.objects.filter(state="cut").count() == 1
