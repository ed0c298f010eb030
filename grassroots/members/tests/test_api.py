import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.conftest import make_member
from grassroots.core.models import AuditLog
from grassroots.members import services
from grassroots.members.models import CorrectionRequest, Member
from grassroots.members.tests import test_views
from grassroots.members.tests.test_views import id_number

pytestmark = pytest.mark.django_db
registry = test_views.registry  # the fixture of members with ID numbers and phones


def new_member(org_id, **changes):
    body = {
        "org_id": org_id, "name": "周建国", "gender": "male", "ethnicity": "01", "birth_date": "1985-06-15",
        "id_number": id_number(datetime.date(1985, 6, 15), seq=5), "phone": "13511112222", "status": "full",
        "joined_on": "2008-07-01", "full_on": "2009-07-01", "education": "postgraduate", "degree": "master", "occupation": "professional",
    }
    body.update(changes)
    return body


def test_requires_authentication(api, tree):
    assert api.get("/members/").status_code == 401


def test_list_is_scoped_paginated_and_masked(api, registry, people):
    api.as_user(people.dept_a)
    body = api.get("/members/", page_size=2, sort="name").json()
    assert body["count"] == 5 and body["page"] == 1 and len(body["items"]) == 2
    assert [i["name"] for i in body["items"]] == ["陈小明", "刘芳"]
    chen = body["items"][0]
    assert chen["id_number_masked"].startswith("3204**********") and chen["phone_masked"] == "139****5678"
    assert chen["gender_label"] == "男" and chen["education_label"] == "大学本科" and chen["org_short_name"] == "一支部"
    raw = api.get("/members/", page_size=200).content.decode()
    assert registry.chen_id not in raw and "13912345678" not in raw and "encrypted" not in raw and "hash" not in raw
    assert "赵六" not in raw
    api.as_user(people.secretary_a)
    assert {i["name"] for i in api.get("/members/").json()["items"]} == {"张三", "李四", "陈小明"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "zs"}, ["张三"]),
        ({"q": "小明"}, ["陈小明"]),
        ({"q": "13700001111"}, ["刘芳"]),
        ({"status": "probationary"}, ["李四"]),
        ({"gender": "female", "age": "2"}, ["刘芳", "张三"]),
        ({"ethnicity": "minority"}, ["王五"]),
        ({"joined_from": "2010-01-01", "joined_to": "2020-12-31"}, ["陈小明"]),
    ],
)
def test_list_filters_are_the_pages(api, registry, people, params, expected):
    api.as_user(people.dept_a)
    assert [i["name"] for i in api.get("/members/", sort="name", **params).json()["items"]] == expected


def test_list_by_full_id_number_and_subtree(api, registry, people, tree):
    api.as_user(people.dept_a)
    assert [i["name"] for i in api.get("/members/", q=registry.liu_id).json()["items"]] == ["刘芳"]
    assert api.get("/members/", within=tree.branch_b.pk).json()["count"] == 2
    assert api.get("/members/", within=tree.b_branch.pk).status_code == 404


def test_list_bad_filters_get_chinese_errors(api, registry, people):
    api.as_user(people.dept_a)
    response = api.get("/members/", status="honorary", age="9")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "选择一个有效的选项" in errors["status"][0] and "选择一个有效的选项" in errors["age"][0]
    response = api.get("/members/", joined_from="2020-99-01")
    assert response.status_code == 422 and response.json()["errors"]["joined_from"] == ["请输入有效日期，格式为 YYYY-MM-DD"]


def test_detail_and_events(api, registry, people):
    api.as_user(people.secretary_a)
    body = api.get(f"/members/{registry.chen.pk}").json()
    assert body["name"] == "陈小明" and body["status_label"] == "正式党员" and body["age"] == 36
    assert registry.chen_id not in json.dumps(body, ensure_ascii=False)
    events = api.get(f"/members/{registry.chen.pk}/events").json()
    assert [e["kind"] for e in events] == ["created"] and events[0]["actor"] == "branch_a"
    for path in (f"/members/{registry.liu.pk}", f"/members/{registry.liu.pk}/events"):
        assert api.get(path).status_code == 404


