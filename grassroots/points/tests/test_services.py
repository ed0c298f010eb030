import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.models import AuditLog
from grassroots.dues.tests.factories import declared, months_ago, record
from grassroots.orglife.tests.factories import at, held
from grassroots.points import services
from grassroots.points.models import PointEntry, PointRule, StarRating

pytestmark = pytest.mark.django_db


def _year_with_two_months_done():
    """A year and months of it that have ended (works in January too: last year)."""
    last = months_ago(1)
    return last.year, last


def test_recompute_is_idempotent_and_follows_the_records(tree, people, members):
    year, last = _year_with_two_months_done()
    m1 = held(tree.branch_a, "theme_day", at(year, last.month, 5), state="confirmed", present=[members.a1], absent=[members.a2])
    held(tree.branch_a, "committee", at(year, last.month, 6), state="recorded", present=[members.a1])  # not confirmed: no points
    declared(members.a1, tree.branch_a)
    on_time = record(members.a1, tree.branch_a, last, paid="30", paid_on=last)
    assert services.recompute_points(tree.branch_a, year) == (3, 0, 0)
    entries = {(e.member_id, e.category): e for e in PointEntry.objects.all()}
    assert entries[(members.a1.pk, "meeting")].points == 2 and entries[(members.a1.pk, "meeting")].source_id == m1.attendances.get(member=members.a1).pk
    assert entries[(members.a2.pk, "absence")].points == -2
    assert entries[(members.a1.pk, "dues")].points == 1 and entries[(members.a1.pk, "dues")].source_id == on_time.pk
    assert services.recompute_points(tree.branch_a, year) == (0, 0, 0)  # rerun: nothing twice
    assert PointEntry.objects.count() == 3
    # a payment undone turns the +1 into a -1; a rule change updates the values
    on_time.paid_on = None
    on_time.amount_paid = 0
    on_time.save()
    PointRule.objects.create(org=tree.village, org_path=tree.village.path, meeting_present=3, dues_on_time=1, absent=-2, dues_unpaid=-1,
                             star1=1, star2=2, star3=3, star4=4, star5=5)
    assert services.recompute_points(tree.branch_a, year) == (0, 2, 0)
    assert PointEntry.objects.get(member=members.a1, category="dues_unpaid").points == -1
    assert PointEntry.objects.get(member=members.a1, category="meeting").points == 3
    m1.attendances.filter(member=members.a2).delete()
    assert services.recompute_points(tree.branch_a, year)[2] == 1


def test_recompute_one_member_and_permission(tree, people, members):
    year, last = _year_with_two_months_done()
    held(tree.branch_a, "theme_day", at(year, last.month, 5), state="confirmed", present=[members.a1, members.a2])
    assert services.recompute_points(members.a1, year) == (1, 0, 0)
    with pytest.raises(PermissionDenied):
        services.recompute_points(tree.branch_a, year, actor=people.secretary_b)
    services.recompute_points(tree.branch_a, year, actor=people.secretary_a)
    assert AuditLog.objects.filter(note__startswith=f"重新计算{year}年积分").exists()


