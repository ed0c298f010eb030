import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.orglife.choices import MeetingKind, MeetingState
from grassroots.orglife.models import Attendance, Meeting

from .factories import at, held

pytestmark = pytest.mark.django_db
API = "/api/v1/orglife"


def body(org, **extra):
    return {"org_id": org.pk, "kind": "theme_day", "starts_at": "2026-03-31T23:30:00+08:00", "topic": "主题党日", "place": "村部", **extra}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_create_record_confirm_amend_flow(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = post(client, f"{API}/meetings", body(tree.branch_a, record=True, minutes="记录", attendance=[
        {"member_id": members.a1.pk, "status": "present"}, {"member_id": members.a2.pk, "status": "leave", "leave_reason": "出差"},
    ]))
    assert response.status_code == 201, response.json()
    meeting_id = response.json()["id"]
    assert response.json()["state"] == "recorded"
    roll = client.get(f"{API}/meetings/{meeting_id}/attendance").json()
    assert {(r["member_name"], r["status"], r["leave_reason"]) for r in roll} == {("张三", "present", ""), ("李四", "leave", "出差")}
    assert post(client, f"{API}/meetings/{meeting_id}/confirm", {}).json()["state"] == "confirmed"
    response = post(client, f"{API}/meetings/{meeting_id}/record", {"minutes": "改"})
    assert response.status_code == 422 and "只能说明理由后更正" in response.json()["detail"]
    response = post(client, f"{API}/meetings/{meeting_id}/amend", {"reason": "", "place": "会议室"})
    assert response.status_code == 422 and response.json()["errors"] == {"reason": ["请填写更正理由"]}
    response = post(client, f"{API}/meetings/{meeting_id}/amend", {"reason": "地点有误", "place": "会议室"})
    assert response.status_code == 200 and response.json()["place"] == "会议室"


def test_naive_time_is_beijing_time(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = post(client, f"{API}/meetings", body(tree.branch_a, starts_at="2026-04-01T00:10:00"))
    assert response.status_code == 201
    assert response.json()["starts_at"].startswith("2026-04-01T00:10:00+08:00")


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"kind": "nonsense"}, "kind", "不是有效的会议类型"),
        ({"kind": "group"}, "kind", "党小组会只能由党小组召开"),
        ({"topic": ""}, "topic", "请填写会议主题"),
        ({"starts_at": "昨天"}, "starts_at", "输入无效"),
        ({"record": True}, "minutes", "请填写会议记录"),
        ({"host_id": 999999}, "host_id", "找不到该党员，或不在您的管理范围内"),
    ],
)
def test_bad_input_is_422_in_chinese_and_saves_nothing(client, tree, people, members, extra, field, message):
    client.force_login(people.secretary_a)
    response = post(client, f"{API}/meetings", body(tree.branch_a, **extra))
    assert response.status_code == 422
    assert message in response.json()["errors"][field]
    assert not Meeting.objects.exists()


def test_bad_attendance_is_422(client, tree, people, members):
    client.force_login(people.secretary_a)
    response = post(client, f"{API}/meetings", body(tree.branch_a, record=True, minutes="记录", attendance=[{"member_id": members.b1.pk, "status": "present"}]))
    assert response.status_code == 422
    assert response.json()["errors"]["attendance"] == ["出席名单中有不属于本组织的党员"]
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_sibling_is_404_and_member_role_is_403(client, tree, people, members):
    other = held(tree.branch_b, MeetingKind.THEME_DAY, at(2026, 3, 1))
    client.force_login(people.secretary_a)
    for url in (f"{API}/meetings/{other.pk}", f"{API}/meetings/{other.pk}/attendance", f"{API}/compliance/{tree.branch_b.pk}?year=2026", f"{API}/six-months/{tree.branch_b.pk}"):
        assert client.get(url).status_code == 404, url
    for url in ("confirm", "record", "amend"):
        assert post(client, f"{API}/meetings/{other.pk}/{url}", {"reason": "越权", "minutes": "越权"}).status_code == 404
    assert post(client, f"{API}/meetings", body(tree.branch_b)).status_code == 404
    assert client.get(f"{API}/meetings").json()["count"] == 0
    mine = held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 1))
    client.force_login(people.member_a)
    assert client.get(f"{API}/meetings/{mine.pk}").status_code == 200
    assert post(client, f"{API}/meetings/{mine.pk}/confirm", {}).status_code == 403
    assert client.get(f"{API}/six-months/{tree.branch_a.pk}").status_code == 403
    mine.refresh_from_db()
    assert mine.state == MeetingState.RECORDED


