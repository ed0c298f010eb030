import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from grassroots.conftest import make_member, make_user
from grassroots.core.models import Notification
from grassroots.core.roles import Role
from grassroots.points.models import PointEntry
from grassroots.volunteering import rules, services
from grassroots.volunteering.models import Evaluation, Registration, ServiceLog, Slot

from .factories import community_setup, confirmed, post_with_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(tree, people, members):
    return community_setup(tree, people, members)


def test_register_confirm_sends_receipt_to_unit(s, tree, people, members):
    reg = services.register(people.member_a, members.a1, s.community, {"basis": "live", "pledge": "每月服务一次"})
    assert reg.state == "pending" and reg.unit == tree.branch_a
    assert Notification.objects.filter(recipient=s.desk, title__contains="请确认").exists()
    services.decide_registration(s.desk, reg, accept=True, today=datetime.date(2026, 12, 3))
    reg.refresh_from_db()
    assert reg.state == "confirmed" and reg.expires_on == datetime.date(2027, 12, 3)
    receipt = Notification.objects.get(recipient=people.secretary_a, title__startswith="报到回执")
    assert "张三" in receipt.title and receipt.link == "/volunteering/unit/"


def test_one_community_at_a_time(s, tree, people, members):
    confirmed(s, people, members.a1)
    with pytest.raises(ValidationError, match="一次只能在一个社区报到"):
        services.register(people.member_a, members.a1, tree.b_branch, {"basis": "chosen"})


def test_reregistration_when_due_ends_the_old_one(s, people, members):
    reg = confirmed(s, people, members.a1)
    Registration.objects.filter(pk=reg.pk).update(expires_on=timezone.localdate() + datetime.timedelta(days=rules.REMIND_DAYS_BEFORE))
    new = services.register(people.member_a, members.a1, s.community, {"basis": "work"})
    reg.refresh_from_db()
    assert reg.state == "ended" and new.state == "pending"


def test_only_self_or_unit_may_register(s, people, members):
    with pytest.raises(PermissionDenied):
        services.register(people.secretary_b, members.a1, s.community, {"basis": "live"})


def test_retired_member_is_refused(s, tree, people):
    retired = make_member(tree.branch_a, "退休者", in_service=False)
    with pytest.raises(ValidationError, match="在职党员"):
        services.register(people.secretary_a, retired, s.community, {"basis": "live"})


def test_community_cap(s, tree, people, members):
    services.set_cap(s.desk, s.community, 1)
    confirmed(s, people, members.a1)
    other = make_member(tree.branch_a, "钱七")
    with pytest.raises(ValidationError, match="上限"):
        services.register(people.secretary_a, other, s.community, {"basis": "live"})


def test_desk_of_another_community_cannot_confirm(s, tree, people, members):
    reg = services.register(people.member_a, members.a1, s.community, {"basis": "live"})
    other_desk = make_user("other_desk", Role.COMMUNITY_DESK, tree.b_branch)
    with pytest.raises(PermissionDenied):
        services.decide_registration(other_desk, reg, accept=True)


def test_claim_capacity_clash_and_cancel(s, tree, people, members):
    confirmed(s, people, members.a1)
    _post, slot = post_with_slot(s, capacity=1)
    claim = services.claim_slot(people.member_a, members.a1, slot)
    # a second member finds the slot full
    m2 = make_member(tree.branch_a, "孙八", user=make_user("sunba", Role.MEMBER, tree.branch_a))
    confirmed(s, people, m2, user=m2.user)
    with pytest.raises(ValidationError, match="已满员"):
        services.claim_slot(m2.user, m2, slot)
    # a clashing slot of another post is refused
    _p2, clashing = post_with_slot(s, capacity=5, start_in_hours=73)
    with pytest.raises(ValidationError, match="时间冲突"):
        services.claim_slot(people.member_a, members.a1, clashing)
    # back to back is not a clash
    _p3, after = post_with_slot(s, capacity=5, start_in_hours=74)
    services.claim_slot(people.member_a, members.a1, after)
    # cancellation: allowed until CANCEL_HOURS_BEFORE, refused after
    services.cancel_claim(people.member_a, claim)
    assert Slot.objects.get(pk=slot.pk).taken == 0
    services.claim_slot(m2.user, m2, slot)


