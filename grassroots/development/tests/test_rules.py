"""Every time and vote rule of member development (RULES.md, "Member development"), at its boundaries."""

import datetime

import pytest
from django.test import override_settings

from grassroots.development import rules
from grassroots.development.rules import RULES_2014, RULES_2026

D = datetime.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 3, 15), 3, D(2026, 6, 15)),
    (D(2026, 12, 1), 1, D(2027, 1, 1)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(("day", "n", "expected"), [
    (D(2026, 11, 20), 5, D(2026, 11, 27)),  # Friday + 5 working days = next Friday
    (D(2026, 11, 21), 5, D(2026, 11, 27)),  # Saturday: Monday is the first
    (D(2026, 11, 23), 1, D(2026, 11, 24)),
])
def test_add_working_days(day, n, expected):
    assert rules.add_working_days(day, n) == expected


def test_working_days_follow_the_holiday_notice(settings):
    """A 5-working-day notice across National Day: the holidays do not count, a make-up Saturday does."""
    settings.GRASSROOTS_PUBLIC_HOLIDAYS = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
    settings.GRASSROOTS_MAKEUP_WORKDAYS = ["2026-10-10"]
    # Wed 30 Sep + 5: Thu 1 .. Wed 7 are off (and the weekend), Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
    assert rules.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    settings.GRASSROOTS_PUBLIC_HOLIDAYS = settings.GRASSROOTS_MAKEUP_WORKDAYS = []
    assert rules.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 7)


@pytest.mark.parametrize(("birth", "applied", "ok"), [
    (D(2008, 5, 10), D(2026, 5, 10), True),  # the 18th birthday
    (D(2008, 5, 10), D(2026, 5, 9), False),  # the day before
    (D(2008, 2, 29), D(2026, 2, 28), False),  # born on 29 February: not yet 18 on 28 February
    (D(2008, 2, 29), D(2026, 3, 1), True),
    (D(2004, 2, 29), D(2022, 3, 1), True),
])
def test_age_at_application(birth, applied, ok):
    errors = rules.application_errors(birth, applied, D(2026, 11, 1) if applied < D(2026, 11, 1) else applied)
    assert ("birth_date" not in errors) is ok


def test_application_in_the_future_is_refused():
    assert "applied_on" in rules.application_errors(D(1990, 1, 1), D(2026, 11, 2), D(2026, 11, 1))


def history(**codes):
    return {code: [day] if isinstance(day, D) else day for code, day in codes.items()}


ACTIVIST_DONE = dict(application=D(2024, 1, 10), talk=D(2024, 1, 20), activist=D(2024, 3, 1), activist_filing=D(2024, 3, 5),
                     contacts=D(2024, 3, 6), review=D(2024, 9, 1))


def check(code, day, stage="applicant", data=None, rule_set=RULES_2014, today=None, **hist):
    return rules.check_step(rule_set, stage, history(**hist), code, day, data or {}, today or D(2026, 11, 20))


@pytest.mark.parametrize(("talk_on", "warned"), [
    (D(2026, 2, 28), False),  # 31 Jan + 1 month = 28 Feb (non-leap): in time
    (D(2026, 3, 1), True),
])
def test_talk_within_one_month_warns_when_late(talk_on, warned):
    errors, warnings = check("talk", talk_on, application=D(2026, 1, 31))
    assert errors == {}
    assert bool(warnings) is warned


@pytest.mark.parametrize(("activist_on", "candidate_on", "ok"), [
    (D(2024, 3, 1), D(2025, 3, 1), True),  # exactly one year counts
    (D(2024, 3, 1), D(2025, 2, 28), False),
    (D(2024, 2, 29), D(2025, 2, 28), True),  # 29 Feb + 1 year = 28 Feb
    (D(2024, 2, 29), D(2025, 2, 27), False),
])
def test_one_year_as_activist(activist_on, candidate_on, ok):
    h = {**ACTIVIST_DONE, "activist": activist_on, "activist_filing": activist_on, "contacts": activist_on, "review": activist_on}
    errors, _ = check("candidate", candidate_on, stage="activist", **h)
    assert (errors == {}) is ok, errors


@pytest.mark.parametrize(("n", "ok"), [(0, False), (1, True), (2, True), (3, False)])
def test_one_or_two_cultivation_contacts(n, ok):
    errors, _ = check("contacts", D(2024, 3, 6), stage="activist", data={"contacts": [{"id": i} for i in range(n)]},
                      **{k: v for k, v in ACTIVIST_DONE.items() if k in ("application", "talk", "activist")})
    assert ("contacts" not in errors) is ok


