"""The six-month rule (Party Constitution art. 9) counted to the day: the pure rule in rules.py at its boundaries,
and the one query (compliance.six_month_absentees) behind the list, the API, the talks worklist and points."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.conftest import make_member
from grassroots.members.choices import EventKind
from grassroots.members.models import MemberEvent
from grassroots.orglife import compliance, rules
from grassroots.orglife.choices import MeetingKind
from grassroots.relations.choices import CaseState, FloatingReason
from grassroots.relations.models import FloatingRecord, LostContactCase

from .factories import at, held

D = datetime.date


# ---- the rule: from the day of the last attendance to the same day six months later ------------------------

@pytest.mark.parametrize(
    "since, end, listed_from",
    [
        (D(2025, 12, 15), D(2026, 6, 15), D(2026, 6, 16)),  # the regulation's case: listed from 16 June, not 1 July
        (D(2026, 1, 1), D(2026, 7, 1), D(2026, 7, 2)),
        (D(2025, 12, 31), D(2026, 6, 30), D(2026, 7, 1)),  # June has no 31st: its last day
        (D(2026, 8, 31), D(2027, 2, 28), D(2027, 3, 1)),  # month end into a common February
        (D(2027, 8, 31), D(2028, 2, 29), D(2028, 3, 1)),  # ... and into a leap February
        (D(2027, 8, 29), D(2028, 2, 29), D(2028, 3, 1)),
        (D(2026, 8, 28), D(2027, 2, 28), D(2027, 3, 1)),
        (D(2027, 8, 28), D(2028, 2, 28), D(2028, 2, 29)),  # a leap day is a day like any other
        (D(2028, 2, 29), D(2028, 8, 29), D(2028, 8, 30)),  # from a leap day
        (D(2026, 3, 31), D(2026, 9, 30), D(2026, 10, 1)),
    ],
)
def test_six_months_end_and_listing_day(since, end, listed_from):
    assert rules.six_months_end(since) == end
    assert rules.six_months_listed_from(since) == listed_from
    assert not rules.six_months_absent(since, end)
    assert rules.six_months_absent(since, listed_from)


@pytest.mark.parametrize(
    "as_of, cutoff",
    [
        (D(2026, 6, 16), D(2025, 12, 15)),
        (D(2026, 6, 15), D(2025, 12, 14)),
        (D(2027, 3, 1), D(2026, 8, 31)),  # 29, 30 and 31 August all end on 28 February
        (D(2027, 2, 28), D(2026, 8, 27)),
        (D(2028, 3, 1), D(2027, 8, 31)),
        (D(2028, 2, 29), D(2027, 8, 28)),
        (D(2026, 8, 31), D(2026, 2, 28)),  # February's last day covers 28-31 August's ends
        (D(2026, 1, 1), D(2025, 6, 30)),
    ],
)
def test_cutoff(as_of, cutoff):
    assert rules.six_months_cutoff(as_of) == cutoff


@given(since=st.dates(D(2000, 1, 1), D(2099, 12, 31)), days=st.integers(0, 400))
def test_cutoff_agrees_with_the_rule_on_every_day(since, days):
    as_of = since + datetime.timedelta(days=days)
    assert (since <= rules.six_months_cutoff(as_of)) == rules.six_months_absent(since, as_of)


# ---- the query ------------------------------------------------------------------------------------------

def names(path, as_of):
    return {m.name: m for m in compliance.six_month_absentees(path, as_of)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "present_on, as_of, listed",
    [
        (D(2025, 12, 15), D(2026, 6, 15), False),
        (D(2025, 12, 15), D(2026, 6, 16), True),
        (D(2025, 12, 15), D(2026, 6, 30), True),  # calendar months would still wait for 1 July
        (D(2026, 8, 31), D(2027, 2, 28), False),
        (D(2026, 8, 31), D(2027, 3, 1), True),
        (D(2027, 8, 31), D(2028, 2, 29), False),
        (D(2027, 8, 31), D(2028, 3, 1), True),
    ],
)
def test_listed_from_the_day_after_six_months(tree, members, present_on, as_of, listed):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(present_on.year, present_on.month, present_on.day, 23, 30), present=[members.a1])
    row = names(tree.branch_a.path, as_of).get("张三")
    assert (row is not None) == listed
    if listed:
        assert row.since == present_on  # the meeting's Beijing date, although 23:30 is still the morning in UTC
        assert rules.six_months_listed_from(row.since) <= as_of


@pytest.mark.django_db
def test_a_later_attendance_or_one_after_as_of(tree, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 12, 15), present=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 6, 20), present=[members.a1])
    assert "张三" in names(tree.branch_a.path, D(2026, 6, 16))  # the June meeting had not happened yet
    assert "张三" not in names(tree.branch_a.path, D(2026, 6, 20))


@pytest.mark.django_db
def test_absent_or_on_leave_is_not_taking_part_and_leaves_are_counted(tree, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 12, 15), present=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 2, 15), leave=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 15), absent=[members.a1])
    row = names(tree.branch_a.path, D(2026, 6, 16))["张三"]
    assert row.leaves == 1 and row.last_present.date() == D(2025, 12, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "joined_on, as_of, listed",
    [
        (D(2025, 12, 15), D(2026, 6, 15), False),
        (D(2025, 12, 15), D(2026, 6, 16), True),
        (D(2026, 8, 31), D(2027, 3, 1), True),
        (D(2026, 8, 31), D(2027, 2, 28), False),
    ],
)
def test_a_new_member_counts_from_joining(tree, joined_on, as_of, listed):
    make_member(tree.branch_b, "新党员", joined_on=joined_on, full_on=None, status="probationary")
    row = names(tree.branch_b.path, as_of).get("新党员")
    assert (row is not None) == listed
    if listed:
        assert row.since == joined_on and row.last_present is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moved_on, as_of, listed",
    [
        (D(2026, 1, 10), D(2026, 7, 10), False),
        (D(2026, 1, 10), D(2026, 7, 11), True),
    ],
)
def test_a_member_who_joined_the_branch_counts_from_that_day(tree, members, moved_on, as_of, listed):
    MemberEvent.objects.create(member=members.b1, kind=EventKind.MOVED, happened_on=moved_on, before="某支部", after="二支部")
    row = names(tree.branch_b.path, as_of).get("王五")
    assert (row is not None) == listed
    if listed:
        assert row.since == moved_on


@pytest.mark.django_db
def test_back_from_floating_or_lost_contact_restarts_the_count(tree, members):
    FloatingRecord.objects.create(member=members.b1, org=tree.branch_b, org_path=tree.branch_b.path, left_on=D(2025, 3, 1),
                                  reason=FloatingReason.values[0], destination="上海", returned_on=D(2026, 2, 27))
    assert "王五" not in names(tree.branch_b.path, D(2026, 8, 27))
    assert names(tree.branch_b.path, D(2026, 8, 28))["王五"].since == D(2026, 2, 27)
    # a member found again after being lost: counted from the day contact was restored
    LostContactCase.objects.create(member=members.other, org=tree.b_branch, org_path=tree.b_branch.path, last_contact_on=D(2024, 1, 1),
                                   opened_on=D(2024, 8, 1), state=CaseState.RESTORED, closed_on=D(2026, 5, 31))
    assert "赵六" not in names(tree.b_branch.path, D(2026, 11, 30))
    assert names(tree.b_branch.path, D(2026, 12, 1))["赵六"].since == D(2026, 5, 31)
    # a case still open is no return
    LostContactCase.objects.filter(member=members.other).update(state=CaseState.OPEN, closed_on=None)
    assert "赵六" in names(tree.b_branch.path, D(2026, 11, 30))


@pytest.mark.django_db
def test_period_and_query_count(tree, members, django_assert_num_queries):
    assert compliance.six_month_period(D(2026, 6, 16)) == (D(2025, 12, 16), D(2026, 6, 16))
    for i in range(5):
        make_member(tree.branch_a, f"甲{i}")
    with django_assert_num_queries(1):
        rows = list(compliance.six_month_absentees(tree.village.path, D(2026, 6, 16)))
    assert len(rows) == 7  # 张三, 王五 and five more; 李四 joined in January


# ---- the page, its export and the API take an "as of" date --------------------------------------------------

@pytest.mark.django_db
def test_api_as_of(client, tree, people, members):
    from django.utils import timezone

    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 12, 15), present=[members.a1])
    client.force_login(people.secretary_a)
    url = f"/api/v1/orglife/six-months/{tree.branch_a.pk}"
    body = client.get(url, {"as_of": "2026-06-15"}).json()
    assert body["as_of"] == "2026-06-15" and body["period_first"] == "2025-12-15"
    assert [i["name"] for i in body["items"]] == []  # 李四 joined on 5 January
    body = client.get(url, {"as_of": "2026-07-06"}).json()
    assert [(i["name"], i["since"], i["listed_from"]) for i in body["items"]] == [
        ("张三", "2025-12-15", "2026-06-16"), ("李四", "2026-01-05", "2026-07-06"),
    ]
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.get(url, {"as_of": future})
    assert response.status_code == 422 and "as_of" in str(response.json())
    assert client.get(url, {"as_of": "2026-02-30"}).status_code == 422


@pytest.mark.django_db
def test_page_and_export_as_of(client, tree, people, members):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 12, 15), present=[members.a1])
    client.force_login(people.secretary_a)
    page = client.get(reverse("orglife:six_months", args=[tree.branch_a.pk]), {"as_of": "2026-06-16"})
    assert [(m.name, m.since, m.listed_from) for m in page.context["page"]] == [("张三", D(2025, 12, 15), D(2026, 6, 16))]
    assert "2026-06-16" in page.content.decode()
    page = client.get(reverse("orglife:six_months", args=[tree.branch_a.pk]), {"as_of": "2026-06-15"})
    assert list(page.context["page"]) == []
    response = client.get(reverse("orglife:six_months_export", args=[tree.branch_a.pk]), {"as_of": "2026-06-16"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == "张三" and rows[1][4] == "2025-12-15" and rows[1][6].date() == D(2026, 6, 16)
