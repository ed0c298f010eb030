import time

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
    reverse("leaders:overview")  # the URLconf's first load is not the generator's time
    started = time.monotonic()
    generate_demo(timezone.localdate(), 7, lambda m: None)
    assert time.monotonic() - started < 10
    election = Election.objects.get(org=tree.village)
    assert election.stage == "closed" and election.roll_size == 320
    assert Post.objects.current().filter(org=tree.village, title="secretary").count() == 1
    assert ExitAudit.objects.get().disclosure_id is not None
    assert Reserve.objects.filter(org=tree.village).count() == 1
    assert Review.objects.filter(name="吴德明", grade="incompetent").count() == 2
