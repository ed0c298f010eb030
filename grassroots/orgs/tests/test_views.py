import pytest
from django.urls import reverse

from grassroots.conftest import login
from grassroots.core.models import AuditLog
from grassroots.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_login_required(client, tree):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tree_shows_scope_roots_with_counts(client, tree, people, members):
    login(client, people.secretary_a)
    html = client.get(reverse("orgs:tree")).content.decode()
    assert "新村第一党支部" in html and "新村第二党支部" not in html and "中共常州市委员会" not in html
    login(client, people.dept_a)
    html = client.get(reverse("orgs:tree")).content.decode()
    assert "中共常州市武进区委员会" in html and "3 人" in html


def test_children_fragment_lazy_loads(client, tree, people, members):
    login(client, people.dept_a)
    html = client.get(reverse("orgs:children", args=[tree.village.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "新村第一党支部" in html and "新村第二党支部" in html and "<html" not in html
    assert "新村第一党支部第一党小组" not in html  # grandchildren wait until expanded


def test_search_by_name_initials_and_code(client, tree, people):
    login(client, people.dept_a)
    for q in ("第二党支部", "xcdedzb", "C0402"):
        html = client.get(reverse("orgs:search"), {"q": q}).content.decode()
        assert "新村第二党支部" in html, q
    html = client.get(reverse("orgs:search"), {"q": "天宁"}).content.decode()
    assert "天宁区某社区党支部" not in html  # outside 武进


def test_detail_shows_counts_posts_history(client, tree, people, members):
    login(client, people.dept_a)
    response = client.get(reverse("orgs:detail", args=[tree.village.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="total">3<' in html and 'data-count="female">1<' in html
    assert "变更历史" in html and "新建" in html


def test_edit_via_form_and_history(client, tree, people):
    login(client, people.secretary_a)
    url = reverse("orgs:edit", args=[tree.branch_a.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["address"] = "新村路 8 号"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree.branch_a.pk).address == "新村路 8 号"
    html = client.get(reverse("orgs:detail", args=[tree.branch_a.pk])).content.decode()
    assert "新村路 8 号" in html and "branch_a" in html


def test_bad_input_gets_chinese_field_errors_and_changes_nothing(client, tree, people):
    login(client, people.dept_a)
    before = Organization.objects.count()
    response = client.post(
        reverse("orgs:create_child", args=[tree.village.pk]),
        {"name": "", "code": tree.branch_a.code, "kind": "group", "category": "rural", "established_on": "2020-13-40"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "这个字段是必填项。" in errors["name"]
    assert "established_on" in errors
    assert Organization.objects.count() == before
    response = client.post(
        reverse("orgs:create_child", args=[tree.village.pk]),
        {"name": "新小组", "code": "N1", "kind": "group", "category": "rural"},
    )
    assert "党小组只能设在党支部" in response.content.decode()
    assert Organization.objects.count() == before


def test_create_child_move_dissolve_restore_pages(client, tree, people):
    login(client, people.dept_a)
    response = client.post(reverse("orgs:create_child", args=[tree.village.pk]), {"name": "新村第三党支部", "code": "C0403", "kind": "branch", "category": "rural"})
    third = Organization.objects.get(code="C0403")
    assert response["Location"] == reverse("orgs:detail", args=[third.pk])
    response = client.post(reverse("orgs:move", args=[third.pk]), {"parent": tree.town.code})
    assert response.status_code == 302
    assert Organization.objects.get(pk=third.pk).depth == tree.town.depth + 1
    response = client.post(reverse("orgs:move", args=[third.pk]), {"parent": tree.b_branch.code})
    assert "不在您的管理范围内" in response.content.decode()
    response = client.post(reverse("orgs:dissolve", args=[third.pk]), {"dissolved_on": "2026-01-01", "reason": "合并"})
    assert response.status_code == 302 and not Organization.objects.get(pk=third.pk).is_active
    client.post(reverse("orgs:restore", args=[third.pk]))
    assert Organization.objects.get(pk=third.pk).is_active
    actions = list(AuditLog.objects.for_object(third).order_by("id").values_list("action", flat=True))
    assert actions == ["create", "move", "dissolve", "restore"]


def test_read_only_roles_cannot_open_edit(client, tree, people):
    login(client, people.supervisor)
    assert client.get(reverse("orgs:detail", args=[tree.branch_a.pk])).status_code == 200
    assert client.get(reverse("orgs:edit", args=[tree.branch_a.pk])).status_code == 403
    html = client.get(reverse("orgs:detail", args=[tree.branch_a.pk])).content.decode()
    assert reverse("orgs:edit", args=[tree.branch_a.pk]) not in html and reverse("orgs:dissolve", args=[tree.branch_a.pk]) not in html


def test_export_ledger(client, tree, people):
    from io import BytesIO

    from openpyxl import load_workbook

    login(client, people.dept_a)
    response = client.get(reverse("orgs:export", args=[tree.town.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "组织代码" and len(rows) == 1 + 6
    assert rows[1][5] == "C0101"  # the parent code of the top row too
    assert {r[1] for r in rows[1:]} >= {"新村第一党支部", "新村第二党支部"}
    assert AuditLog.objects.filter(action="export", object_id=str(tree.town.pk)).exists()
