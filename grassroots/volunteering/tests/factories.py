"""A community in district A with a desk keeper, a registered member of branch A, and a post with a slot."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category
from grassroots.volunteering import services
from grassroots.volunteering.models import ServiceCategory


def community_setup(tree, people, members):
    s = SimpleNamespace()
    s.community = make_org(people.admin, tree.town, "湖塘镇清和社区党委", "C0901", category=Category.COMMUNITY, kind="committee")
    s.desk = make_user("qinghe_desk", Role.COMMUNITY_DESK, s.community)
    s.category = ServiceCategory.objects.first() or ServiceCategory.objects.create(name="环境整治", order=1)  # flushed by transactional tests
    return s


def confirmed(s, people, member, user=None):
    reg = services.register(user or people.member_a, member, s.community, {"basis": "live"})
    return services.decide_registration(s.desk, reg, accept=True)


def post_with_slot(s, capacity=2, start_in_hours=72, length=2):
    post = services.create_post(s.desk, s.community, {"category": s.category.pk, "title": "垃圾分类督导", "place": "小区东门"})
    start = timezone.localtime() + datetime.timedelta(hours=start_in_hours)
    slot = services.add_slot(s.desk, post, {"starts_at": start.replace(tzinfo=None).isoformat(timespec="minutes"),
                                            "ends_at": (start + datetime.timedelta(hours=length)).replace(tzinfo=None).isoformat(timespec="minutes"),
                                            "capacity": capacity})
    return post, slot
