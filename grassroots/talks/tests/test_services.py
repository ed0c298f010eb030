import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.models import AuditLog
from grassroots.members import services as member_services
from grassroots.talks import services
from grassroots.talks.models import Talk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def data(**extra):
    return {"held_on": TODAY, "kind": "heart", "talker_name": "王书记", "topic": "思想动态", "summary": "谈了工作和家庭", **extra}


def test_secretary_records_a_talk_with_audit(people, members):
    talk = services.record_talk(people.secretary_a, members.a1, data(reasons=["no_orglife", "no_orglife"]))
    assert talk.org == members.a1.org and talk.org_path == members.a1.org_path and talk.recorded_by == people.secretary_a
    assert talk.reasons == ["no_orglife"]
    log = AuditLog.objects.for_object(talk).get(action="create")
    assert log.actor == people.secretary_a and log.after["topic"] == "思想动态"


def test_follow_up_gets_the_default_deadline(people, members):
    talk = services.record_talk(people.secretary_a, members.a1, data(follow_up="下月复谈"))
    assert talk.follow_up_due == TODAY + datetime.timedelta(days=30)


def test_sibling_secretary_and_member_may_not_record(people, members):
    for user in (people.secretary_b, people.member_a, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.record_talk(user, members.a1, data())
    assert not Talk.objects.exists()


def test_bad_input_saves_nothing(people, members):
    with pytest.raises(ValidationError) as exc:
        services.record_talk(people.secretary_a, members.a1, data(held_on=TODAY + datetime.timedelta(days=1), summary=""))
    assert set(exc.value.message_dict) == {"held_on", "summary"}
    assert not Talk.objects.exists() and not AuditLog.objects.filter(action="create", object_repr__contains="思想").exists()


def test_member_who_left_cannot_get_a_new_talk(people, members):
    member_services.update_member(people.secretary_a, members.a1, {
        "state": "left", "left_reason": "deceased", "left_on": datetime.date(2026, 3, 1),
    })
    with pytest.raises(ValidationError, match="已出党"):
        services.record_talk(people.secretary_a, members.a1, data())


def test_amend_needs_a_reason_and_keeps_before_and_after(people, members):
    talk = services.record_talk(people.secretary_a, members.a1, data())
    with pytest.raises(ValidationError) as exc:
        services.amend_talk(people.secretary_a, talk, {"topic": "改"}, reason="")
    assert "reason" in exc.value.message_dict
    talk.refresh_from_db()
    assert talk.topic == "思想动态"
    services.amend_talk(people.secretary_a, talk, {"topic": "学习情况"}, reason="主题记错")
    talk.refresh_from_db()
    assert talk.topic == "学习情况"
    log = AuditLog.objects.for_object(talk).get(action="correct")
    assert log.note == "主题记错" and log.before["topic"] == "思想动态" and log.after["topic"] == "学习情况"
    with pytest.raises(PermissionDenied):
        services.amend_talk(people.secretary_b, talk, {"topic": "越权"}, reason="越权")


def test_follow_up_done_once(people, members):
    talk = services.record_talk(people.secretary_a, members.a1, data(follow_up="复谈"))
    services.complete_follow_up(people.secretary_a, talk, TODAY, "已复谈，情况好转")
    talk.refresh_from_db()
    assert talk.follow_up_done_on == TODAY and not talk.follow_up_open
    with pytest.raises(ValidationError, match="已于"):
        services.complete_follow_up(people.secretary_a, talk, TODAY, "再次登记")
