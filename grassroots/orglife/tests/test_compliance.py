"""Table-driven tests of the compliance engine and the six-month rule."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from grassroots.conftest import make_member, make_org
from grassroots.orglife import compliance, rules
from grassroots.orglife.choices import MeetingKind, MeetingState, Period
from grassroots.orglife.compliance import MET, MISSING, NOT_OWED, OPEN, UPCOMING
from grassroots.orgs.choices import Kind
from grassroots.orgs.models import Organization
from grassroots.orgs.services import appoint_post

from .factories import at, held

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_2026 = D(2027, 6, 1)


def items(result, branch, kind, org=None):
    bc = next(b for b in result if b.org.pk == branch.pk)
    return {i.index: i.status for i in bc.items if i.kind == kind and (org is None or i.org_id == org.pk)}


LONG_AGO = D(2020, 1, 1)


def give_committee(people, branch, n=3, started_on=LONG_AGO):
    titles = ["secretary", "organization", "propaganda", "discipline"]
    for i in range(n):
        holder = make_member(branch, f"委员{branch.pk}{i}")
        appoint_post(people.admin, branch, title=titles[i], holder=holder, started_on=started_on)


# ---- owes_period: the partial-period decision ----------------------------------------------------------

@pytest.mark.parametrize(
    "first, last, established, dissolved, owed",
    [
        (D(2026, 2, 1), D(2026, 2, 28), None, None, True),
        (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 15), None, True),  # 14 of 28 days
        (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 16), None, False),  # 13 of 28
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 2, 15), None, True),  # 45 of 90: mid-quarter
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 2, 16), None, False),  # 44 of 90
        (D(2028, 2, 1), D(2028, 2, 29), D(2028, 2, 15), None, True),  # leap February: 15 of 29
        (D(2028, 2, 1), D(2028, 2, 29), D(2028, 2, 16), None, False),  # 14 of 29
        (D(2026, 6, 1), D(2026, 6, 30), None, D(2026, 6, 15), True),  # dissolved: 15 of 30
        (D(2026, 6, 1), D(2026, 6, 30), None, D(2026, 6, 14), False),
        (D(2026, 7, 1), D(2026, 7, 31), None, D(2026, 6, 30), False),  # after dissolution
        (D(2026, 1, 1), D(2026, 1, 31), D(2026, 3, 1), None, False),  # before establishment
    ],
)
def test_owes_period(first, last, established, dissolved, owed):
    assert rules.owes_period(first, last, established, dissolved) is owed


@pytest.mark.parametrize("month, quarter", [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (10, 4), (12, 4)])
def test_period_index(month, quarter):
    assert rules.period_index(Period.QUARTER, month) == quarter
    assert rules.period_index(Period.MONTH, month) == month
    assert rules.period_index(Period.YEAR, month) == 1


def test_period_bounds_leap_year():
    assert rules.period_bounds(Period.MONTH, 2028, 2) == (D(2028, 2, 1), D(2028, 2, 29))
    assert rules.period_bounds(Period.MONTH, 2026, 2) == (D(2026, 2, 1), D(2026, 2, 28))
    assert rules.period_bounds(Period.QUARTER, 2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))


def test_lecture_period_is_a_setting_with_quarterly_default():
    assert rules.required_period(MeetingKind.LECTURE) == Period.QUARTER
    with override_settings(ORGLIFE_LECTURE_PERIOD="month"):
        assert rules.required_period(MeetingKind.LECTURE) == Period.MONTH


# ---- the engine ----------------------------------------------------------------------------------------

def test_branch_without_committee_owes_no_committee_meetings(tree, people):
    result = compliance.compute(tree.branch_b, 2026, today=AFTER_2026)
    assert set(items(result, tree.branch_b, MeetingKind.COMMITTEE).values()) == {NOT_OWED}
    assert set(items(result, tree.branch_b, MeetingKind.THEME_DAY).values()) == {MISSING}


def test_branch_with_committee_owes_monthly_committee_meeting(tree, people):
    give_committee(people, tree.branch_a, 3, started_on=D(2026, 1, 1))
    held(tree.branch_a, MeetingKind.COMMITTEE, at(2026, 5, 20))
    result = compliance.compute(tree.branch_a, 2026, today=AFTER_2026)
    statuses = items(result, tree.branch_a, MeetingKind.COMMITTEE)
    assert statuses[5] == MET
    assert statuses[4] == MISSING and statuses[12] == MISSING


def test_two_posts_are_not_a_committee_and_ended_posts_stop_counting(tree, people):
    give_committee(people, tree.branch_a, 2)
    result = compliance.compute(tree.branch_a, 2026, today=AFTER_2026)
    assert set(items(result, tree.branch_a, MeetingKind.COMMITTEE).values()) == {NOT_OWED}
    holder = make_member(tree.branch_a, "第三委员")
    post = appoint_post(people.admin, tree.branch_a, title="youth", holder=holder, started_on=D(2026, 1, 1))
    post.ended_on = D(2026, 6, 15)
    post.save()
    statuses = items(compliance.compute(tree.branch_a, 2026, today=AFTER_2026), tree.branch_a, MeetingKind.COMMITTEE)
    assert statuses[5] == MISSING and statuses[6] == NOT_OWED  # on 30 June only two posts were held


def test_groups_each_owe_a_monthly_meeting(tree, people):
    second = make_org(people.admin, tree.branch_a, "第二党小组", "C0503", Kind.GROUP)
    held(tree.group_a, MeetingKind.GROUP, at(2026, 3, 3))
    result = compliance.compute(tree.branch_a, 2026, today=AFTER_2026)
    assert items(result, tree.branch_a, MeetingKind.GROUP, tree.group_a)[3] == MET
    assert items(result, tree.branch_a, MeetingKind.GROUP, second)[3] == MISSING
    bc = result[0]
    assert bc.groups == 2
    march = bc.cells(Period.MONTH)[2]
    assert march.status == MISSING and len([i for i in march.items if i.kind == MeetingKind.GROUP]) == 2
    # the community branch has no group: no group requirement at all
    result_b = compliance.compute(tree.b_branch, 2026, today=AFTER_2026)
    assert items(result_b, tree.b_branch, MeetingKind.GROUP) == {}


@pytest.mark.parametrize(
    "when, month",
    [
        (at(2026, 3, 31, 23, 30), 3),
        (at(2026, 4, 1, 0, 10), 4),  # still 31 March in UTC
        (at(2026, 1, 1, 0, 5), 1),  # still 2025 in UTC
        (at(2026, 12, 31, 23, 59), 12),
    ],
)
def test_meetings_on_period_boundaries_use_shanghai_time(tree, people, when, month):
    held(tree.branch_b, MeetingKind.THEME_DAY, when)
    held(tree.branch_b, MeetingKind.GENERAL_ASSEMBLY, when)
    statuses = items(compliance.compute(tree.branch_b, 2026, today=AFTER_2026), tree.branch_b, MeetingKind.THEME_DAY)
    assert [m for m, s in statuses.items() if s == MET] == [month]
    quarters = items(compliance.compute(tree.branch_b, 2026, today=AFTER_2026), tree.branch_b, MeetingKind.GENERAL_ASSEMBLY)
    assert [q for q, s in quarters.items() if s == MET] == [(month - 1) // 3 + 1]


def test_meeting_just_before_the_year_in_shanghai_is_not_counted(tree, people):
    held(tree.branch_b, MeetingKind.THEME_DAY, at(2025, 12, 31, 23, 50))  # 15:50 UTC on 31 Dec 2025
    held(tree.branch_b, MeetingKind.THEME_DAY, at(2027, 1, 1, 0, 10))  # still 2026 in UTC
    statuses = items(compliance.compute(tree.branch_b, 2026, today=AFTER_2026), tree.branch_b, MeetingKind.THEME_DAY)
    assert set(statuses.values()) == {MISSING}


def test_planned_meetings_do_not_count_confirmed_do(tree, people):
    held(tree.branch_b, MeetingKind.THEME_DAY, at(2026, 5, 1), state=MeetingState.PLANNED)
    held(tree.branch_b, MeetingKind.THEME_DAY, at(2026, 6, 1), state=MeetingState.CONFIRMED)
    statuses = items(compliance.compute(tree.branch_b, 2026, today=AFTER_2026), tree.branch_b, MeetingKind.THEME_DAY)
    assert statuses[5] == MISSING and statuses[6] == MET


def test_branch_created_mid_quarter(tree, people):
    branch = make_org(people.admin, tree.village, "新建支部", "C0409", established_on=D(2026, 2, 15))
    result = compliance.compute(branch, 2026, today=AFTER_2026)
    theme = items(result, branch, MeetingKind.THEME_DAY)
    assert theme[1] == NOT_OWED and theme[2] == MISSING and theme[3] == MISSING
    assert items(result, branch, MeetingKind.GENERAL_ASSEMBLY)[1] == MISSING  # 45 of 90 days
    late = make_org(people.admin, tree.village, "晚建支部", "C0410", established_on=D(2026, 2, 16))
    result = compliance.compute(late, 2026, today=AFTER_2026)
    assert items(result, late, MeetingKind.GENERAL_ASSEMBLY)[1] == NOT_OWED
    assert items(result, late, MeetingKind.THEME_DAY)[2] == NOT_OWED


def test_dissolved_branch_owes_nothing_after_dissolution(tree, people):
    Organization.objects.filter(pk=tree.branch_b.pk).update(is_active=False, dissolved_on=D(2026, 5, 10))
    Organization.objects.filter(pk=tree.group_b.pk).update(is_active=False, dissolved_on=D(2026, 5, 10))
    result = compliance.compute(tree.village, 2026, today=AFTER_2026)
    theme = items(result, tree.branch_b, MeetingKind.THEME_DAY)
    assert theme[4] == MISSING and theme[5] == NOT_OWED and theme[12] == NOT_OWED
    assert items(result, tree.branch_b, MeetingKind.LIFE_MEETING)[1] == NOT_OWED
    assert items(result, tree.branch_b, MeetingKind.GROUP, tree.group_b)[6] == NOT_OWED
    # dissolved before the year: not listed at all
    assert [b.org.pk for b in compliance.compute(tree.village, 2027, today=AFTER_2026)] == [tree.branch_a.pk]


def test_leap_day_meeting_counts_in_february(tree, people):
    held(tree.branch_b, MeetingKind.THEME_DAY, at(2028, 2, 29, 20))
    statuses = items(compliance.compute(tree.branch_b, 2028, today=D(2029, 1, 1)), tree.branch_b, MeetingKind.THEME_DAY)
    assert statuses[2] == MET and statuses[3] == MISSING


def test_open_periods_are_not_missing_and_not_in_percentages(tree, people):
    held(tree.b_branch, MeetingKind.THEME_DAY, at(2026, 1, 10))
    result = compliance.compute(tree.b_branch, 2026, today=D(2026, 2, 10))
    theme = items(result, tree.b_branch, MeetingKind.THEME_DAY)
    assert theme[1] == MET and theme[2] == OPEN and theme[3] == UPCOMING and theme[12] == UPCOMING
    bc = result[0]
    assert (bc.met, bc.due, bc.percent) == (1, 1, 100)  # only January has ended


@pytest.mark.parametrize(("today", "december"), [(D(2026, 11, 30), UPCOMING), (D(2026, 12, 1), OPEN), (D(2027, 1, 1), MISSING)])
def test_a_column_not_begun_reads_not_yet_due(tree, people, today, december):
    """The yearly 组织生活会 sits in December's column: “未到期” until December begins, not “进行中”."""
    result = compliance.compute(tree.b_branch, 2026, today=today)
    assert items(result, tree.b_branch, MeetingKind.LIFE_MEETING)[1] == december
    cells = result[0].cells(Period.MONTH)
    assert cells[11].status == december and cells[11].status_label == {UPCOMING: "未到期", OPEN: "进行中", MISSING: "未完成"}[december]


