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

def test_branch_below_seven_full_members_owes_no_committee_meetings(tree, people):
    result = compliance.compute(tree.branch_b, 2026, today=AFTER_2026)
    assert set(items(result, tree.branch_b, MeetingKind.COMMITTEE).values()) == {NOT_OWED}
    assert set(items(result, tree.branch_b, MeetingKind.THEME_DAY).values()) == {MISSING}


def staff(branch, full, probationary=0, **fields):
    for i in range(full):
        make_member(branch, f"正式{branch.pk}-{i}", **fields)
    for i in range(probationary):
        make_member(branch, f"预备{branch.pk}-{i}", status="probationary", full_on=None, joined_on=D(2025, 10, 1))


@pytest.mark.parametrize(
    "full, probationary, owed",
    [
        (6, 0, False),
        (7, 0, True),  # 支部工作条例 art. 8: 7 or more full members
        (6, 5, False),  # probationary members do not count
        (6, 1, False),
        (8, 0, True),
    ],
)
def test_committee_meetings_owed_from_seven_full_members(tree, people, full, probationary, owed):
    branch = make_org(people.admin, tree.village, "第三党支部", "C0403")
    staff(branch, full, probationary)
    held(branch, MeetingKind.COMMITTEE, at(2026, 5, 20))
    [bc] = compliance.compute(branch, 2026, today=AFTER_2026)
    statuses = items([bc], branch, MeetingKind.COMMITTEE)
    assert statuses[5] == MET  # a meeting held is held either way
    assert statuses[4] == (MISSING if owed else NOT_OWED) and statuses[12] == (MISSING if owed else NOT_OWED)
    assert bc.full_members == full
    # without committee posts, a branch that needs a committee has a structural gap
    assert bc.committee_gap == (rules.COMMITTEE_MISSING if owed else None)


def test_the_seventh_full_member_counts_from_the_month_of_full_membership_and_a_leaver_until_leaving(tree, people):
    branch = make_org(people.admin, tree.village, "第三党支部", "C0403")
    staff(branch, 6)
    make_member(branch, "转正", status="full", joined_on=D(2025, 5, 14), full_on=D(2026, 5, 14))
    leaver = make_member(branch, "出党", state="left", left_on=D(2026, 10, 10), left_reason="deceased")
    group = make_org(people.admin, branch, "第三党支部党小组", "C0503", Kind.GROUP)
    make_member(group, "小组正式", status="full", full_on=D(2026, 9, 1))  # members of the branch's groups count
    assert compliance.full_members_by_month(tree.village.path, 2026)[branch.path][1:] == [7, 7, 7, 7, 8, 8, 8, 8, 9, 8, 8, 8]
    Member = type(leaver)
    Member.objects.filter(pk=leaver.pk).update(left_on=D(2026, 3, 1))
    statuses = items(compliance.compute(branch, 2026, today=AFTER_2026), branch, MeetingKind.COMMITTEE)
    # Jan-Feb: 6 full + the leaver = 7; Mar-Apr: 6; from May (full on 14 May) 7; from September 8
    assert [statuses[m] for m in range(1, 13)] == [MISSING] * 2 + [NOT_OWED] * 2 + [MISSING] * 8


def test_committee_posts_count_for_the_record_not_for_what_is_owed(tree, people):
    branch = make_org(people.admin, tree.village, "第三党支部", "C0403")
    staff(branch, 4)
    give_committee(people, branch, 3)  # 4 + 3 holders = 7 full members with a committee: nothing wrong
    [bc] = compliance.compute(branch, 2026, today=AFTER_2026)
    assert bc.full_members == 7 and bc.committee_months == 12 and bc.committee_gap is None
    assert set(items([bc], branch, MeetingKind.COMMITTEE).values()) == {MISSING}


