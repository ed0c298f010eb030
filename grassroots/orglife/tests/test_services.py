import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.conftest import make_member
from grassroots.core.models import AuditLog
from grassroots.orglife import services
from grassroots.orglife.choices import MeetingState
from grassroots.orglife.models import Attendance, Meeting, MeetingAmendment
from grassroots.orgs import services as org_services

from .factories import at

pytestmark = pytest.mark.django_db


def plan_data(**extra):
    return {"kind": "theme_day", "starts_at": at(2026, 11, 5, 14), "topic": "学习党的二十届四中全会精神", "place": "村部", **extra}


def record_data(**extra):
    return {**plan_data(), "minutes": "书记领学，党员交流发言。", **extra}


def test_plan_meeting_writes_row_and_audit(tree, people):
    meeting = services.plan_meeting(people.secretary_a, tree.branch_a, plan_data())
    assert meeting.state == MeetingState.PLANNED
    assert meeting.org_path == tree.branch_a.path
    entry = AuditLog.objects.get(object_id=str(meeting.pk), content_type__model="meeting")
    assert entry.action == "create" and entry.after["topic"] == "学习党的二十届四中全会精神"


def test_sibling_secretary_cannot_plan_or_record(tree, people):
    with pytest.raises(PermissionDenied):
        services.plan_meeting(people.secretary_b, tree.branch_a, plan_data())
    with pytest.raises(PermissionDenied):
        services.record_meeting(people.secretary_b, org=tree.branch_a, data=record_data())
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "org_name, data, field, message",
    [
        ("branch_a", {"kind": "group"}, "kind", "党小组会只能由党小组召开"),
        ("group_a", {"kind": "committee"}, "kind", "该类会议只能由党支部召开"),
        ("branch_a", {"kind": "bogus"}, "kind", "请选择有效的会议类型"),
        ("branch_a", {"topic": "  "}, "topic", "请填写会议主题"),
        ("branch_a", {"starts_at": None}, "starts_at", "请填写会议时间"),
        ("branch_a", {"is_special": True}, "is_special", "只有组织生活会可以标记为专题组织生活会"),
    ],
)
def test_plan_rejects_bad_input_in_chinese(tree, people, org_name, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.plan_meeting(people.secretary_a, getattr(tree, org_name), plan_data(**data))
    assert message in exc.value.message_dict[field]
    assert not Meeting.objects.exists()


def test_roll_is_prefilled_from_branch_and_its_groups(tree, people, members):
    roll = list(services.roll_members(tree.branch_a, datetime.date(2026, 11, 5)))
    assert roll == [members.a1, members.a2]  # a2 sits in the branch's group
    assert list(services.roll_members(tree.branch_a, datetime.date(2025, 11, 5))) == [members.a1]  # a2 joined 2026
    assert list(services.roll_members(tree.group_a, datetime.date(2026, 11, 5))) == [members.a2]


def test_record_planned_meeting_with_attendance(tree, people, members):
    meeting = services.plan_meeting(people.secretary_a, tree.branch_a, plan_data())
    meeting = services.record_meeting(
        people.secretary_a, meeting, data={"minutes": "会议记录"},
        attendance={members.a1.pk: {"status": "present"}, members.a2.pk: {"status": "leave", "leave_reason": "外出务工"}},
    )
    assert meeting.state == MeetingState.RECORDED
    rows = {a.member_id: (a.status, a.leave_reason) for a in meeting.attendances.all()}
    assert rows == {members.a1.pk: ("present", ""), members.a2.pk: ("leave", "外出务工")}


def test_roll_members_left_out_are_absent(tree, people, members):
    meeting = services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data(), attendance={members.a1.pk: {"status": "present"}})
    assert meeting.attendances.get(member=members.a2).status == "absent"


@pytest.mark.parametrize(
    "attendance, message",
    [
        (lambda m: {m.a2.pk: {"status": "leave"}}, "李四：请假须填写事由"),
        (lambda m: {m.b1.pk: {"status": "present"}}, "出席名单中有不属于本组织的党员"),
        (lambda m: {m.a1.pk: {"status": "maybe"}}, "张三：请选择出席情况"),
        (lambda m: {m.a1.pk: {"status": "present", "as_ordinary_member": True}}, "张三：不是上级党组织领导班子成员，无需标注以普通党员身份参加"),
    ],
)
def test_bad_attendance_saves_nothing(tree, people, members, attendance, message):
    planned = services.plan_meeting(people.secretary_a, tree.branch_a, plan_data())
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(people.secretary_a, planned, data={"minutes": "记录"}, attendance=attendance(members))
    assert message in exc.value.message_dict["attendance"]
    planned.refresh_from_db()
    assert planned.state == MeetingState.PLANNED and planned.minutes == ""
    assert not Attendance.objects.exists()