def test_full_year_met_is_100_percent_and_cells_green(tree, people):
    b = tree.branch_b
    for m in range(1, 13):
        held(b, MeetingKind.THEME_DAY, at(2026, m, 8))
        held(tree.group_b, MeetingKind.GROUP, at(2026, m, 9))
    for q in range(4):
        held(b, MeetingKind.GENERAL_ASSEMBLY, at(2026, 3 * q + 2, 1))
        held(b, MeetingKind.LECTURE, at(2026, 3 * q + 3, 1))
    held(b, MeetingKind.LIFE_MEETING, at(2026, 12, 20))
    bc = compliance.compute(b, 2026, today=AFTER_2026)[0]
    assert bc.percent == 100 and bc.due == 12 + 12 + 4 + 4 + 1
    assert {c.status for c in bc.cells(Period.MONTH)} == {MET}
    assert [c.owed for c in bc.cells(Period.QUARTER)] == [8, 8, 8, 9]  # theme+group per month, assembly, lecture; life in Q4


def test_rollup_per_child_and_trend(tree, people):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 5))
    result = compliance.compute(tree.city, 2026, today=D(2026, 2, 1))
    rows = compliance.rollup([tree.district_a, tree.district_b], result)
    wujin, tianning = rows
    assert wujin.branches == 2 and tianning.branches == 1
    # January: theme day + group meeting owed by branch A, theme + group by branch B -> 1 of 4 met in 武进
    assert (wujin.met, wujin.due) == (1, 4) and wujin.percent == 25
    assert wujin.column_percents()[0] == 25 and wujin.column_percents()[1] is None
    assert (tianning.met, tianning.due) == (0, 1)
    assert compliance.yearly_trend(result)[0] == 20  # 1 of 5


