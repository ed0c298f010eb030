import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.models import AuditLog
from grassroots.members.models import Member, MemberEvent
from grassroots.relations import rules, services
from grassroots.relations.choices import CaseState
from grassroots.relations.models import FloatingRecord, LostContactCase

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def floating_data(**kw):
    return {"left_on": datetime.date(2025, 3, 1), "destination": "苏州市工业园区某公司", "reason": "work", "contact_phone": "13812345678",
            "certificate_number": "LD2025001", "activity_org_name": "苏州工业园区流动党员党支部", **kw}


def test_floating_member_goes_and_returns(tree, people, members):
    record = services.register_floating(people.secretary_a, members.a1, floating_data())
    member = Member.objects.get(pk=members.a1.pk)
    assert member.state == "floating"
    assert record.contact_phone_masked == "138****5678" and "13812345678" not in record.contact_phone_encrypted
    assert services.reveal_contact(people.secretary_a, record) == "13812345678"
    assert AuditLog.objects.filter(action="reveal", content_type__model="floatingrecord").count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_contact(people.supervisor, record)
    assert record.transfer_required(datetime.date(2025, 9, 1)) and not record.transfer_required(datetime.date(2025, 8, 31))
    with pytest.raises(ValidationError):
        services.register_floating(people.secretary_a, members.a1, floating_data())  # already floating
    with pytest.raises(ValidationError) as exc:
        services.record_return(people.secretary_a, record, returned_on=datetime.date(2025, 2, 1))
    assert "returned_on" in exc.value.message_dict
    services.record_return(people.secretary_a, record, returned_on=TODAY())
    assert Member.objects.get(pk=members.a1.pk).state == "normal"
    assert list(MemberEvent.objects.filter(member=members.a1, kind="state").values_list("after", flat=True)) == ["正常", "流动"]


def test_floating_refusals_save_nothing(tree, people, members):
    with pytest.raises(ValidationError) as exc:
        services.register_floating(people.secretary_a, members.a1, {"left_on": TODAY() + datetime.timedelta(days=1), "destination": " ",
                                                                    "reason": "", "contact_phone": "abc"})
    assert set(exc.value.message_dict) == {"left_on", "destination", "reason", "contact_phone"}
    with pytest.raises(PermissionDenied):
        services.register_floating(people.secretary_b, members.a1, floating_data())
    assert not FloatingRecord.objects.exists() and Member.objects.get(pk=members.a1.pk).state == "normal"


def test_update_floating(tree, people, members):
    record = services.register_floating(people.secretary_a, members.a1, floating_data())
    services.update_floating(people.secretary_a, record, {"destination": "无锡市", "contact_phone": "13900001111"})
    record.refresh_from_db()
    assert record.destination == "无锡市" and record.contact_phone_masked == "139****1111"
    with pytest.raises(ValidationError) as exc:  # the same check as on registration
        services.update_floating(people.secretary_a, record, {"contact_phone": "abc"})
    assert exc.value.message_dict == {"contact_phone": ["请填写有效的电话号码"]}
    record.refresh_from_db()
    assert record.contact_phone_masked == "139****1111"
    with pytest.raises(PermissionDenied):
        services.update_floating(people.secretary_b, record, {"destination": "x"})


def lost_case(people, member, last_contact):
    return services.open_lost_contact(people.secretary_a, member, last_contact_on=last_contact)


def test_lost_contact_suspension_is_refused_before_six_months_and_without_a_failed_search(tree, people, members):
    today = TODAY()
    last = rules.add_months(today, -6) + datetime.timedelta(days=1)  # one day short of 6 months
    case = lost_case(people, members.a1, last)
    assert Member.objects.get(pk=members.a1.pk).state == "lost_contact"
    with pytest.raises(ValidationError) as exc:
        services.suspend_membership(people.secretary_a, case, decided_on=today, document="村党委〔2026〕1号")
    assert "失联满 6 个月" in exc.value.message_dict["__all__"][0]
    LostContactCase.objects.filter(pk=case.pk).update(last_contact_on=rules.add_months(today, -6))
    case.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.suspend_membership(people.secretary_a, case, decided_on=today, document="村党委〔2026〕1号")
    assert "请先登记寻找情况" in exc.value.message_dict["__all__"][0]
    services.log_search(people.secretary_a, case, tried_on=today, method="phone", searcher="支部书记", result="电话停机")
    with pytest.raises(ValidationError) as exc:
        services.suspend_membership(people.secretary_a, case, decided_on=today, document="")
    assert "document" in exc.value.message_dict
    services.suspend_membership(people.secretary_a, case, decided_on=today, document="村党委〔2026〕1号")
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED and Member.objects.get(pk=members.a1.pk).state == "suspended"


