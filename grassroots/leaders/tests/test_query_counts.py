"""The 队伍统计 and 教育培训 pages at scale: their figures per child come from grouped queries (one per figure family,
not one per township or village), so the number of queries does not grow with the organizations; and the grouped
figures equal those of the per-organization functions they replaced."""

import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import make_member, make_org
from grassroots.core import scoping
from grassroots.leaders import queries, rules, services
from grassroots.leaders.choices import Stage
from grassroots.leaders.models import Election, Reserve
from grassroots.leaders.views import _overview_data
from grassroots.orgs.choices import DIRECTOR_TITLES, SELF_GOVERNMENT_TITLES, Category, Kind, PostTitle
from grassroots.orgs.models import Organization, Post

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
_codes = itertools.count(1)


def _post(org, title, holder):
    return Post.objects.create(org=org, title=title, holder=holder, started_on=datetime.date(2024, 1, 1))


def add_township(actor, district, villages):
    """A township with `villages` villages (rural and community in turn), each varied: terms ending soon or not,
    一肩挑 or not, cross posts, reserves, open and closed elections, an ended post that must not count."""
    town = make_org(actor, district, f"测试镇{next(_codes)}", f"T{next(_codes):05d}", Kind.COMMITTEE, Category.AGENCY)
    for i in range(villages):
        community = i % 2 == 1
        term_end = TODAY + datetime.timedelta(days=(30, 400, -10)[i % 3])
        v = make_org(actor, town, f"测试村{next(_codes)}", f"V{next(_codes):05d}", Kind.COMMITTEE,
                     Category.COMMUNITY if community else Category.RURAL, term_start=datetime.date(2021, 12, 1), term_end=term_end)
        branch = make_org(actor, v, f"测试支部{next(_codes)}", f"B{next(_codes):05d}", category=v.category)
        sec, deputy, member, other = (make_member(branch) for _ in range(4))
        director = PostTitle.RESIDENTS_DIRECTOR if community else PostTitle.VILLAGE_DIRECTOR
        _post(v, PostTitle.SECRETARY, sec)
        _post(v, PostTitle.DEPUTY_SECRETARY, deputy)
        _post(v, PostTitle.COMMITTEE_MEMBER, member)
        if i % 4 != 3:
            _post(v, director, sec if i % 2 == 0 else other)  # 一肩挑 in every other village
        if i % 3 != 1:
            _post(v, PostTitle.RESIDENTS_MEMBER if community else PostTitle.VILLAGE_MEMBER, member)  # 交叉任职
        _post(branch, PostTitle.SECRETARY, other)  # a branch's post: not the village's
        Post.objects.create(org=v, title=PostTitle.COMMITTEE_MEMBER, holder=other, started_on=datetime.date(2020, 1, 1),
                            ended_on=datetime.date(2023, 1, 1))
        for k in range(i % 3):
            Reserve.objects.create(org=branch if k else v, org_path=(branch if k else v).path, name=f"后备{next(_codes)}",
                                   gender="male", birth_date=datetime.date(1990, 1, 1), source="graduate", entered_on=TODAY)
        if i % 5 == 0:
            Election.objects.create(org=v, org_path=v.path, title="换届", stage=Stage.VOTE if i % 2 == 0 else Stage.CLOSED)
    return town


def _reference_post_statistics(path):
    """post_statistics as it was (five counts over the posts), to check the grouped one against."""
    village_ids = queries.villages(Q(path__startswith=path)).values("pk")
    posts = Post.objects.current().filter(org__in=village_ids)
    self_government = [t.value for t in SELF_GOVERNMENT_TITLES]
    party_posts = posts.exclude(title__in=[*self_government, PostTitle.GROUP_LEADER])
    director = posts.filter(title__in=[t.value for t in DIRECTOR_TITLES], org=OuterRef("org"), holder=OuterRef("holder"))
    on_villagers = posts.filter(title__in=self_government, org=OuterRef("org"), holder=OuterRef("holder"))
    n_villages = queries.villages(Q(path__startswith=path)).count()
    one_shoulder = party_posts.filter(title=PostTitle.SECRETARY).filter(Exists(director)).values("org").distinct().count()
    party_people = party_posts.values("org", "holder").distinct().count()
    cross = party_posts.filter(Exists(on_villagers)).values("org", "holder").distinct().count()
    return {"villages": n_villages, "one_shoulder": one_shoulder, "one_shoulder_share": queries._share(one_shoulder, n_villages),
            "party_people": party_people, "cross": cross, "cross_share": queries._share(cross, party_people)}