def test_compute_uses_a_fixed_number_of_queries(tree, people):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            compliance.compute(tree.city, 2026, today=AFTER_2026)
        return len(ctx.captured_queries)

    before = queries()
    for i in range(5):
        branch = make_org(people.admin, tree.village, f"增设{i}", f"Z{i:03d}")
        make_org(people.admin, branch, f"增设小组{i}", f"ZG{i:03d}", Kind.GROUP)
        give_committee(people, branch, 3)
        held(branch, MeetingKind.THEME_DAY, at(2026, 3, 1))
    assert queries() == before == 4


# ---- six-month rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "as_of, window",
    [
        (D(2026, 3, 10), (D(2025, 9, 1), D(2026, 3, 1))),
        (D(2026, 7, 1), (D(2026, 1, 1), D(2026, 7, 1))),
        (D(2026, 6, 30), (D(2025, 12, 1), D(2026, 6, 1))),
    ],
)
def test_six_month_window(as_of, window):
    assert compliance.six_month_window(as_of) == window


def test_six_month_rule_with_gap_across_year_end(tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 8, 20), present=[members.a1])
    # absent and on leave later: neither is taking part
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 11, 20), absent=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 20), leave=[members.a1])

    def flagged(as_of):
        return {m.name: m for m in compliance.six_month_absentees(tree.branch_a.path, as_of)}

    # window Aug 2025 - Jan 2026: attended in August -> not flagged
    assert "张三" not in flagged(D(2026, 2, 10))
    # window Sep 2025 - Feb 2026 straddles the year end -> flagged, last present 20 Aug, one leave
    row = flagged(D(2026, 3, 10))["张三"]
    assert row.leaves == 1
    assert row.last_present.date() == D(2025, 8, 20)
    # a2 joined on 2026-01-05, after the window began: not yet flagged
    assert "李四" not in flagged(D(2026, 3, 10))