def test_leader_of_higher_org_attends_as_ordinary_member(tree, people, members):
    org_services.appoint_post(people.admin, tree.village, title="committee_member", holder=members.a1, started_on=datetime.date(2024, 1, 1))
    meeting = services.record_meeting(
        people.secretary_a, org=tree.branch_a, data=record_data(),
        attendance={members.a1.pk: {"status": "present", "as_ordinary_member": True}},
    )
    assert meeting.attendances.get(member=members.a1).as_ordinary_member is True


def test_record_rejects_future_time_and_missing_minutes(tree, people, members):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data(starts_at=at(2099, 1, 1), minutes=""))
    assert exc.value.message_dict["starts_at"] == ["会议时间晚于现在，不能登记为已召开"]
    assert exc.value.message_dict["minutes"] == ["请填写会议记录"]
    assert not Meeting.objects.exists()


def test_lecture_needs_lecturer(tree, people):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data(kind="lecture"))
    assert exc.value.message_dict["lecturer"] == ["党课须填写授课人"]


def test_host_must_belong_to_the_branch(tree, people, members):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data(host=members.b1))
    assert exc.value.message_dict["host"] == ["所选党员不是本支部党员"]


def test_confirm_then_only_amend_with_reason(tree, people, members):
    meeting = services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data(), attendance={members.a1.pk: {"status": "present"}})
    with pytest.raises(PermissionDenied):
        services.confirm_meeting(people.secretary_b, meeting)
    meeting = services.confirm_meeting(people.secretary_a, meeting)
    assert meeting.state == MeetingState.CONFIRMED and meeting.confirmed_by == people.secretary_a
    with pytest.raises(ValidationError):
        services.confirm_meeting(people.secretary_a, meeting)
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(people.secretary_a, meeting, data={"minutes": "偷偷改"})
    assert "只能说明理由后更正" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.amend_meeting(people.secretary_a, meeting, reason=" ", data={"minutes": "改"})
    assert exc.value.message_dict["reason"] == ["请填写更正理由"]
    meeting.refresh_from_db()
    assert meeting.minutes == "书记领学，党员交流发言。"

    services.amend_meeting(
        people.secretary_a, meeting, reason="补记李四出席", data={"place": "党群服务中心"},
        attendance={members.a1.pk: {"status": "present"}, members.a2.pk: {"status": "present"}},
    )
    meeting.refresh_from_db()
    assert meeting.place == "党群服务中心" and meeting.state == MeetingState.CONFIRMED
    amendment = MeetingAmendment.objects.get(meeting=meeting)
    assert amendment.reason == "补记李四出席"
    assert amendment.before["place"] == "村部" and amendment.after["place"] == "党群服务中心"
    assert amendment.before["attendance"][str(members.a2.pk)][0] == "absent"
    assert amendment.after["attendance"][str(members.a2.pk)][0] == "present"
    assert "minutes" not in amendment.before  # only what changed
    assert AuditLog.objects.filter(object_id=str(meeting.pk), note__startswith="更正会议记录").count() == 1


def test_amend_without_change_is_refused(tree, people, members):
    meeting = services.record_meeting(people.secretary_a, org=tree.branch_a, data=record_data())
    services.confirm_meeting(people.secretary_a, meeting)
    with pytest.raises(ValidationError):
        services.amend_meeting(people.secretary_a, meeting, reason="无", data={})
    assert not MeetingAmendment.objects.exists()


def test_group_meeting_roll_and_new_member(tree, people, members):
    newcomer = make_member(tree.group_a, "孙七")
    meeting = services.record_meeting(
        people.secretary_a, org=tree.group_a, data=record_data(kind="group"), attendance={newcomer.pk: {"status": "present"}}
    )
    assert meeting.org == tree.group_a
    assert set(meeting.attendances.values_list("member__name", flat=True)) == {"李四", "孙七"}
