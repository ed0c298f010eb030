"""The home panel's orglife lines come from the same functions as the pages."""

import datetime

import pytest

from grassroots.conftest import make_member
from grassroots.orglife import todo

from .factories import at, held

pytestmark = pytest.mark.django_db


def test_lines_count_the_six_month_list_and_committee_gaps(tree, people, members, django_assert_num_queries):
    today = datetime.date(2026, 6, 16)
    held(tree.branch_a, "theme_day", at(2025, 12, 15), present=[members.a1])
    held(tree.branch_b, "theme_day", at(2025, 12, 16), present=[members.b1])
    for i in range(6):
        make_member(tree.branch_b, f"乙{i}")  # 7 full members, no committee
    with django_assert_num_queries(4):
        lines = {item.label: item for item in todo.lines(people.dept_a, tree.village, today)}
    six = lines["连续六个月未参加组织生活的党员"]
    # 张三 (15 Dec: listed from 16 Jun) and the six new members (joined 2005); not 王五 (16 Dec), not 李四 (January)
    assert six.count == 7 and six.url.endswith(f"/six-months/{tree.village.pk}/")
    assert lines["正式党员7人以上而未设支部委员会的党支部"].count == 1
    assert lines["正式党员不足7人却设有支委委员的党支部"].count == 0
    assert {i.label: i.count for i in todo.lines(people.dept_a, tree.branch_a, today)}["连续六个月未参加组织生活的党员"] == 1
