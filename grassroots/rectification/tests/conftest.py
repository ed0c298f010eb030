import datetime

import pytest

from grassroots.conftest import make_member, make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind, PostTitle
from grassroots.orgs.models import Post

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def staffed(tree):
    """A secretary in post in every unit of the tree, so that only the signal a test sets up is raised."""
    for org in (tree.village, tree.branch_a, tree.branch_b, tree.b_branch):
        Post.objects.create(org=org, title=PostTitle.SECRETARY, holder=make_member(org), started_on=datetime.date(2020, 1, 1))
    return tree


@pytest.fixture
def town2(tree, root_admin):
    """A second township of district A with a village of its own, and the township users."""
    other = make_org(root_admin, tree.district_a, "中共礼嘉镇委员会", "C0202", Kind.COMMITTEE, Category.AGENCY, short_name="礼嘉镇党委")
    village = make_org(root_admin, other, "中共大坝村委员会", "C0302", Kind.COMMITTEE, Category.RURAL, short_name="大坝村党委")
    Post.objects.create(org=village, title=PostTitle.SECRETARY, holder=make_member(village), started_on=datetime.date(2020, 1, 1))
    return other, village


@pytest.fixture
def town_user(tree):
    return make_user("hutang", Role.SECRETARY, tree.town, full_name="湖塘镇组织委员")