def test_rules_are_inherited_down_the_tree(tree, people):
    assert services.rule_for(tree.branch_a).meeting_present == 2 and services.rule_for(tree.branch_a).org is None
    services.set_rule(people.dept_a, tree.town, {"meeting_present": 4, "dues_on_time": 1, "absent": -3, "dues_unpaid": -1,
                                                 "star1": 10, "star2": 20, "star3": 30, "star4": 40, "star5": 50})
    assert services.rule_for(tree.branch_a).meeting_present == 4
    services.set_rule(people.secretary_a, tree.branch_a, {"meeting_present": 5, "dues_on_time": 1, "absent": -3, "dues_unpaid": -1,
                                                          "star1": 10, "star2": 20, "star3": 30, "star4": 40, "star5": 50})
    assert services.rule_for(tree.branch_a).meeting_present == 5 and services.rule_for(tree.branch_b).meeting_present == 4
    with pytest.raises(ValidationError) as exc:
        services.set_rule(people.secretary_a, tree.branch_a, {"meeting_present": "x", "dues_on_time": -1, "absent": 2, "dues_unpaid": -1,
                                                              "star1": 10, "star2": 20, "star3": 30, "star4": 40, "star5": 50})
    assert {"meeting_present", "dues_on_time", "absent"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.set_rule(people.secretary_a, tree.branch_a, {"meeting_present": 1, "dues_on_time": 1, "absent": -1, "dues_unpaid": -1,
                                                              "star1": 10, "star2": 20, "star3": 20, "star4": 40, "star5": 50})
    assert "star5" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.set_rule(people.secretary_b, tree.branch_a, {})


def test_manual_entries_need_approval(tree, people, members):
    entry = services.propose_entry(people.member_a, members.a1, {"category": "service", "points": "3", "description": "社区志愿服务"})
    assert entry.state == "pending" and entry.proposed_by == people.member_a
    with pytest.raises(ValidationError):  # a member cannot deduct or enter for others' categories
        services.propose_entry(people.member_a, members.a1, {"category": "deduction", "points": "-3", "description": "x"})
    with pytest.raises(PermissionDenied):
        services.propose_entry(people.member_a, members.a2, {"category": "service", "points": "3", "description": "x"})
    with pytest.raises(PermissionDenied):
        services.decide_entry(people.member_a, entry, approve=True)
    with pytest.raises(ValidationError):
        services.decide_entry(people.secretary_a, entry, approve=False)  # a refusal needs a reason
    services.decide_entry(people.secretary_a, entry, approve=True)
    assert services.totals([members.a1.pk], entry.year) == {members.a1.pk: 3}
    assert AuditLog.objects.filter(action="approve", object_id=str(entry.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        services.propose_entry(people.secretary_a, members.a1, {"category": "deduction", "points": "5", "description": "",
                                                                "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()})
    assert {"points", "description", "date"} <= set(exc.value.message_dict)


def test_rating_uses_the_thresholds_and_can_be_rerun_until_confirmed(tree, people, members):
    year = timezone.localdate().year
    for points in (10, 12):
        PointEntry.objects.create(member=members.a1, org_path=members.a1.org_path, date=datetime.date(year, 1, 2), year=year,
                                  category="service", points=points, source="manual", description="x")
    ratings = services.rate_branch(people.secretary_a, tree.branch_a, year)
    by = {r.member_id: r for r in ratings}
    assert by[members.a1.pk].total == 22 and by[members.a1.pk].stars == 1 and by[members.a1.pk].thresholds == [20, 30, 40, 50, 60]
    assert by[members.a2.pk].stars == 0
    PointEntry.objects.create(member=members.a1, org_path=members.a1.org_path, date=datetime.date(year, 1, 3), year=year,
                              category="service", points=8, source="manual", description="x")
    services.rate_branch(people.secretary_a, tree.branch_a, year)
    assert StarRating.objects.get(member=members.a1, year=year).stars == 2
    services.confirm_rating(people.secretary_a, tree.branch_a, year)
    with pytest.raises(ValidationError):
        services.rate_branch(people.secretary_a, tree.branch_a, year)
    with pytest.raises(PermissionDenied):
        services.rate_branch(people.secretary_b, tree.branch_a, year)
    with pytest.raises(ValidationError):
        services.rate_branch(people.dept_a, tree.village, year)


def test_the_proposer_hears_the_decision(tree, people, members):
    from grassroots.core.models import Notification

    entry = services.propose_entry(people.member_a, members.a1, {"category": "service", "points": "2", "description": "义务劳动"})
    services.decide_entry(people.secretary_a, entry, approve=False, note="未提供证明")
    note = Notification.objects.get(recipient=people.member_a)
    assert "未认定" in note.title and note.body == "未提供证明"


def test_recompute_in_chunks_gives_the_same_result(tree, members, monkeypatch):
    year, last = _year_with_two_months_done()
    held(tree.branch_a, "theme_day", at(year, last.month, 5), state="confirmed", present=[members.a1, members.a2])
    held(tree.branch_b, "theme_day", at(year, last.month, 5), state="confirmed", present=[members.b1])
    monkeypatch.setattr(services, "CHUNK", 1)
    assert services.recompute_points(tree.village, year) == (3, 0, 0)
    assert services.recompute_points(tree.village, year) == (0, 0, 0)


def test_recompute_command(tree, members):
    import io

    from django.core.management import call_command

    year, last = _year_with_two_months_done()
    held(tree.branch_a, "theme_day", at(year, last.month, 5), state="confirmed", present=[members.a1])
    out = io.StringIO()
    call_command("recompute_points", year=year, stdout=out)
    call_command("recompute_points", year=year, org="C0401", stdout=out)
    assert "新增 1 条" in out.getvalue() and PointEntry.objects.count() == 1
