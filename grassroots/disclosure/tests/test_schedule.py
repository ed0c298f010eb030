"""Routine disclosure schedules: owed periods, done/due/overdue, reminders to the village and the township."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from grassroots.conftest import make_user
from grassroots.core.models import Notification
from grassroots.core.roles import Role
from grassroots.disclosure import reminders, schedule, services
from grassroots.disclosure.models import Schedule

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def village_schedule(people, tree):
    s = services.set_schedule(people.dept_a, tree.village, category="village", frequency="quarter", starts_on=D(2026, 1, 1))
    return s


def state_of(s, key, today):
    return next(r.state for r in schedule.statuses([s], today) if r.key == key)


@pytest.mark.parametrize(
    ("today", "state"),
    [(D(2026, 3, 31), "open"), (D(2026, 4, 1), "due"), (D(2026, 4, 10), "due"), (D(2026, 4, 11), "overdue")],
)
def test_period_states_at_the_boundaries(village_schedule, today, state):
    assert state_of(village_schedule, "2026-Q1", today) == state


def test_a_published_period_is_done(village_schedule, people, tree):
    services.publish_disclosure(people.dept_a, tree.village, category="village", title="一季度村务公开", body="内容", period_key="2026-Q1")
    assert state_of(village_schedule, "2026-Q1", D(2026, 5, 1)) == "done"
    assert schedule.overdue_routine([tree.village.path], D(2026, 5, 1)) == []


def test_overdue_routine_lists_missing_periods_in_scope(village_schedule, tree):
    rows = schedule.overdue_routine([tree.district_a.path], D(2026, 7, 15))
    assert [(r["org"], r["category"], r["period_key"], r["due_on"]) for r in rows] == [
        (tree.village, "village", "2026-Q2", D(2026, 7, 10)), (tree.village, "village", "2026-Q1", D(2026, 4, 10)),
    ]
    assert schedule.overdue_routine([tree.district_b.path], D(2026, 7, 15)) == []
    assert schedule.overdue_routine([tree.village.path], D(2025, 12, 1)) == []  # before the schedule starts


def test_schedule_rules_and_permissions(people, tree):
    with pytest.raises(ValidationError) as exc:
        services.set_schedule(people.dept_a, tree.village, category="resolution", frequency="quarter")
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.set_schedule(people.dept_a, tree.village, category="village", frequency="weekly")
    with pytest.raises(PermissionDenied):
        services.set_schedule(people.secretary_a, tree.village, category="village", frequency="quarter")
    s = services.set_schedule(people.dept_a, tree.village, category="finance", frequency="quarter")
    services.set_schedule(people.dept_a, tree.village, category="finance", frequency="month", due_days=5)
    s.refresh_from_db()
    assert (s.frequency, s.due_days) == ("month", 5) and Schedule.objects.count() == 1
    made = services.ensure_default_schedules(people.dept_a, tree.village, ["finance", "party", "village"])
    assert {m.category for m in made} == {"party", "village"}


def test_reminders_to_the_village_before_and_the_township_after(village_schedule, tree, people):
    village_secretary = make_user("village_sj", Role.SECRETARY, tree.village)
    town_secretary = make_user("town_sj", Role.SECRETARY, tree.town)
    assert reminders.send(D(2026, 4, 3)) == 0  # more than 5 days before 04-10
    assert reminders.send(D(2026, 4, 6)) == 1
    n = Notification.objects.get(recipient=village_secretary)
    assert n.kind == "disclosure" and "2026年第一季度村务公开将于 2026-04-10 到期" in n.title and n.link == f"/disclosure/units/{tree.village.pk}/"
    assert reminders.send(D(2026, 4, 7)) == 0  # once per person and period
    assert reminders.send(D(2026, 4, 11)) == 2  # overdue: the village and the township
    assert Notification.objects.filter(recipient=town_secretary, title__contains="已逾期").exists()
    assert not Notification.objects.filter(recipient=people.secretary_a).exists()
    call_command("disclosure_reminders")  # runs with today's date without error



def test_reminders_look_up_what_was_sent_once_not_per_period(tree, people, django_assert_max_num_queries):
    make_user("village_sj", Role.SECRETARY, tree.village)
    for category in ("village", "party", "finance"):
        services.set_schedule(people.dept_a, tree.village, category=category, frequency="month", starts_on=D(2024, 1, 1))
    first = reminders.send(D(2026, 1, 15))
    assert first >= 40  # two years of monthly periods, three categories, all overdue
    with django_assert_max_num_queries(10):
        assert reminders.send(D(2026, 1, 15)) == 0

def test_a_late_matter_disclosure_is_flagged_to_the_village_and_the_township(people, tree):
    village_secretary = make_user("village_sj", Role.SECRETARY, tree.village)
    town_secretary = make_user("town_sj", Role.SECRETARY, tree.town)
    on_time = services.publish_disclosure(people.dept_a, tree.village, category="resolution", title="按时", body="x",
                                          deadline=datetime.date.today() + datetime.timedelta(days=3))
    assert not on_time.is_late and not Notification.objects.exists()
    late = services.publish_disclosure(people.dept_a, tree.village, category="resolution", title="关于修路的决议", body="x",
                                       deadline=datetime.date(2026, 1, 1))
    assert late.is_late
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert set(titles) == {village_secretary.pk, town_secretary.pk}
    assert "逾期公开：《关于修路的决议》应于 2026-01-01 前公开" in titles[village_secretary.pk]
