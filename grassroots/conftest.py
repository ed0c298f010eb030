"""Shared fixtures: a small organization tree with two sibling branches, and a user for every role."""

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.members.choices import Gender, Status
from grassroots.members.models import Member
from grassroots.orgs import services as org_services
from grassroots.orgs.choices import Category, Kind

PASSWORD = "Test-Passw0rd!"

# Property tests check rules, not speed: on a busy 2-core CI machine a slow example is no failure.
hypothesis_settings.register_profile("grassroots", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("grassroots")


def make_org(actor, parent, name, code, kind=Kind.BRANCH, category=Category.RURAL, **extra):
    data = {
        "name": name, "short_name": "", "code": code, "kind": kind, "category": category, "established_on": None,
        "term_start": None, "term_end": None, "address": "", "contact_person": "", "contact_phone": "", **extra,
    }
    return org_services.create_organization(actor, parent, data)


_member_seq = iter(range(1, 10**6))


def make_member(org, name=None, **fields):
    n = next(_member_seq)
    defaults = {
        "name": name or f"党员{n}",
        "gender": Gender.MALE,
        "ethnicity": "01",
        "birth_date": datetime.date(1980, 1, 1),
        "status": Status.FULL,
        "joined_on": datetime.date(2005, 7, 1),
        "full_on": datetime.date(2006, 7, 1),
    }
    defaults.update(fields)
    from grassroots.core.pinyin import initials

    return Member.objects.create(org=org, org_path=org.path, initials=initials(defaults["name"]), **defaults)


def make_user(username, role=None, org=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=extra.pop("full_name", username), **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, org=org)
    return user


@pytest.fixture
def root_admin(db):
    return User.objects.create_superuser(username="root", password=PASSWORD, full_name="超级管理员")


@pytest.fixture
def tree(root_admin):
    """常州市委 → 武进区委 (→ 湖塘镇党委 → 新村村党委 → 第一/第二党支部 → 党小组), 天宁区委, 机关工委."""
    a = root_admin
    t = SimpleNamespace()
    t.city = make_org(a, None, "中共常州市委员会", "C0001", Kind.COMMITTEE, Category.AGENCY, short_name="常州市委")
    t.district_a = make_org(a, t.city, "中共常州市武进区委员会", "C0101", Kind.COMMITTEE, Category.AGENCY, short_name="武进区委")
    t.district_b = make_org(a, t.city, "中共常州市天宁区委员会", "C0102", Kind.COMMITTEE, Category.AGENCY, short_name="天宁区委")
    t.town = make_org(a, t.district_a, "中共湖塘镇委员会", "C0201", Kind.COMMITTEE, Category.AGENCY, short_name="湖塘镇党委")
    t.village = make_org(a, t.town, "中共新村村委员会", "C0301", Kind.COMMITTEE, Category.RURAL, short_name="新村党委")
    t.branch_a = make_org(a, t.village, "新村第一党支部", "C0401", short_name="一支部")
    t.branch_b = make_org(a, t.village, "新村第二党支部", "C0402", short_name="二支部")
    t.group_a = make_org(a, t.branch_a, "新村第一党支部第一党小组", "C0501", Kind.GROUP)
    t.group_b = make_org(a, t.branch_b, "新村第二党支部第一党小组", "C0502", Kind.GROUP)
    t.b_branch = make_org(a, t.district_b, "天宁区某社区党支部", "C0601", category=Category.COMMUNITY)
    return t


@pytest.fixture
def people(tree):
    """One account per role; branch A and branch B are siblings under the same village."""
    u = SimpleNamespace()
    u.admin = make_user("sysadmin", Role.ADMIN, tree.city, is_staff=True)
    u.city_dept = make_user("city_zzb", Role.ORG_DEPT, tree.city)
    u.dept_a = make_user("wujin_zzb", Role.ORG_DEPT, tree.district_a)
    u.secretary_a = make_user("branch_a", Role.SECRETARY, tree.branch_a)
    u.secretary_b = make_user("branch_b", Role.SECRETARY, tree.branch_b)
    u.supervisor = make_user("dudao", Role.SUPERVISOR, tree.district_a)
    u.member_a = make_user("member_a", Role.MEMBER, tree.branch_a)
    u.nobody = make_user("norole")
    return u


@pytest.fixture
def members(tree, people):
    m = SimpleNamespace()
    m.a1 = make_member(tree.branch_a, "张三", gender=Gender.FEMALE, user=people.member_a)
    m.a2 = make_member(tree.group_a, "李四", status=Status.PROBATIONARY, full_on=None, joined_on=datetime.date(2026, 1, 5), birth_date=datetime.date(2000, 5, 1))
    m.b1 = make_member(tree.branch_b, "王五", ethnicity="03")
    m.other = make_member(tree.b_branch, "赵六")
    return m


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api(client):
    """A client that speaks JSON with a personal API token."""

    class Api:
        def __init__(self):
            self.token = None

        def as_user(self, user):
            from grassroots.accounts import services as account_services

            _t, self.token = account_services.create_token(user, "测试")
            return self

        def _headers(self):
            return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

        def get(self, path, **params):
            return client.get("/api/v1" + path, params, **self._headers())

        def send(self, method, path, body):
            import json

            return getattr(client, method)("/api/v1" + path, json.dumps(body), content_type="application/json", **self._headers())

    return Api()
