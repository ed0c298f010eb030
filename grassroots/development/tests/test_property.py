"""Property: no sequence of service calls produces a full member whose recorded steps break the order or the time
rules. Sequences follow the timetable loosely (dates jittered around every boundary, steps skipped, swapped, repeated,
votes that fail, actors without the right), and an independent audit (rules.history_violations) checks every
applicant the services let through."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from grassroots.development import rules, services
from grassroots.development.models import Stage
from grassroots.development.synthetic import SCHEDULE, step_data

from .conftest import TODAY, person

pytestmark = pytest.mark.django_db

CODES = [s.code for s in rules.RULES_2014.steps if s.code != "application"]
op = st.tuples(
    st.sampled_from(["normal"] * 40 + ["skip", "swap", "bad_vote", "wrong_actor", "extend", "extra"]),
    st.one_of(st.just(0), st.integers(-3, 3), st.integers(-130, 130)),  # days away from the timetable
    st.booleans(),  # give a reason for a late approval
    st.sampled_from(CODES),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=len(CODES), max_size=len(CODES) + 4), applied=st.integers(0, 120))
def test_no_call_sequence_makes_a_member_who_breaks_the_rules(dev, ops, applied):
    applicant = services.apply(dev.secretary, dev.applicant.org, person(name="属性测试", applied_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=applied)), today=TODAY)
    order = list(CODES)
    shift = 0  # how far the applicant runs behind the timetable (a late step moves the rest along)
    for i, (kind, jitter, reason, extra_code) in enumerate(ops):
        code = order[i] if i < len(order) else extra_code
        if kind == "skip":
            continue
        if kind == "swap" and i + 1 < len(order):
            order[i], order[i + 1] = order[i + 1], order[i]
            code = order[i]
        if kind == "extra":
            code = extra_code
        if kind == "extend":
            code = "extend"
        planned = applicant.applied_on + datetime.timedelta(days=SCHEDULE.get(code, 700) + shift)
        day = planned + datetime.timedelta(days=jitter)
        if day > TODAY:
            continue
        data = step_data(applicant, code, day)
        if kind == "bad_vote" and "votes_for" in data:
            data["votes_for"] = 1
        if kind == "extend":
            data = {"months": 6 + abs(jitter) % 8}
        if reason:
            data["extension_reason"] = "特殊情况"
        step = rules.step_for(rules.RULES_2014, code)
        actor = dev.town if (step.by == rules.HIGHER) != (kind == "wrong_actor") else dev.secretary
        try:
            services.record_step(actor, applicant, code, date=day, data=data, today=TODAY)
        except (ValidationError, PermissionDenied):
            # Refused: the branch tries again the proper way (on the timetable's day, valid inputs, right actor).
            day = planned
            right = dev.town if step.by == rules.HIGHER else dev.secretary
            try:
                services.record_step(right, applicant, code, date=day, data=step_data(applicant, code, day), today=TODAY)
            except (ValidationError, PermissionDenied):
                pass
        applicant.refresh_from_db()
        last = max(r.date for r in applicant.steps.all())
        if code in SCHEDULE and last > planned and applicant.steps.filter(code=code, date=last).exists():
            shift += (last - planned).days
    event(f"ended as {applicant.stage}")
    records = services.effective_records(applicant)
    trail = [(r.code, r.date, {**r.data, "passed": r.passed}) for r in records]
    assert rules.history_violations(rules.RULES_2014, applicant.birth_date, trail) == [], trail
    if applicant.stage == Stage.FULL:
        applicant.member.refresh_from_db()
        assert applicant.member.status == "full" and applicant.member.full_on == applicant.probation_ends_on
        assert applicant.member.full_on >= rules.probation_end(applicant.admitted_on)
    for r in records:  # the higher committee's steps were recorded by someone above the branch
        if r.code in rules.RULES_2014.by_code and rules.RULES_2014.step(r.code).by == rules.HIGHER:
            assert r.actor == dev.town


def test_the_audit_catches_a_broken_history():
    d = datetime.date
    trail = [("application", d(2024, 1, 1), {}), ("talk", d(2024, 1, 5), {}), ("activist", d(2024, 2, 1), {}),
             ("activist_filing", d(2024, 2, 2), {}), ("contacts", d(2024, 2, 3), {}), ("review", d(2024, 8, 1), {}),
             ("candidate", d(2025, 1, 31), {})]
    assert "activist less than a year" in rules.history_violations(rules.RULES_2014, d(1990, 1, 1), trail)
    assert "talk before application" not in rules.history_violations(rules.RULES_2014, d(1990, 1, 1), trail[:2])
    assert "activist before talk" in rules.history_violations(rules.RULES_2014, d(1990, 1, 1), [trail[0], trail[2]])