@pytest.mark.parametrize(("sponsors", "ok"), [([1], False), ([1, 2], True), ([1, 1], False), ([1, 2, 3], False)])
def test_two_sponsors(sponsors, ok):
    errors, _ = check("sponsors", D(2025, 4, 1), stage="candidate", data={"sponsors": sponsors}, application=D(2024, 1, 10), candidate=D(2025, 3, 20))
    assert ("sponsors" not in errors) is ok


@pytest.mark.parametrize(("days", "hours", "ok"), [(3, 0, True), (2, 23, False), (0, 24, True), (2, 24, True), (0, 0, False)])
def test_training_three_days_or_24_hours(days, hours, ok):
    errors, _ = check("training", D(2025, 4, 1), stage="candidate", data={"training_days": days, "training_hours": hours},
                      application=D(2024, 1, 10), candidate=D(2025, 3, 20))
    assert ("training_hours" not in errors) is ok


APPROVAL_READY = dict(application=D(2024, 1, 10), admission_vote=D(2025, 11, 30), committee_talk=D(2025, 12, 5))


@pytest.mark.parametrize(("approved_on", "reason", "outcome"), [
    (D(2026, 2, 28), "", "ok"),  # 30 Nov + 3 months = 28 Feb: exactly three months
    (D(2026, 3, 1), "", "needs_reason"),
    (D(2026, 3, 1), "上级党委换届", "warn"),
    (D(2026, 5, 30), "上级党委换届", "warn"),  # exactly six months
    (D(2026, 5, 31), "上级党委换届", "refused"),
])
def test_approval_within_three_months_extendable_to_six(approved_on, reason, outcome):
    errors, warnings = check("approval", approved_on, stage="candidate", data={"extension_reason": reason}, **APPROVAL_READY)
    assert {"ok": (errors == {} and not warnings), "warn": (errors == {} and bool(warnings)),
            "needs_reason": "extension_reason" in errors, "refused": "date" in errors}[outcome], (errors, warnings)


@pytest.mark.parametrize(("admitted", "extension", "end"), [
    (D(2025, 7, 1), 0, D(2026, 7, 1)),
    (D(2024, 2, 29), 0, D(2025, 2, 28)),
    (D(2025, 7, 1), 6, D(2027, 1, 1)),
    (D(2025, 8, 31), 6, D(2027, 2, 28)),
    (D(2025, 7, 1), 12, D(2027, 7, 1)),
])
def test_probation_is_one_year_from_the_assembly(admitted, extension, end):
    assert rules.probation_end(admitted, extension) == end


@pytest.mark.parametrize(("vote_on", "ok"), [(D(2026, 7, 1), True), (D(2026, 6, 30), False)])
def test_full_membership_vote_not_before_the_end_of_probation(vote_on, ok):
    errors, _ = check("full_vote", vote_on, stage="probationary", application=D(2024, 1, 10), full_application=D(2026, 6, 1),
                      probation_end=D(2026, 7, 1))
    assert (errors == {}) is ok, errors


@pytest.mark.parametrize(("months", "already", "ok"), [(5, False, False), (6, False, True), (12, False, True), (13, False, False), (6, True, False)])
def test_extension_once_six_to_twelve_months(months, already, ok):
    h = dict(application=D(2024, 1, 10), approval=D(2025, 8, 1))
    if already:
        h["extend"] = D(2026, 7, 1)
    errors, _ = check("extend", D(2026, 7, 2), stage="probationary", data={"months": months}, **h)
    assert ("months" not in errors) is ok


@pytest.mark.parametrize(("full_vote", "approved", "reason", "ok"), [
    (D(2026, 7, 1), D(2026, 10, 1), "", True),  # exactly three months
    (D(2026, 7, 1), D(2026, 10, 2), "", False),
    (D(2026, 7, 1), D(2027, 1, 1), "推迟", True),
    (D(2026, 7, 1), D(2027, 1, 2), "推迟", False),
])
def test_full_approval_within_three_months(full_vote, approved, reason, ok):
    errors, _ = check("full_approval", approved, stage="probationary", data={"extension_reason": reason}, today=D(2027, 6, 1),
                      application=D(2024, 1, 10), full_vote=full_vote)
    assert (errors == {}) is ok, errors


