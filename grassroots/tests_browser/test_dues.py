"""Party dues as a branch secretary uses them: declare a member's base, collect the month from the menu (a bad
amount is refused and nothing is saved), then see the payment in the yearly ledger and its Excel export."""

import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.dues import rules
from grassroots.dues.models import DuesPayment

from .pages import SIDEWAYS_OVERFLOW, follow, log_in


@pytest.mark.browser
def test_secretary_collects_dues_and_sees_the_ledger(site, new_page, screenshot):
    a1 = site.members.a1
    branch = site.tree.branch_a
    today = timezone.localdate()
    month = rules.month_start(today)
    page = new_page("desktop")
    log_in(page, site.people.secretary_a.username)
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="党费收缴", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"一支部 {month.year}年{month.month}月党费收缴")
    row = page.locator(f"tr[data-member='{a1.pk}']")
    expect(row).to_contain_text("未申报党费基数")

    # declare 张三's base: 5000.01 yuan employed -> 1.5 % = 75.00 a month
    follow(page, row.get_by_role("link", name="核定"))
    page.get_by_label("交纳类别").select_option(label="在职党员（按工资收入）")
    page.get_by_label("月计算基数（元）").fill("5000.01")
    with page.expect_navigation():
        page.get_by_role("button", name="核定").click()
    expect(page.get_by_role("status")).to_contain_text("每月交纳党费 75.00 元")
    follow(page, page.get_by_role("link", name="一支部党费收缴"))

    row = page.locator(f"tr[data-member='{a1.pk}']")
    expect(row.locator("td").nth(2)).to_have_text("75.00")
    row.get_by_label("张三 实交金额").fill("70")  # less than due: refused, nothing saved
    with page.expect_navigation():
        page.get_by_role("button", name="保存本月收缴记录").click()
    expect(page.get_by_role("alert").first).to_contain_text("未保存任何记录")
    expect(page.locator(f"tr[data-member='{a1.pk}']")).to_contain_text("实交金额少于应交金额 75.00 元")
    assert not DuesPayment.objects.filter(paid_on__isnull=False).exists()

    row = page.locator(f"tr[data-member='{a1.pk}']")
    row.get_by_label("张三 实交金额").fill("75")
    row.get_by_label("张三 交纳方式").select_option(label="银行转账")
    row.get_by_label("张三 收据号").fill("NO.0001")
    with page.expect_navigation():
        page.get_by_role("button", name="保存本月收缴记录").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    expect(page.locator(f"tr[data-member='{a1.pk}']")).to_contain_text("已交")
    screenshot(page, "desktop-dues-collect")

    follow(page, page.get_by_role("link", name="收缴台账"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{branch.name} {month.year} 年党费收缴台账")
    ledger_row = page.locator("table.ledger-grid tbody tr", has_text="张三")
    expect(ledger_row.locator("td").nth(1 + month.month)).to_have_text("75.00")
    screenshot(page, "desktop-dues-ledger")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.values)
    assert rows[1][1] == "张三" and rows[1][2 + month.month] == 75
    assert page.errors == []

    # the village's roll-up: 一支部 paid in full, its chart drawn
    dept = new_page("desktop")
    log_in(dept, site.people.dept_a.username)
    dept.goto(f"/dues/org/{site.tree.village.pk}/?year={month.year}")
    expect(dept.locator("[data-paid]")).to_have_text("75.00")
    expect(dept.locator("table.table tbody tr", has_text="一支部")).to_contain_text("100%")
    expect(dept.locator("#dues-monthly-chart canvas")).to_have_count(1)
    screenshot(dept, "desktop-dues-summary")
    assert dept.errors == []

    phone = new_page("phone")
    log_in(phone, site.people.secretary_a.username)
    phone.goto(f"/dues/branch/{branch.pk}/collect/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(re.compile("党费收缴"))
    screenshot(phone, "phone-dues-collect")
    assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 1, "the collection page scrolls sideways on a phone"
