import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.conftest import make_member, make_org
from grassroots.core.models import AuditLog
from grassroots.members import stats
from grassroots.members.models import Member
from grassroots.orgs import rules, services
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization, Post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "parent_kind, child_kind, ok",
    [
        (Kind.BRANCH, Kind.GROUP, True),
        (Kind.JOINT_BRANCH, Kind.GROUP, True),
        (Kind.TEMPORARY_BRANCH, Kind.GROUP, True),
        (Kind.GENERAL_BRANCH, Kind.GROUP, False),
        (Kind.COMMITTEE, Kind.GROUP, False),
        (Kind.GROUP, Kind.GROUP, False),
        (Kind.GROUP, Kind.BRANCH, False),
        (Kind.COMMITTEE, Kind.BRANCH, True),
        (Kind.GENERAL_BRANCH, Kind.BRANCH, True),
    ],
)
def test_child_kind_rule(parent_kind, child_kind, ok):
    assert (rules.child_kind_error(parent_kind, child_kind) is None) is ok


def test_group_only_under_branch(tree, root_admin):
    with pytest.raises(ValidationError) as exc:
        make_org(root_admin, tree.village, "错误的党小组", "X1", Kind.GROUP)
    assert "党小组只能设在党支部" in str(exc.value)
    assert not Organization.objects.filter(code="X1").exists()


def test_nothing_under_a_group(tree, root_admin):
    with pytest.raises(ValidationError):
        make_org(root_admin, tree.group_a, "小组下的支部", "X2")


def test_codes_unique(tree, root_admin):
    with pytest.raises(ValidationError) as exc:
        make_org(root_admin, tree.village, "重复代码", tree.branch_a.code)
    assert exc.value.message_dict["code"] == ["组织代码已被其他党组织使用"]


def test_term_end_after_start(tree, root_admin):
    with pytest.raises(ValidationError) as exc:
        make_org(root_admin, tree.village, "任期错", "X3", term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2023, 1, 1))
    assert "term_end" in exc.value.message_dict


def test_create_records_audit_and_initials(tree):
    entry = AuditLog.objects.for_object(tree.branch_a).get()
    assert entry.action == AuditLog.Action.CREATE
    assert entry.after["name"] == "新村第一党支部"
    assert tree.branch_a.initials == "xcdydzb"


def test_update_records_before_and_after(tree, people):
    services.update_organization(people.secretary_a, tree.branch_a, {"address": "新村路1号"})
    entry = AuditLog.objects.for_object(tree.branch_a).filter(action="update").get()
    assert entry.before["address"] == "" and entry.after["address"] == "新村路1号"
    assert entry.actor_name == "" or entry.actor is None or entry.actor == people.secretary_a


def test_secretary_cannot_edit_sibling(tree, people):
    with pytest.raises(PermissionDenied):
        services.update_organization(people.secretary_a, tree.branch_b, {"address": "x"})
    assert Organization.objects.get(pk=tree.branch_b.pk).address == ""


def test_supervisor_cannot_write(tree, people):
    with pytest.raises(PermissionDenied):
        services.update_organization(people.supervisor, tree.branch_a, {"address": "x"})


def test_kind_change_respects_children(tree, people):
    with pytest.raises(ValidationError):
        services.update_organization(people.dept_a, tree.branch_a, {"kind": Kind.GENERAL_BRANCH})
    assert Organization.objects.get(pk=tree.branch_a.pk).kind == Kind.BRANCH


def test_move_subtree_carries_members(tree, people, members):
    moved = services.move_organization(people.city_dept, tree.village, tree.district_b)
    assert moved.path.startswith(tree.district_b.path)
    a1 = Member.objects.get(pk=members.a1.pk)
    assert a1.org_path == Organization.objects.get(pk=tree.branch_a.pk).path
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert stats.subtree_counts(Organization.objects.get(pk=tree.district_b.pk).path)["total"] == 4
    assert stats.subtree_counts(Organization.objects.get(pk=tree.district_a.pk).path)["total"] == 0
    entry = AuditLog.objects.for_object(tree.village).get(action="move")
    assert entry.before["parent"] == "中共湖塘镇委员会" and entry.after["parent"] == "中共常州市天宁区委员会"