def _reference_children(user, org):
    """The children's figures as the page counted them before: a handful of queries per child."""
    paths_q = scoping.path_q("path", scoping.record_paths(user)) & Q(path__startswith=org.path)
    rows = []
    for child in Organization.objects.children_of(org).filter(scoping.path_q("path", scoping.record_paths(user))).exclude(kind="group"):
        c_q = paths_q & Q(path__startswith=child.path)
        elections = Election.objects.visible_to(user).within(child.path)
        rows.append({"org": child, "villages": queries.villages(c_q).count(),
                     "due": queries.terms_due(c_q, TODAY, max(rules.reminder_days())).count(),
                     "open": elections.exclude(stage=Stage.CLOSED).count(), "closed": elections.filter(stage=Stage.CLOSED).count(),
                     "short": queries.reserve_shortfall(c_q).count(), "posts": _reference_post_statistics(child.path)})
    return rows


def test_grouped_figures_equal_the_per_child_counts(tree, people):
    add_township(people.admin, tree.district_a, 7)
    add_township(people.admin, tree.district_a, 5)
    add_township(people.admin, tree.district_b, 6)
    services.add_reserve(people.dept_a, tree.village, {"name": "甲", "gender": "male", "birth_date": datetime.date(1990, 1, 1),
                                                        "source": "graduate"})
    for user, org in ((people.city_dept, tree.city), (people.dept_a, tree.district_a), (people.dept_a, tree.town),
                      (people.city_dept, tree.district_b), (people.secretary_a, tree.branch_a)):
        data = _overview_data(user, org, TODAY)
        assert data["children"] == _reference_children(user, org), (user, org)
        stats = queries.statistics(org.path, TODAY)
        assert {k: stats[k] for k in _reference_post_statistics(org.path)} == _reference_post_statistics(org.path)
        assert data["stats"] == stats
    # the figures are not all zero: the check compares something
    city = {c["org"].pk: c for c in _overview_data(people.city_dept, tree.city, TODAY)["children"]}[tree.district_a.pk]
    assert city["villages"] == 13 and city["due"] and city["short"] and city["open"] and city["closed"]
    assert city["posts"]["one_shoulder"] and city["posts"]["cross"] and city["posts"]["party_people"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user", ["city_dept", "dept_a"])
def test_overview_and_training_queries_do_not_grow_with_the_organizations(client, tree, people, user):
    user = getattr(people, user)
    client.force_login(user)
    urls = [reverse("leaders:overview"), reverse("leaders:course_list"), reverse("leaders:overview") + f"?org={tree.district_a.pk}"]
    add_township(people.admin, tree.district_a, 2)
    course = services.create_course(people.dept_a, tree.town, title="村书记轮训", held_on=datetime.date(2026, 5, 1), hours=8)
    small = [_queries(client, url) for url in urls]
    for _ in range(4):
        add_township(people.admin, tree.district_a, 5)
    add_township(people.admin, tree.district_b, 5)
    for r in Reserve.objects.all()[:5]:
        services.add_attendance(people.dept_a, course, reserve=r)
    assert Organization.objects.filter(category__in=queries.VILLAGE_CATEGORIES).count() > 40
    large = [_queries(client, url) for url in urls]
    assert large == small
    assert max(large) <= 20  # one grouped query per figure family, not one per township or village
    page = client.get(reverse("leaders:course_list")).content.decode()
    scope = user.role_assignments.get().org.path
    assert page.count("后备人才</td>") == Reserve.objects.within(scope).filter(left_on__isnull=True).count()  # 8 hours < 32: all below


def test_below_rows_escape_and_format_as_the_template_did():
    from decimal import Decimal

    from django.template import engines

    from grassroots.leaders.views import _below_rows

    rows = [{"name": "<b>甲</b>", "kind": "书记", "org": "村&社区\"", "hours": Decimal("24.0")},
            {"name": "乙", "kind": "后备人才", "org": "新村", "hours": Decimal(0)}, {"name": "丙", "kind": "书记", "org": "", "hours": Decimal("1234.5")}]
    template = engines["django"].from_string(
        '{% for b in below %}<tr><td data-label="姓名">{{ b.name }}</td><td data-label="类别">{{ b.kind }}</td>'
        '<td data-label="村（社区）">{{ b.org }}</td><td data-label="学时">{{ b.hours }}</td></tr>{% endfor %}')
    assert _below_rows(rows) == template.render({"below": rows})


def test_election_counts_key_by_child(tree, people):
    Election.objects.create(org=tree.village, org_path=tree.village.path, title="换届", stage=Stage.PLAN)
    Election.objects.create(org=tree.village, org_path=tree.village.path, title="换届", stage=Stage.CLOSED)
    counts = queries.election_counts(Election.objects.all(), tree.city.path)
    assert counts == {tree.district_a.path: {"open": 1, "closed": 1}}
    assert queries.election_counts(Election.objects.filter(stage=Stage.CLOSED), tree.village.path) == {tree.village.path: {"open": 0, "closed": 1}}
