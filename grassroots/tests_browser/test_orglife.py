"""Organizational life as people use it: a branch secretary plans a 主题党日, records it with the roll and
confirms it; the village's compliance matrix turns the branch's month from red to green; the yearly
三会一课 ledger is exported to Excel."""

import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.members.models import Member
from grassroots.orglife.choices import AttendanceStatus, MeetingKind, MeetingState
from grassroots.orglife.models import Meeting
from grassroots.orglife.tests.factories import at, held

from .pages import follow, log_in, menu_link

RED = "rgb(254, 226, 226)"  # .cm td.missing
GREEN = "rgb(220, 252, 231)"  # .cm td.met


def past_month():
    """A month that has ended and owes only monthly requirements (no quarter or year ends in it)."""
    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    while day.month in (3, 6, 9, 12):
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return day.replace(day=15)


def roll_ready(site, day):
    """李四 (joined 2026-01-05) must be on the roll of a meeting held on `day`."""
    if site.members.a2.joined_on > day:
        Member.objects.filter(pk=site.members.a2.pk).update(joined_on=day - datetime.timedelta(days=30))


def branch_cell(page, month):
    """The cell of 一支部 for `month` in a committee's compliance matrix."""
    row = page.locator("table.cm tbody tr", has=page.get_by_role("link", name="一支部", exact=True))
    return row.locator("td[data-status]").nth(month - 1)


def open_matrix(page, org, year):
    page.goto(f"/orglife/compliance/{org.pk}/?year={year}&by=month")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year} 年组织生活落实情况：{org.short_name}")


