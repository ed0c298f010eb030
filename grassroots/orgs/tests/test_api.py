import json

import pytest

from grassroots.accounts import services as account_services
from grassroots.core.models import AuditLog
from grassroots.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_requires_authentication(api, tree):
    response = api.get("/orgs/")
    assert response.status_code == 401 and response.json()["detail"] == "未登录或令牌无效"
    api.token = "gr_wrong"
    assert api.get("/orgs/").status_code == 401


def test_revoked_token_stops_working(api, tree, people):
    api.as_user(people.dept_a)
    assert api.get("/orgs/").status_code == 200
    token = people.dept_a.api_tokens.get()
    account_services.revoke_token(people.dept_a, token)
    assert api.get("/orgs/").status_code == 401


def test_list_is_scoped_paginated_and_filterable(api, tree, people):
    api.as_user(people.dept_a)
    body = api.get("/orgs/", page_size=2).json()
    assert body["count"] == 7 and len(body["items"]) == 2 and body["page"] == 1
    codes = {o["code"] for o in api.get("/orgs/", page_size=100).json()["items"]}
    assert tree.b_branch.code not in codes and tree.city.code not in codes
    within = api.get("/orgs/", within=tree.village.pk).json()
    assert within["count"] == 5
    assert api.get("/orgs/", within=tree.b_branch.pk).status_code == 404
    groups = api.get("/orgs/", kind="group").json()
    assert {o["code"] for o in groups["items"]} == {"C0501", "C0502"}
    assert groups["items"][0]["parent_id"] == tree.branch_a.pk
    assert api.get("/orgs/", q="xcdedzb").json()["items"][0]["code"] == "C0402"


def test_detail_children_counts(api, tree, people, members):
    api.as_user(people.secretary_a)
    assert api.get(f"/orgs/{tree.branch_a.pk}").json()["name"] == "新村第一党支部"
    assert api.get(f"/orgs/{tree.branch_b.pk}").status_code == 404
    assert api.get(f"/orgs/{tree.branch_b.pk}/counts").status_code == 404
    assert api.get(f"/orgs/{tree.branch_a.pk}/counts").json()["total"] == 2
    children = api.get(f"/orgs/{tree.branch_a.pk}/children").json()
    assert [c["code"] for c in children] == ["C0501"]


def test_create_patch_move_dissolve(api, tree, people):
    api.as_user(people.dept_a)
    response = api.send("post", "/orgs/", {"parent_id": tree.village.pk, "name": "新村第三党支部", "code": "C0403", "kind": "branch", "category": "rural"})
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    response = api.send("patch", f"/orgs/{new_id}", {"short_name": "三支部", "term_start": "2024-01-01", "term_end": "2027-01-01"})
    assert response.status_code == 200 and response.json()["short_name"] == "三支部"
    assert response.json()["name"] == "新村第三党支部"
    response = api.send("post", f"/orgs/{new_id}/move", {"parent_id": tree.town.pk})
    assert response.status_code == 200 and response.json()["parent_id"] == tree.town.pk
    response = api.send("post", f"/orgs/{new_id}/dissolve", {"dissolved_on": "2026-01-01", "reason": "合并"})
    assert response.status_code == 200 and response.json()["is_active"] is False
    actions = list(AuditLog.objects.filter(object_id=str(new_id), content_type__model="organization").order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "move", "dissolve"]
    history = api.get(f"/orgs/{new_id}/history").json()
    assert [h["action"] for h in history] == ["dissolve", "move", "update", "create"]


def test_bad_input_is_422_in_chinese_and_changes_nothing(api, tree, people):
    api.as_user(people.dept_a)
    before = Organization.objects.count()
    response = api.send("post", "/orgs/", {"parent_id": tree.village.pk, "code": "C0409", "kind": "branch", "category": "rural", "established_on": "2020-02-30"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["此字段为必填项"]
    assert errors["established_on"] == ["请输入有效日期，格式为 YYYY-MM-DD"]
    response = api.send("post", "/orgs/", {"parent_id": tree.village.pk, "name": "x", "code": "C0401", "kind": "nonsense", "category": "rural"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"] and "code" in response.json()["errors"]
    response = api.send("post", "/orgs/", {"parent_id": tree.village.pk, "name": "x", "code": "C0409", "kind": "group", "category": "rural"})
    assert response.status_code == 422 and "党小组只能设在党支部" in response.json()["errors"]["kind"][0]
    assert Organization.objects.count() == before


def test_write_outside_scope(api, tree, people):
    api.as_user(people.secretary_a)
    assert api.send("patch", f"/orgs/{tree.branch_b.pk}", {"address": "x"}).status_code == 404
    assert api.send("patch", f"/orgs/{tree.village.pk}", {"address": "x"}).status_code == 404
    api.as_user(people.supervisor)
    response = api.send("patch", f"/orgs/{tree.branch_a.pk}", {"address": "x"})
    assert response.status_code == 403 and response.json()["detail"] == "您没有管理该党组织的权限"
    assert Organization.objects.get(pk=tree.branch_a.pk).address == ""


def test_posts_api(api, tree, people, members):
    api.as_user(people.secretary_a)
    response = api.send("post", f"/orgs/{tree.branch_a.pk}/posts", {"title": "secretary", "holder_id": members.a1.pk, "started_on": "2024-01-01"})
    assert response.status_code == 201, response.content
    post_id = response.json()["id"]
    assert api.send("post", f"/orgs/{tree.branch_a.pk}/posts", {"title": "secretary", "holder_id": members.b1.pk, "started_on": "2024-01-01"}).status_code == 422
    assert api.get(f"/orgs/{tree.branch_a.pk}/posts", current=True).json()[0]["holder_name"] == "张三"
    assert api.send("post", f"/orgs/posts/{post_id}/end", {"ended_on": "2025-01-01"}).json()["ended_on"] == "2025-01-01"
    assert api.get(f"/orgs/{tree.branch_a.pk}/posts", current=True).json() == []


def test_session_auth_needs_csrf(tree, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.dept_a)
    assert client.get("/api/v1/orgs/").status_code == 200
    response = client.patch(f"/api/v1/orgs/{tree.branch_a.pk}", json.dumps({"address": "x"}), content_type="application/json")
    assert response.status_code == 403


def test_openapi_and_local_docs(client, tree, people):
    client.force_login(people.dept_a)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orgs/" in schema["paths"]
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_malformed_json_is_a_chinese_400(api, tree, people):
    api.as_user(people.dept_a)
    from django.test import Client

    response = Client().post("/api/v1/orgs/", "{bad json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 400 and response.json()["detail"] == "请求内容无法解析，请发送有效的 JSON"
    assert api.get("/orgs/", page="abc").json()["errors"] == {"page": ["请输入整数"]}