def test_cancel_refused_close_to_start(s, people, members):
    confirmed(s, people, members.a1)
    _post, slot = post_with_slot(s, start_in_hours=rules.CANCEL_HOURS_BEFORE - 1)
    claim = services.claim_slot(people.member_a, members.a1, slot)
    with pytest.raises(ValidationError, match="小时内不能自行取消"):
        services.cancel_claim(people.member_a, claim)
    services.cancel_claim(s.desk, claim)  # the community may still release it


def test_cancel_rule_boundary():
    start = timezone.now()
    with override_settings(GRASSROOTS_VOLUNTEERING_CANCEL_HOURS_BEFORE=24):
        assert rules.can_cancel(start, start - datetime.timedelta(hours=24))
        assert not rules.can_cancel(start, start - datetime.timedelta(hours=24) + datetime.timedelta(seconds=1))


def test_claim_needs_confirmed_registration(s, people, members):
    services.register(people.member_a, members.a1, s.community, {"basis": "live"})
    _post, slot = post_with_slot(s)
    with pytest.raises(ValidationError, match="确认"):
        services.claim_slot(people.member_a, members.a1, slot)


def test_hours_self_report_approve_and_points(s, people, members):
    """Confirmed service earns 志愿服务 points through the points app (source 社区服务记录) at once; pending or rejected
    hours earn none, and the nightly recompute neither doubles nor drops them."""
    from grassroots.points import services as points_services

    confirmed(s, people, members.a1)
    log = services.record_hours(people.member_a, members.a1, s.community, {"served_on": "2026-11-20", "hours": "2.5", "content": "文明劝导"})
    assert log.state == "pending" and log.self_reported
    service_points = PointEntry.objects.filter(member=members.a1, source="service_log")
    assert not service_points.exists()
    services.decide_hours(s.desk, log, approve=True)
    entry = service_points.get()
    assert (entry.state, entry.category, entry.points, entry.source_id, entry.year) == (PointEntry.State.APPROVED, "service", 3, log.pk, 2026)
    assert "清和社区" in entry.description and "2.5 小时" in entry.description
    points_services.recompute_points(members.a1, 2026)
    points_services.recompute_points(members.a1.org, 2026)
    assert service_points.count() == 1
    rejected = services.record_hours(people.member_a, members.a1, s.community, {"served_on": "2026-11-21", "hours": "1", "content": "巡逻"})
    services.decide_hours(s.desk, rejected, approve=False, note="当天未到岗")
    by_desk = services.record_hours(s.desk, members.a1, s.community, {"served_on": "2026-11-22", "hours": "1", "content": "巡逻"})
    assert by_desk.state == "confirmed"
    assert sorted(service_points.values_list("source_id", "points")) == [(log.pk, 3), (by_desk.pk, 1)]
    assert points_services.totals([members.a1.pk], 2026)[members.a1.pk] >= 4



@pytest.mark.parametrize("hours,ok", [("0", False), ("0.5", True), ("12", True), ("12.5", False), ("1.3", False)])
def test_hours_limits(s, people, members, hours, ok):
    confirmed(s, people, members.a1)
    data = {"served_on": "2026-11-20", "hours": hours, "content": "巡逻"}
    if ok:
        assert services.record_hours(s.desk, members.a1, s.community, data).state == "confirmed"
    else:
        with pytest.raises(ValidationError):
            services.record_hours(s.desk, members.a1, s.community, data)


def test_points_for_is_capped():
    assert rules.points_for(Decimal("2.5")) == 3
    assert rules.points_for(Decimal("40"), 20) == 20