def test_self_left_only_two_years_after_suspension(tree, people, members):
    today = TODAY()
    case = lost_case(people, members.a1, rules.add_months(today, -40))
    services.log_search(people.secretary_a, case, tried_on=rules.add_months(today, -33), method="visit", searcher="组织委员", result="家中无人")
    suspended_on = rules.add_months(today, -24) + datetime.timedelta(days=1)
    services.suspend_membership(people.secretary_a, case, decided_on=suspended_on, document="停〔2024〕1号")
    with pytest.raises(ValidationError) as exc:
        services.remove_as_self_left(people.secretary_a, case, decided_on=today, document="脱〔2026〕1号")
    assert "停止党籍满 2 年" in exc.value.message_dict["__all__"][0]
    LostContactCase.objects.filter(pk=case.pk).update(suspended_on=rules.add_months(today, -24))
    case.refresh_from_db()
    services.remove_as_self_left(people.secretary_a, case, decided_on=today, document="脱〔2026〕1号")
    member = Member.objects.get(pk=members.a1.pk)
    assert (member.state, member.left_reason, member.left_on, member.left_document) == ("left", "self_left", today, "脱〔2026〕1号")
    assert AuditLog.objects.filter(content_type__model="lostcontactcase", object_id=str(case.pk)).count() == 3


def test_self_left_refused_without_suspension(tree, people, members):
    case = lost_case(people, members.a1, datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.remove_as_self_left(people.secretary_a, case, decided_on=TODAY(), document="x")


def test_contact_restored(tree, people, members):
    case = lost_case(people, members.a1, datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.log_search(people.secretary_a, case, tried_on=None, method="", searcher="", result="")
    assert set(exc.value.message_dict) == {"tried_on", "method", "searcher", "result"}
    with pytest.raises(PermissionDenied):
        services.restore_contact(people.secretary_b, case, restored_on=TODAY())
    services.restore_contact(people.secretary_a, case, restored_on=TODAY(), note="本人来电")
    case.refresh_from_db()
    assert case.state == CaseState.RESTORED and Member.objects.get(pk=members.a1.pk).state == "normal"
    with pytest.raises(ValidationError):
        services.log_search(people.secretary_a, case, tried_on=TODAY(), method="phone", searcher="x", result="y")


def test_branch_told_once_when_a_floating_member_reaches_six_months(tree, people, members):
    from grassroots.core.models import Notification

    today = TODAY()
    services.register_floating(people.secretary_a, members.a1, floating_data(left_on=rules.add_months(today, -6)))
    services.register_floating(people.secretary_a, members.a2, floating_data(left_on=rules.add_months(today, -6) + datetime.timedelta(days=1)))
    assert services.run_reminders(today)["floating_six_months"] == 1
    titles = list(Notification.objects.filter(recipient=people.secretary_a, kind="reminder").values_list("title", flat=True))
    assert titles == ["流动党员张三外出已满 6 个月，应转接组织关系"]
    assert services.run_reminders(today)["floating_six_months"] == 0


def test_the_activity_organization_sees_the_floating_member_but_cannot_change_the_record(tree, people, members):
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    tn = make_user("tn_branch", Role.SECRETARY, tree.b_branch)
    record = services.register_floating(people.secretary_a, members.a1, floating_data(activity_org=tree.b_branch, activity_org_name=""))
    assert FloatingRecord.objects.visible_to(tn).filter(pk=record.pk).exists()
    assert not FloatingRecord.objects.visible_to(people.secretary_b).filter(pk=record.pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_floating(tn, record, {"destination": "x"})
    with pytest.raises(PermissionDenied):
        services.record_return(tn, record, returned_on=TODAY())