def test_create(api, tree, people):
    api.as_user(people.secretary_a)
    response = api.send("post", "/members/", new_member(tree.group_a.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    member = Member.objects.get(pk=body["id"])
    assert member.org == tree.group_a and body["phone_masked"] == "135****2222" and body["degree_label"] == "硕士"
    assert "13511112222" not in response.content.decode()
    assert AuditLog.objects.filter(action="create", content_type__model="member", object_id=str(member.pk)).count() == 1


def test_create_bad_input_changes_nothing_and_speaks_like_the_form(api, tree, people):
    api.as_user(people.secretary_a)
    response = api.send("post", "/members/", new_member(tree.branch_a.pk, gender="female", joined_on="2001-01-01", ethnicity="99"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["ethnicity"] == ["选择一个有效的选项。 99 不在可用的选项中。"]
    response = api.send("post", "/members/", new_member(tree.branch_a.pk, gender="female", joined_on="2001-01-01"))
    errors = response.json()["errors"]
    assert response.status_code == 422 and "性别不一致" in errors["id_number"][0] and "年满18周岁" in errors["joined_on"][0]
    response = api.send("post", "/members/", new_member(tree.branch_a.pk, birth_date="1985-02-30"))
    assert response.status_code == 422 and "birth_date" in response.json()["errors"]
    response = api.send("post", "/members/", {"org_id": tree.branch_a.pk})
    assert response.status_code == 422 and set(response.json()["errors"]) >= {"name", "gender", "birth_date"}
    assert not Member.objects.exists() and not AuditLog.objects.filter(content_type__model="member").exists()


def test_create_scope(api, tree, people):
    api.as_user(people.secretary_a)
    assert api.send("post", "/members/", new_member(tree.branch_b.pk)).status_code == 422  # not visible: 找不到
    api.as_user(people.supervisor)
    response = api.send("post", "/members/", new_member(tree.branch_a.pk))
    assert response.status_code == 403 and response.json()["detail"]
    api.as_user(people.member_a)
    assert api.send("post", "/members/", new_member(tree.branch_a.pk)).status_code == 403
    assert not Member.objects.exists()


def test_patch(api, registry, people, tree):
    api.as_user(people.secretary_a)
    response = api.send("patch", f"/members/{registry.chen.pk}", {"residence": "湖塘", "id_number": ""})
    assert response.status_code == 200 and response.json()["residence"] == "湖塘"
    chen = Member.objects.get(pk=registry.chen.pk)
    assert services.reveal(people.secretary_a, chen, "id_number") == registry.chen_id  # empty keeps
    response = api.send("patch", f"/members/{registry.chen.pk}", {"phone": "18800001234", "org_id": tree.group_a.pk})
    assert response.status_code == 200 and response.json()["phone_masked"] == "188****1234" and response.json()["org_id"] == tree.group_a.pk
    response = api.send("patch", f"/members/{registry.chen.pk}", {"status": "probationary"})
    assert response.status_code == 422 and response.json()["errors"]["full_on"] == ["预备党员不应填写转正日期"]
    response = api.send("patch", f"/members/{registry.chen.pk}", {"org_id": tree.branch_b.pk})
    assert response.status_code == 422 and "org_id" in response.json()["errors"]
    assert Member.objects.get(pk=registry.chen.pk).org == tree.group_a


def test_dissolved_organization_is_refused_on_org_id(api, registry, people, tree):
    from grassroots.orgs.models import Organization

    Organization.objects.filter(pk=tree.group_b.pk).update(is_active=False)
    api.as_user(people.dept_a)
    response = api.send("post", "/members/", new_member(tree.group_b.pk))
    assert response.status_code == 422 and response.json()["errors"]["org_id"] == ["不能把党员编入已撤销的党组织"]
    response = api.send("patch", f"/members/{registry.chen.pk}", {"org_id": tree.group_b.pk})
    assert response.status_code == 422 and "org_id" in response.json()["errors"]


def test_patch_scope(api, registry, people):
    api.as_user(people.secretary_b)
    assert api.send("patch", f"/members/{registry.chen.pk}", {"residence": "x"}).status_code == 404
    api.as_user(people.supervisor)
    assert api.send("patch", f"/members/{registry.chen.pk}", {"residence": "x"}).status_code == 403
    assert Member.objects.get(pk=registry.chen.pk).residence == ""


def test_reveal(api, registry, people):
    api.as_user(people.secretary_a)
    response = api.send("post", f"/members/{registry.chen.pk}/reveal", {"field": "id_number"})
    assert response.status_code == 200 and response.json() == {"value": registry.chen_id}
    assert AuditLog.objects.filter(action="reveal", object_id=str(registry.chen.pk)).count() == 1
    response = api.send("post", f"/members/{registry.chen.pk}/reveal", {"field": "name"})
    assert response.status_code == 422 and "field" in response.json()["errors"]
    assert AuditLog.objects.filter(action="reveal").count() == 1


@pytest.mark.parametrize("who, status", [("supervisor", 403), ("member_a", 403), ("secretary_b", 404)])
def test_reveal_is_refused(api, registry, people, who, status):
    services.update_member(people.secretary_a, registry.a1, {"phone": "13600003333"})
    api.as_user(getattr(people, who))
    response = api.send("post", f"/members/{registry.a1.pk}/reveal", {"field": "phone"})
    assert response.status_code == status and "13600003333" not in response.content.decode()
    assert not AuditLog.objects.filter(action="reveal").exists()


def test_me_and_corrections(api, registry, people):
    api.as_user(people.secretary_a)
    assert api.get("/members/me").status_code == 403
    api.as_user(people.member_a)
    me = api.get("/members/me").json()
    assert me["name"] == "张三" and me["org_name"] == "新村第一党支部"
    response = api.send("post", "/members/me/corrections", {"field": "education", "requested_value": "博士后"})
    assert response.status_code == 422 and "requested_value" in response.json()["errors"]  # not a label of 学历
    response = api.send("post", "/members/me/corrections", {"field": "occupation", "requested_value": "专业技术人员", "reason": "调岗"})
    assert response.status_code == 201, response.content
    req = response.json()
    assert req["state"] == "pending" and req["field_label"] == "职业" and req["requested_value"] == "专业技术人员"
    assert api.get("/members/corrections").status_code == 403  # a member decides nothing
    api.as_user(people.secretary_b)
    assert api.get("/members/corrections").json()["count"] == 0
    assert api.send("post", f"/members/corrections/{req['id']}/decide", {"approve": True}).status_code == 404
    api.as_user(people.secretary_a)
    listed = api.get("/members/corrections").json()
    assert listed["count"] == 1 and listed["items"][0]["member_name"] == "张三"
    response = api.send("post", f"/members/corrections/{req['id']}/decide", {"approve": False})
    assert response.status_code == 422 and response.json()["errors"]["note"] == ["驳回时请写明理由"]
    response = api.send("post", f"/members/corrections/{req['id']}/decide", {"approve": True, "note": "属实"})
    assert response.status_code == 200 and response.json()["state"] == "approved" and response.json()["decided_by"] == "branch_a"
    assert Member.objects.get(pk=registry.a1.pk).occupation == "professional"
    assert api.get("/members/corrections").json()["count"] == 0
    assert api.get("/members/corrections", state="all").json()["count"] == 1
    assert CorrectionRequest.objects.get().decision_note == "属实"


def test_requested_personal_data_is_masked_in_the_api(api, registry, people):
    api.as_user(people.member_a)
    response = api.send("post", "/members/me/corrections", {"field": "phone", "requested_value": "13655556666"})
    assert response.status_code == 201 and response.json()["requested_value"] == "136****6666"
    api.as_user(people.secretary_a)
    assert "13655556666" not in api.get("/members/corrections").content.decode()


@pytest.mark.parametrize("params", [{"page_size": 200}, {"q": "增", "page_size": 200}, {"status": "full", "sort": "joined_on"}])
def test_list_query_count_does_not_grow(api, tree, people, members, params):
    api.as_user(people.dept_a)

    def run():
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/members/", **params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_member(tree.branch_a, "增员甲")
    run()  # the token's first use is recorded once
    small = run()
    for i in range(15):
        make_member(tree.group_b if i % 2 else tree.branch_b, f"增员{i}")
    assert run() == small