@pytest.mark.parametrize(
    "full, titles, gap",
    [
        (7, [], rules.COMMITTEE_MISSING),
        (7, ["secretary", "deputy_secretary"], rules.COMMITTEE_MISSING),  # two posts are no committee
        (7, ["secretary", "organization", "propaganda"], None),
        (6, ["secretary", "deputy_secretary"], None),  # below 7: a secretary and, if needed, a deputy
        (6, ["secretary", "organization"], rules.COMMITTEE_NOT_NEEDED),  # a committee member's post in a branch without one
        (4, ["secretary", "organization", "propaganda"], rules.COMMITTEE_NOT_NEEDED),
    ],
)
def test_committee_gaps(tree, people, full, titles, gap):
    branch = make_org(people.admin, tree.village, "第三党支部", "C0403")
    holders = [make_member(branch, f"职务{i}") for i in range(min(full, len(titles)))]
    staff(branch, full - len(holders))
    for title, holder in zip(titles, holders, strict=False):
        appoint_post(people.admin, branch, title=title, holder=holder, started_on=LONG_AGO)
    [bc] = compliance.compute(branch, 2026, today=D(2026, 12, 3))
    assert bc.committee_gap == gap
    found = {g.org.pk: g for g in compliance.committee_gaps(tree.village.path, D(2026, 12, 3))}
    assert (branch.pk in found) == (gap is not None)
    if gap:
        assert found[branch.pk].gap == gap and found[branch.pk].full_members == full and found[branch.pk].label
    assert tree.branch_a.pk not in found  # two full members and no posts: nothing to say


def test_committee_gaps_query_count(tree, people, django_assert_num_queries):
    for i in range(3):
        staff(make_org(people.admin, tree.village, f"增设{i}", f"Z{i:03d}"), 7)
    with django_assert_num_queries(3):
        gaps = compliance.committee_gaps(tree.city.path, D(2026, 12, 3))
    assert len(gaps) == 3


def test_ended_posts_stop_counting_for_the_committee_record(tree, people):
    staff(tree.branch_a, 5)
    give_committee(people, tree.branch_a, 2)
    holder = make_member(tree.branch_a, "第三委员")
    post = appoint_post(people.admin, tree.branch_a, title="youth", holder=holder, started_on=D(2026, 1, 1))
    post.ended_on = D(2026, 6, 15)
    post.save()
    [bc] = compliance.compute(tree.branch_a, 2026, today=AFTER_2026)
    assert bc.committee_months == 5  # on 30 June only two posts were held
    assert bc.committee_gap == rules.COMMITTEE_MISSING  # 2 + 5 + 2 + 1 = 10 full members, two posts in December
    assert set(items([bc], tree.branch_a, MeetingKind.COMMITTEE).values()) == {MISSING}


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
    assert queries() == before == 5


# ---- six-month rule ------------------------------------------------------------------------------------

def test_six_month_rule_with_gap_across_year_end(tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 8, 20), present=[members.a1])
    # absent and on leave later: neither is taking part
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2025, 11, 20), absent=[members.a1])
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 1, 20), leave=[members.a1])

    def flagged(as_of):
        return {m.name: m for m in compliance.six_month_absentees(tree.branch_a.path, as_of)}

    # six months from 20 Aug 2025 end on 20 Feb 2026 -> not yet flagged on the 20th, flagged from the 21st
    assert "张三" not in flagged(D(2026, 2, 20))
    assert "张三" in flagged(D(2026, 2, 21))
    # the six months straddle the year end -> flagged, last present 20 Aug, one leave
    row = flagged(D(2026, 3, 10))["张三"]
    assert row.leaves == 1
    assert row.last_present.date() == D(2025, 8, 20)
    # a2 joined on 2026-01-05: six months from joining are not over
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


def test_matrix_and_branch_page_show_committee_gaps(client, tree, people, members):
    from django.urls import reverse

    staff(tree.branch_b, 6)  # 王五 + 6 = 7 full members, no committee
    client.force_login(people.dept_a)
    page = client.get(reverse("orglife:compliance", args=[tree.village.pk]), {"year": 2026})
    html = page.content.decode()
    assert page.context["gap_count"] == 1 and [bc.org for bc in page.context["gaps"]] == [tree.branch_b]
    assert 'data-gap="missing"' in html and "应设立支部委员会而未设" in html
    page = client.get(reverse("orglife:compliance", args=[tree.district_a.pk]), {"year": 2026})
    assert page.context["rows"][0]["gaps"] == 1 and 'data-gaps="1"' in page.content.decode()
    page = client.get(reverse("orglife:compliance", args=[tree.branch_b.pk]), {"year": 2026})
    assert 'data-gap="missing"' in page.content.decode() and page.context["branch"].full_members == 7