def test_six_month_rule_ignores_planned_meetings_and_scopes_by_path(tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 2, 1), state=MeetingState.PLANNED, present=[members.a1])
    assert [m.name for m in compliance.six_month_absentees(tree.branch_a.path, D(2026, 3, 10))] == ["张三"]
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 1), present=[members.a1])
    assert list(compliance.six_month_absentees(tree.branch_a.path, D(2026, 3, 10))) == []
    assert [m.name for m in compliance.six_month_absentees(tree.village.path, D(2026, 3, 10))] == ["王五"]


def test_counts_without_items_equal_counts_from_items(tree, people):
    give_committee(people, tree.branch_a, 3, started_on=D(2026, 4, 10))
    Organization.objects.filter(pk=tree.branch_b.pk).update(established_on=D(2026, 2, 15))
    held(tree.branch_a, MeetingKind.COMMITTEE, at(2026, 5, 2))
    held(tree.group_a, MeetingKind.GROUP, at(2026, 3, 31, 23, 30))
    held(tree.branch_b, MeetingKind.GENERAL_ASSEMBLY, at(2026, 4, 1, 0, 10))
    full = compliance.compute(tree.city, 2026, today=D(2026, 8, 15))
    lean = compliance.compute(tree.city, 2026, today=D(2026, 8, 15), detail=False)
    assert all(not bc.items for bc in lean) and all(bc.items for bc in full)
    for by in (Period.MONTH, Period.QUARTER):
        assert [b.column_counts(by) for b in lean] == [
            compliance.BranchCompliance(org=b.org, items=b.items).column_counts(by) for b in full
        ]
    assert [(b.met, b.due) for b in lean] == [(b.met, b.due) for b in full]
    assert compliance.yearly_trend(lean) == compliance.yearly_trend(full)