def test_compliance_endpoint(client, tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 2))
    client.force_login(people.dept_a)
    data = client.get(f"{API}/compliance/{tree.village.pk}", {"year": 2026, "by": "quarter"}).json()
    assert [b["code"] for b in data["branches"]] == ["C0401", "C0402"]
    assert len(data["branches"][0]["cells"]) == 4 and data["branches"][0]["cells"][0]["met"] == 1
    response = client.get(f"{API}/compliance/{tree.village.pk}", {"year": 2026, "by": "year"})
    assert response.status_code == 422 and response.json()["errors"] == {"by": ["只能按月（month）或季度（quarter）统计"]}


def test_list_endpoint_fixed_queries(client, tree, people, members):
    client.force_login(people.dept_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/meetings", {"page_size": 200}).status_code == 200
        return len(ctx.captured_queries)

    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 2))
    before = count()
    for i in range(6):
        held(tree.group_a if i % 2 else tree.branch_b, MeetingKind.GROUP if i % 2 else MeetingKind.THEME_DAY, at(2026, 2, i + 1))
    assert count() == before
    assert client.get(f"{API}/meetings", {"org_id": tree.group_a.pk}).json()["count"] == 3
    assert client.get(f"{API}/meetings", {"month": "2026-01"}).json()["count"] == 1


def test_appraisal_api_flow_and_scoping(client, tree, people, members):
    from grassroots.conftest import make_member, make_user
    from grassroots.orglife.models import Ballot

    voters = [members.a1] + [make_member(tree.branch_a, f"评{i}", user=make_user(f"v{i}")) for i in range(2)]
    client.force_login(people.secretary_b)
    assert post(client, f"{API}/appraisals", {"org_id": tree.branch_a.pk, "year": 2025}).status_code == 404
    client.force_login(people.secretary_a)
    response = post(client, f"{API}/appraisals", {"org_id": tree.branch_a.pk, "year": 2025})
    assert response.status_code == 201, response.json()
    appraisal_id = response.json()["id"]
    assert post(client, f"{API}/appraisals", {"org_id": tree.branch_a.pk, "year": 2025}).json()["errors"] == {"year": ["该党支部 2025 年的民主评议已经开展"]}
    grades = {str(m.pk): "qualified" for m in voters}
    for voter in voters:
        client.force_login(voter.user)
        assert post(client, f"{API}/appraisals/{appraisal_id}/ballot", {"grades": grades}).status_code == 204
    response = post(client, f"{API}/appraisals/{appraisal_id}/ballot", {"grades": grades})
    assert response.status_code == 422 and response.json()["detail"] == "您已经投过票，不能重复投票"
    assert client.get(f"{API}/appraisals/{appraisal_id}").json()["results"] is None  # a member does not see others' grades
    assert Ballot.objects.count() == 9
    client.force_login(people.secretary_b)
    assert client.get(f"{API}/appraisals/{appraisal_id}").status_code == 404
    assert post(client, f"{API}/appraisals/{appraisal_id}/conclude", {"grades": grades}).status_code == 404
    client.force_login(people.secretary_a)
    data = post(client, f"{API}/appraisals/{appraisal_id}/conclude", {"grades": grades}).json()
    assert data["state"] == "concluded" and data["ballots_cast"] == 3
    assert {r["qualified_votes"] for r in data["results"]} == {3}


def test_attendance_rates(client, tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 5), present=[members.a1], absent=[members.a2])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 2, 5), present=[members.a1, members.a2])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 5), leave=[members.a1], present=[members.a2])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 4, 5), state=MeetingState.PLANNED, present=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 12, 31, 23, 30), present=[members.a1])  # 2025 in Beijing
    client.force_login(people.secretary_a)
    items = client.get(f"{API}/attendance-rates/{tree.branch_a.pk}", {"year": 2026}).json()["items"]
    rows = {i["name"]: (i["expected"], i["present"], i["on_leave"], i["rate"]) for i in items}
    assert rows == {"张三": (3, 2, 1, 67.0), "李四": (3, 2, 0, 67.0)}
    assert client.get(f"{API}/attendance-rates/{tree.branch_b.pk}").status_code == 404
    client.force_login(people.member_a)
    assert client.get(f"{API}/attendance-rates/{tree.branch_a.pk}").status_code == 403