def test_move_refuses_cycles(tree, people):
    with pytest.raises(ValidationError) as exc:
        services.move_organization(people.city_dept, tree.town, tree.branch_a)
    assert "自己或它的下级" in str(exc.value)
    with pytest.raises(ValidationError):
        services.move_organization(people.city_dept, tree.town, tree.town)


def test_move_group_only_to_branch(tree, people):
    with pytest.raises(ValidationError):
        services.move_organization(people.city_dept, tree.group_a, tree.village)
    services.move_organization(people.city_dept, tree.group_a, tree.branch_b)
    assert Organization.objects.get_parent(Organization.objects.get(pk=tree.group_a.pk)) == tree.branch_b


def test_move_needs_manage_on_both_sides(tree, people):
    with pytest.raises(PermissionDenied):
        services.move_organization(people.dept_a, tree.branch_a, tree.b_branch)


def test_dissolve_requires_empty_org_and_keeps_history(tree, people, members):
    with pytest.raises(ValidationError) as exc:
        services.dissolve_organization(people.dept_a, tree.branch_a, datetime.date(2026, 1, 1), "合并")
    assert "下级党组织" in str(exc.value)
    services.dissolve_organization(people.dept_a, tree.group_b, datetime.date(2026, 1, 1), "小组合并")
    with pytest.raises(ValidationError) as exc:
        services.dissolve_organization(people.dept_a, tree.branch_b, datetime.date(2026, 1, 1), "合并")
    assert "1 名党员" in str(exc.value)
    group = Organization.objects.get(pk=tree.group_b.pk)
    assert group.is_active is False and group.dissolved_reason == "小组合并"
    assert AuditLog.objects.for_object(group).filter(action="dissolve").exists()


def test_dissolve_ends_current_posts_and_restore(tree, people, members):
    Member.objects.filter(pk=members.b1.pk).update(org=tree.branch_a, org_path=tree.branch_a.path)
    services.dissolve_organization(people.dept_a, tree.group_b, datetime.date(2026, 1, 1), "并入")
    post = services.appoint_post(people.dept_a, tree.branch_b, title="secretary", holder=members.a1, started_on=datetime.date(2025, 1, 1))
    services.dissolve_organization(people.dept_a, tree.branch_b, datetime.date(2026, 2, 1), "并入一支部")
    assert Post.objects.get(pk=post.pk).ended_on == datetime.date(2026, 2, 1)
    with pytest.raises(ValidationError):
        make_org(people.dept_a, Organization.objects.get(pk=tree.branch_b.pk), "新小组", "X9", Kind.GROUP)
    services.restore_organization(people.dept_a, tree.branch_b)
    assert Organization.objects.get(pk=tree.branch_b.pk).is_active


def test_posts_history(tree, people, members):
    post = services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=members.a1, started_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.end_post(people.secretary_a, post, datetime.date(2024, 2, 1))
    services.end_post(people.secretary_a, post, datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.end_post(people.secretary_a, Post.objects.get(pk=post.pk), datetime.date(2025, 4, 1))
    assert AuditLog.objects.for_object(post).count() == 2


def test_post_holder_must_be_in_scope(tree, people, members):
    with pytest.raises(ValidationError):
        services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=members.b1, started_on=datetime.date(2024, 3, 1))


def test_rollup_counts(tree, members):
    make_member(tree.branch_b, "已出党", state="left")
    counts = stats.subtree_counts(tree.village.path)
    assert counts == {"total": 3, "probationary": 1, "full": 2, "female": 1, "minority": 1, "under_35": 1}
    by_child = stats.counts_by_prefix([tree.branch_a.path, tree.branch_b.path])
    assert by_child[tree.branch_a.path]["total"] == 2
    assert by_child[tree.branch_b.path]["total"] == 1


def test_age_bands_boundaries(tree):
    today = datetime.date(2026, 11, 25)
    make_member(tree.branch_a, "甲", birth_date=datetime.date(1991, 11, 26))  # 34
    make_member(tree.branch_a, "乙", birth_date=datetime.date(1991, 11, 25))  # 35 today
    make_member(tree.branch_a, "丙", birth_date=datetime.date(1960, 11, 25))  # 66 today
    bands = dict(stats.by_age_band(tree.city.path, today=today))
    assert bands["35岁以下"] == 1 and bands["35-45岁"] == 1 and bands["66岁及以上"] == 1
    assert stats.subtree_counts(tree.city.path, today=today)["under_35"] == 1
