import datetime

import pytest

from grassroots.relations import rules

D = datetime.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 8, 15), 6, D(2027, 2, 15)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2025, 12, 1), 1, D(2026, 1, 1)),
    (D(2024, 2, 29), 24, D(2026, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(("today", "expired"), [
    (D(2026, 3, 10), False),  # day 10 of 10: the last valid day
    (D(2026, 3, 11), True),
    (D(2026, 3, 1), False),
])
def test_letter_valid_for_its_days_counting_the_issue_day(today, expired):
    assert rules.valid_until(D(2026, 3, 1), 10) == D(2026, 3, 10)
    assert rules.is_expired(D(2026, 3, 1), 10, today) is expired


@pytest.mark.parametrize(("today", "expiring"), [
    (D(2026, 3, 7), False),  # 3 days before the last day: outside the 3-day window
    (D(2026, 3, 8), True),
    (D(2026, 3, 10), True),
    (D(2026, 3, 11), False),  # expired, not expiring
])
def test_expiring_within_the_reminder_days(today, expiring):
    assert rules.is_expiring(D(2026, 3, 1), 10, today) is expiring


@pytest.mark.parametrize(("days", "error"), [(0, "有效期至少 1 天"), (1, None), (10, None), (90, None), (91, "有效期不能超过 90 天"), (None, "有效期至少 1 天")])
def test_valid_days_bounds(days, error):
    assert rules.valid_days_error(days) == error


def test_valid_days_are_settings(settings):
    settings.GRASSROOTS_TRANSFER_LETTER_VALID_DAYS = 15
    settings.GRASSROOTS_TRANSFER_LETTER_MAX_DAYS = 30
    assert rules.default_valid_days() == 15
    assert rules.valid_days_error(30) is None
    assert rules.valid_days_error(31) == "有效期不能超过 30 天"


@pytest.mark.parametrize(("left_on", "today", "required"), [
    (D(2025, 9, 25), D(2026, 3, 24), False),
    (D(2025, 9, 25), D(2026, 3, 25), True),  # 6 months away at a fairly fixed place: transfer
])
def test_floating_six_months(left_on, today, required):
    assert rules.transfer_required(left_on, today) is required


def test_lost_contact_time_limits():
    assert rules.suspend_possible_on(D(2025, 8, 31)) == D(2026, 2, 28)
    assert rules.self_left_possible_on(D(2026, 2, 28)) == D(2028, 2, 28)
    assert rules.receipt_due(D(2026, 1, 31)) == D(2026, 2, 28)


def test_letter_number():
    assert rules.letter_number(2026, 12) == "〔2026〕第12号"
