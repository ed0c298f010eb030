"""The disclosure numbers at their boundaries: periods, due dates, lateness, posting periods, attachments."""

import datetime

import pytest

from grassroots.disclosure import rules
from grassroots.disclosure.choices import Category, Frequency

D = datetime.date


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end", "key", "label"),
    [
        (Frequency.MONTH, D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 31), "2026-01", "2026年1月"),
        (Frequency.MONTH, D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29), "2024-02", "2024年2月"),
        (Frequency.MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31), "2026-12", "2026年12月"),
        (Frequency.QUARTER, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31), "2026-Q1", "2026年第一季度"),
        (Frequency.QUARTER, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30), "2026-Q2", "2026年第二季度"),
        (Frequency.QUARTER, D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31), "2026-Q4", "2026年第四季度"),
        (Frequency.HALF_YEAR, D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30), "2026-H1", "2026年上半年"),
        (Frequency.HALF_YEAR, D(2026, 7, 1), D(2026, 7, 1), D(2026, 12, 31), "2026-H2", "2026年下半年"),
        (Frequency.YEAR, D(2026, 7, 1), D(2026, 1, 1), D(2026, 12, 31), "2026", "2026年度"),
    ],
)
def test_periods(frequency, day, start, end, key, label):
    assert rules.period_of(frequency, day) == (start, end)
    assert rules.period_key(frequency, start) == key
    assert rules.period_label(frequency, start) == label


def test_previous_period_crosses_the_year():
    assert rules.previous_period(Frequency.QUARTER, D(2026, 1, 1)) == (D(2025, 10, 1), D(2025, 12, 31))
    assert rules.previous_period(Frequency.MONTH, D(2026, 3, 1)) == (D(2026, 2, 1), D(2026, 2, 28))


@pytest.mark.parametrize(("today", "overdue"), [(D(2026, 4, 9), False), (D(2026, 4, 10), False), (D(2026, 4, 11), True)])
def test_due_ten_days_after_the_quarter(today, overdue):
    due = rules.due_on(D(2026, 3, 31))  # default: 10 days
    assert due == D(2026, 4, 10)
    assert rules.is_overdue(due, today) is overdue


def test_due_days_is_a_setting(settings):
    settings.GRASSROOTS_DISCLOSURE_DUE_DAYS = 15
    assert rules.due_on(D(2026, 3, 31)) == D(2026, 4, 15)


@pytest.mark.parametrize(
    ("posted", "deadline", "late"), [(D(2026, 5, 1), D(2026, 5, 1), False), (D(2026, 5, 2), D(2026, 5, 1), True), (D(2026, 5, 2), None, False)]
)
def test_late_disclosures_are_flagged(posted, deadline, late):
    assert rules.is_late(posted, deadline) is late


@pytest.mark.parametrize(("days", "ends"), [(1, D(2026, 5, 1)), (7, D(2026, 5, 7)), (30, D(2026, 5, 30))])
def test_posting_period_counts_the_first_day(days, ends):
    assert rules.posting_ends_on(D(2026, 5, 1), days) == ends


def test_default_frequencies_follow_the_organic_law_and_settings(settings):
    assert rules.default_frequency(Category.VILLAGE) == Frequency.QUARTER
    assert rules.default_frequency(Category.FINANCE) == Frequency.QUARTER
    settings.GRASSROOTS_DISCLOSURE_FREQUENCIES = {"finance": "month"}
    assert rules.default_frequency(Category.FINANCE) == "month"


@pytest.mark.parametrize(
    ("name", "size", "head", "ok"),
    [
        ("a.jpg", 10, b"\xff\xd8\xff\xe0", True),
        ("a.PNG", 10, b"\x89PNG\r\n\x1a\n", True),
        ("a.pdf", 10, b"%PDF-1.4", True),
        ("a.pdf", 10, b"\x89PNG\r\n\x1a\n", False),  # renamed
        ("a.docx", 10, b"PK\x03\x04", False),  # not allowed here
        ("a.png", 0, b"", False),
        ("a.png", rules.ATTACHMENT_MAX_BYTES_DEFAULT, b"\x89PNG\r\n\x1a\n", True),
        ("a.png", rules.ATTACHMENT_MAX_BYTES_DEFAULT + 1, b"\x89PNG\r\n\x1a\n", False),
    ],
)
def test_attachment_checks(name, size, head, ok):
    assert (rules.attachment_error(name, size, head) is None) is ok
