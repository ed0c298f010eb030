import pytest
from django.utils import timezone

from grassroots.talks.models import Talk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def body(member, **extra):
    return {"member_id": member.pk, "held_on": TODAY, "talker_name": "王书记", "topic": "谈心", "summary": "谈了近况", **extra}


def test_create_list_amend_follow_up(api, people, members):
    api.as_user(people.secretary_a)
    created = api.send("post", "/talks/", body(members.a1, reasons=["no_orglife"], follow_up="复谈"))
    assert created.status_code == 201, created.content
    talk = created.json()
    assert talk["member_name"] == "张三" and talk["follow_up_due"]
    listed = api.get("/talks/", q="zs").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == talk["id"]
    amended = api.send("post", f"/talks/{talk['id']}/amend", {"reason": "补充", "summary": "补充内容"})
    assert amended.status_code == 200 and amended.json()["summary"] == "补充内容"
    done = api.send("post", f"/talks/{talk['id']}/follow-up", {"done_on": TODAY, "result": "已复谈"})
    assert done.status_code == 200 and done.json()["follow_up_done_on"] == TODAY


def test_chinese_errors_and_nothing_saved(api, people, members):
    api.as_user(people.secretary_a)
    response = api.send("post", "/talks/", body(members.a1, held_on="2099-01-01", summary=""))
    assert response.status_code == 422
    assert "谈话日期不能晚于今天" in response.json()["detail"] and not Talk.objects.exists()
    assert api.send("post", "/talks/", body(members.b1)).status_code in (403, 404)


def test_worklist_and_coverage(api, tree, people, members):
    api.as_user(people.secretary_a)
    items = api.get("/talks/worklist").json()["items"]
    assert {i["name"] for i in items} == {"张三", "李四"} and items[0]["flags"] == ["no_orglife"]
    rows = api.get("/talks/coverage", org_id=tree.village.pk)
    assert rows.status_code == 404  # a branch secretary does not see the village's records
    api.as_user(people.dept_a)
    rows = {r["org_name"]: r for r in api.get("/talks/coverage", org_id=tree.village.pk).json()}
    assert rows["新村第一党支部"]["members"] == 2 and rows["新村第一党支部"]["talked"] == 0 and rows["新村第一党支部"]["percent"] == 0