@pytest.mark.browser
def test_plan_record_confirm_theme_day_turns_month_green(site, new_page, screenshot):
    day = past_month()
    roll_ready(site, day)
    branch, village = site.tree.branch_a, site.tree.village
    # The group meeting of that month was held already: only the 主题党日 is missing.
    held(site.tree.group_a, MeetingKind.GROUP, at(day.year, day.month, 3), present=[site.members.a2])

    dept = new_page("desktop")
    log_in(dept, site.people.dept_a.username)
    open_matrix(dept, village, day.year)
    cell = branch_cell(dept, day.month)
    expect(cell).to_have_attribute("data-status", "missing")
    expect(cell).to_have_text("1/2")
    expect(cell).to_have_css("background-color", RED)
    expect(cell).to_have_attribute("title", re.compile("缺主题党日"))
    screenshot(dept, "desktop-compliance-before")

    page = new_page("desktop")
    log_in(page, site.people.secretary_a.username)
    # 三会一课 from the menu offers no 安排会议 (see test_secretary_can_plan_from_the_menu): go through 落实情况,
    # where the red 主题党日 cell of the month leads to the branch's meetings.
    menu_link(page, "落实情况")
    expect(page).to_have_url(re.compile(rf"/orglife/compliance/{branch.pk}/$"))
    if day.year != timezone.localdate().year:
        page.goto(f"/orglife/compliance/{branch.pk}/?year={day.year}&by=month")
    theme = page.locator(f"table.cm td[data-kind={MeetingKind.THEME_DAY}]").nth(day.month - 1)
    expect(theme).to_have_attribute("data-status", "missing")
    expect(theme).to_have_text("未完成")
    follow(page, theme.get_by_role("link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("三会一课：一支部")
    expect(page.locator("table tbody")).to_contain_text("没有符合条件的会议")
    follow(page, page.get_by_role("link", name="安排会议"))
    expect(page.get_by_role("heading", level=1)).to_have_text("安排会议")
    page.get_by_label("会议类型").select_option(label="主题党日")
    page.get_by_label("会议时间").fill(f"{day.isoformat()}T19:30")
    page.get_by_label("会议地点").fill("新村党群服务中心")
    page.get_by_label("会议主题").fill("学习新修订的村规民约")
    page.get_by_label("主持人").select_option(label="张三")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("已安排会议")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^主题党日：学习新修订的村规民约\s*计划召开$"))
    meeting = Meeting.objects.get(topic="学习新修订的村规民约")
    assert meeting.state == MeetingState.PLANNED and meeting.org_id == branch.pk

    follow(page, page.get_by_role("link", name="登记会议记录"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登记会议记录")
    expect(page.get_by_label("会议时间")).to_have_value(f"{day.isoformat()}T19:30")  # carried over from the plan
    page.get_by_label("会议记录").fill("传达学习村规民约修订内容，党员逐条讨论。")
    roll = page.locator("table.roll tbody tr")
    expect(roll).to_have_count(2)
    zhang, li = roll.filter(has_text="张三"), roll.filter(has_text="李四")
    zhang.get_by_role("radio", name="出席").check()
    li.get_by_role("radio", name="请假").check()
    li.get_by_label("李四请假事由").fill("外出务工")
    screenshot(page, "desktop-meeting-roll")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("已登记会议记录")
    expect(page.locator("section.card", has_text="出席情况")).to_contain_text("应到 2 人，出席 1 人，请假 1 人，缺席 0 人")
    attendance = page.locator("section.card", has=page.get_by_role("heading", name="出席情况")).locator("tbody tr")
    expect(attendance.filter(has_text="李四").locator("td[data-label=请假事由]")).to_have_text("外出务工")

    page.once("dialog", lambda dialog: dialog.accept())  # 确认后只能说明理由更正，确定确认吗？
    with page.expect_navigation():
        page.get_by_role("button", name="确认记录").click()
    expect(page.get_by_role("status")).to_have_text("已确认会议记录")
    expect(page.get_by_role("heading", level=1).locator(".tag")).to_have_text("已确认")
    expect(page.get_by_role("link", name="更正记录")).to_be_visible()
    screenshot(page, "desktop-meeting-confirmed")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CONFIRMED
    statuses = dict(meeting.attendances.values_list("member__name", "status"))
    assert statuses == {"张三": AttendanceStatus.PRESENT, "李四": AttendanceStatus.LEAVE}
    assert meeting.attendances.get(member__name="李四").leave_reason == "外出务工"

    # The branch's own matrix shows the 主题党日 of that month held…
    menu_link(page, "落实情况")
    if day.year != timezone.localdate().year:
        page.goto(f"/orglife/compliance/{branch.pk}/?year={day.year}&by=month")
    expect(theme).to_have_attribute("data-status", "met")
    expect(theme).to_have_text("1次")

    # …and the village's matrix turns the branch's month green.
    dept.reload()
    expect(cell).to_have_attribute("data-status", "met")
    expect(cell).to_have_text("2/2")
    expect(cell).to_have_css("background-color", GREEN)
    screenshot(dept, "desktop-compliance-after")
    assert dept.errors == [] and page.errors == []


@pytest.mark.browser
def test_export_yearly_ledger(site, page):
    branch = site.tree.branch_a
    day = past_month()
    roll_ready(site, day)
    meeting = held(branch, MeetingKind.THEME_DAY, at(day.year, day.month, 15, 19, 30), state=MeetingState.CONFIRMED,
                   present=[site.members.a1], leave=[site.members.a2])
    Meeting.objects.filter(pk=meeting.pk).update(topic="学习新修订的村规民约", place="新村党群服务中心")
    held(branch, MeetingKind.LECTURE, at(day.year, day.month, 20), state=MeetingState.PLANNED)  # not held: not listed

    log_in(page, site.people.secretary_a.username)
    menu_link(page, "落实情况")
    expect(page).to_have_url(re.compile(rf"/orglife/compliance/{branch.pk}/$"))
    follow(page, page.get_by_role("link", name="三会一课台账"))
    if day.year != timezone.localdate().year:
        page.goto(f"/orglife/ledger/{branch.pk}/?year={day.year}")
    expect(page.locator("table")).to_contain_text("学习新修订的村规民约")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.startswith(f"三会一课台账-一支部-{day.year}"), download.suggested_filename
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at_header = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    header = rows[at_header]
    assert header[:6] == ["序号", "会议类型", "召开组织", "会议时间", "会议地点", "会议主题"], header
    data = [dict(zip(header, r, strict=False)) for r in rows[at_header + 1:] if any(v not in (None, "") for v in r)]
    assert len(data) == 1, data  # the planned lecture is not in the ledger
    row = data[0]
    assert row["会议类型"] == "主题党日" and row["会议主题"] == "学习新修订的村规民约"
    assert row["召开组织"] == "一支部" and row["会议地点"] == "新村党群服务中心"
    assert row["会议时间"] == f"{day.isoformat()} 19:30"
    assert (row["应到"], row["实到"], row["请假"], row["缺席"], row["状态"]) == (2, 1, 1, 0, "已确认")
    assert page.errors == []


@pytest.mark.browser
def test_secretary_can_plan_from_the_menu(site, page):
    log_in(page, site.people.secretary_a.username)
    menu_link(page, "三会一课")
    expect(page.get_by_role("link", name="安排会议")).to_be_visible(timeout=2000)