def test_out_of_order_and_repeated_steps_are_refused():
    errors, _ = check("activist", D(2024, 2, 1), application=D(2024, 1, 10))
    assert "请先办理：党组织派人谈话" in errors["__all__"]
    errors, _ = check("talk", D(2024, 2, 1), application=D(2024, 1, 10), talk=D(2024, 1, 20))
    assert "不能重复登记" in errors["__all__"]
    errors, _ = check("talk", D(2024, 1, 9), application=D(2024, 1, 10))
    assert "date" in errors
    errors, _ = check("candidate_filing", D(2025, 4, 1), stage="activist", application=D(2024, 1, 10), candidate=D(2025, 3, 1))
    assert "当前阶段" in errors["__all__"]
    errors, _ = check("talk", D(2026, 11, 21), application=D(2026, 11, 1))
    assert errors["date"] == "日期不能晚于今天"


# ---- votes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("entitled", "present", "quorum"), [(10, 6, True), (10, 5, False), (9, 5, True), (9, 4, False), (1, 1, True), (0, 0, False)])
def test_quorum_more_than_half_of_those_entitled(entitled, present, quorum):
    assert rules.has_quorum(entitled, present) is quorum


@pytest.mark.parametrize(("entitled", "votes_for", "passed"), [(10, 6, True), (10, 5, False), (9, 5, True), (9, 4, False)])
def test_majority_of_all_entitled_full_members_not_of_those_present(entitled, votes_for, passed):
    assert rules.passes(entitled, votes_for) is passed


def test_six_of_seven_present_voting_four_for_fails_with_ten_entitled():
    assert rules.has_quorum(10, 7) and not rules.passes(10, 5)


@pytest.mark.parametrize(("entitled", "present", "f", "a", "ab", "field"), [
    (10, 11, 0, 0, 0, "present"),
    (10, 6, 4, 2, 1, "votes_for"),
    (10, 6, 4, 1, 1, None),
    (10, -1, 0, 0, 0, "present"),
])
def test_impossible_vote_numbers(entitled, present, f, a, ab, field):
    errors = rules.vote_errors(entitled, present, f, a, ab)
    assert (field in errors) if field else errors == {}


# ---- rule sets ------------------------------------------------------------------------------------------------


def test_rule_sets_are_data_with_sources():
    assert len(RULES_2014.steps) == 25
    assert [s.code for s in RULES_2014.steps][:3] == ["application", "talk", "activist"]
    assert RULES_2014.number("approval") == 17 and RULES_2014.number("archive") == 25
    assert RULES_2026.number("notice") == 7 and len(RULES_2026.steps) == 26
    for rule_set in (RULES_2014, RULES_2026):
        codes = set(rule_set.by_code)
        for i, step in enumerate(rule_set.steps):
            assert step.source, step.code
            assert all(r in codes and rule_set.number(r) <= i for r in step.requires), step.code


def test_rule_set_is_chosen_by_application_date():
    assert rules.rule_set_for(D(2026, 5, 31)) is RULES_2014
    assert rules.rule_set_for(D(2026, 6, 1)) is RULES_2026
    with override_settings(GRASSROOTS_DEVELOPMENT_2026_EFFECTIVE="2026-07-01"):
        assert rules.rule_set_for(D(2026, 6, 30)) is RULES_2014


@pytest.mark.parametrize(("notice_on", "candidate_on", "ok"), [
    (D(2026, 11, 13), D(2026, 11, 20), True),  # Friday + 5 working days = next Friday
    (D(2026, 11, 13), D(2026, 11, 19), False),
])
def test_2026_notice_five_working_days_before_the_candidate(notice_on, candidate_on, ok):
    h = {**ACTIVIST_DONE, "activist": D(2025, 1, 1), "notice": notice_on}
    errors, _ = check("candidate", candidate_on, stage="activist", rule_set=RULES_2026, **h)
    assert (errors == {}) is ok, errors
    errors, _ = check("candidate", candidate_on, stage="activist", rule_set=RULES_2026, **ACTIVIST_DONE)  # no notice
    assert "发展对象公示" in errors["__all__"]


@pytest.mark.parametrize(("code", "ref", "late"), [
    ("admission_vote", {"prereview": D(2026, 1, 31), "application_form": D(2026, 2, 1)}, D(2026, 3, 1)),
    ("oath", {"approval": D(2026, 1, 31)}, D(2026, 3, 1)),
])
def test_2026_assembly_and_oath_within_a_month_warn(code, ref, late):
    stage = "candidate" if code == "admission_vote" else "probationary"
    _errors, warnings = check(code, D(2026, 2, 28), stage=stage, rule_set=RULES_2026, application=D(2024, 1, 1), **ref)
    assert warnings == []
    _errors, warnings = check(code, late, stage=stage, rule_set=RULES_2026, application=D(2024, 1, 1), **ref)
    assert warnings and "逾期" in warnings[0]
    _errors, warnings = check(code, late, stage=stage, rule_set=RULES_2014, application=D(2024, 1, 1), **ref)
    assert warnings == []