def test_evaluation_reaches_the_unit_with_hours(s, people, members):
    confirmed(s, people, members.a1)
    services.record_hours(s.desk, members.a1, s.community, {"served_on": "2026-11-20", "hours": "4", "content": "巡逻"})
    services.record_hours(s.desk, members.a1, s.community, {"served_on": "2026-05-20", "hours": "2", "content": "巡逻"})
    ev = services.evaluate(s.desk, s.community, members.a1.org, {"year": 2026, "quarter": 4, "grade": "excellent", "comment": "积极"},
                           member=members.a1)
    assert ev.hours == Decimal("4")
    assert Notification.objects.filter(recipient=people.secretary_a, title__contains="优秀").exists()
    assert Evaluation.objects.visible_to(people.secretary_a).filter(pk=ev.pk).exists()
    assert not Evaluation.objects.visible_to(people.secretary_b).filter(pk=ev.pk).exists()
    record = services.member_evaluations(members.a1, 2026)
    assert record["hours"] == Decimal("6") and record["evaluations"] == [ev]
    with pytest.raises(ValidationError, match="已提交"):
        services.evaluate(s.desk, s.community, members.a1.org, {"year": 2026, "quarter": 4, "grade": "good"}, member=members.a1)
    unit_ev = services.evaluate(s.desk, s.community, members.a1.org, {"year": 2026, "quarter": 0, "grade": "good"})
    assert unit_ev.member is None and unit_ev.hours == Decimal("6")


def test_the_branch_sees_service_and_evaluations_when_it_appraises_its_members(s, people, members, client, django_assert_max_num_queries):
    from django.urls import reverse

    from grassroots.orglife.appraisal import open_appraisal
    from grassroots.volunteering import member_notes

    confirmed(s, people, members.a1)
    services.record_hours(s.desk, members.a1, s.community, {"served_on": "2026-11-20", "hours": "4", "content": "巡逻"})
    services.record_hours(s.desk, members.a1, s.community, {"served_on": "2026-05-20", "hours": "2.5", "content": "巡逻"})
    services.evaluate(s.desk, s.community, members.a1.org, {"year": 2026, "quarter": 4, "grade": "excellent"}, member=members.a1)
    appraisal = open_appraisal(people.secretary_a, members.a1.org, 2026)
    client.force_login(people.secretary_a)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("orglife:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "其他表现" in page and "社区报到服务 6.5 小时" in page and "第4季度评价优秀" in page
    assert member_notes.notes([members.a1.pk], 2025) == {}  # another year: nothing


def test_needs_offers_match(s, tree, people, members):
    need = services.publish_need(s.desk, s.community, {"category": s.category.pk, "title": "老人助餐"})
    offer = services.publish_offer(people.secretary_a, tree.branch_a, s.community, {"category": s.category.pk, "title": "食堂送餐"})
    services.match_offer(s.desk, offer, need)
    offer.refresh_from_db()
    assert offer.need == need
    with pytest.raises(PermissionDenied):
        services.publish_offer(people.secretary_b, tree.branch_a, s.community, {"category": s.category.pk, "title": "越权"})


def test_batch_register_all_or_none(s, tree, people, members):
    rows = [(2, "张三", "C0901", "居住地", ""), (3, "无此人", "C0901", "居住地", "")]
    with pytest.raises(ValidationError) as exc:
        services.batch_register(people.secretary_a, tree.branch_a, rows)
    assert "第 3 行" in str(exc.value)
    assert not Registration.objects.exists()
    done = services.batch_register(people.secretary_a, tree.branch_a, rows[:1])
    assert done[0].by_unit and done[0].basis == "live"


def test_remind_and_lapse(s, people, members):
    reg = confirmed(s, people, members.a1)
    today = timezone.localdate()
    Registration.objects.filter(pk=reg.pk).update(expires_on=today + datetime.timedelta(days=10))
    assert services.remind_and_lapse(today) == (1, 0)
    assert services.remind_and_lapse(today) == (0, 0)  # once
    assert services.remind_and_lapse(today + datetime.timedelta(days=11)) == (0, 1)
    reg.refresh_from_db()
    assert reg.state == "ended"
    assert ServiceLog.objects.count() == 0


def test_database_keeps_one_evaluation_per_member_and_one_per_unit(s, tree, people, members):
    """The two conditional unique constraints (portable to SQLite, unlike nulls_distinct) hold in the database itself."""
    from django.db import IntegrityError, transaction

    confirmed(s, people, members.a1)
    row = {"community": s.community, "community_path": s.community.path, "unit": tree.branch_a, "org_path": tree.branch_a.path,
           "year": 2026, "quarter": 2, "grade": "good"}
    Evaluation.objects.create(**row, member=members.a1)
    Evaluation.objects.create(**row)  # the unit's own evaluation of the same period is another row
    Evaluation.objects.create(**{**row, "quarter": 3})
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(**row, member=members.a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(**row)
