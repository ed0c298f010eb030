"""通知 as people use it, from the notice to its completion table: the district (武进区委组织部) sends a notice with an
attachment and two required measures to its townships; the daily job reminds the one that has not signed (1st
reminder); the first township signs on a phone, cannot sign twice, and reports its measures back asking for
sign-off; the second signs late and reports half done; the district sees the completion table (who signed, late,
reminders, progress, feedback, chart), returns nothing, signs off the first township's measures in tracking, and
the table then counts one closed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind
from grassroots.supervision import services
from grassroots.supervision.models import Notice

from .pages import follow, log_in, menu_link

pytestmark = pytest.mark.browser


def submit(page, name, scope=None):
    with page.expect_navigation():
        (scope or page).get_by_role("button", name=name, exact=True).click()


def open_page(new_page, device):
    """A page whose navigations may take longer than the shared default on a loaded machine (2 CPUs shared by
    several test runs); what the page shows is still asserted, never how fast."""
    page = new_page(device)
    page.context.set_default_timeout(30_000)
    page.context.set_default_navigation_timeout(60_000)
    return page


def test_from_notice_to_completion_table(site, new_page, screenshot, tmp_path):
    t, p = site.tree, site.people
    other = make_org(p.admin, t.district_a, "中共牛塘镇委员会", "C0202", Kind.COMMITTEE, Category.AGENCY, short_name="牛塘镇党委")
    make_user("town_sj", Role.SECRETARY, t.town, full_name="湖塘镇组织委员")
    make_user("niutang_sj", Role.SECRETARY, other, full_name="牛塘镇组织委员")
    today = timezone.localdate()
    plan = tmp_path / "实施方案.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    # the district issues the notice: two measures, an attachment, the receipt deadline already behind
    district = open_page(new_page, "desktop")
    log_in(district, "wujin_zzb")
    menu_link(district, "通知与签收")
    follow(district, district.get_by_role("link", name="下发通知"))
    district.get_by_label("标题").fill("关于开展党支部标准化建设的通知")
    district.get_by_label("文号").fill("武组通〔2026〕12号")
    district.get_by_label("正文").fill("请各镇党委按要求开展党支部标准化建设，并及时反馈落实情况。")
    district.get_by_label("下发范围").select_option(label="直属下级党组织")
    district.get_by_label("下发日期").fill((today - datetime.timedelta(days=6)).isoformat())
    district.get_by_label("签收时限").fill((today - datetime.timedelta(days=2)).isoformat())
    district.get_by_label("要求措施（每行一条）").fill("召开党委会专题研究\n逐个支部对照标准自查")
    district.get_by_label("落实时限").fill((today + datetime.timedelta(days=30)).isoformat())
    district.get_by_label("附件").set_input_files(str(plan))
    submit(district, "下发")
    expect(district.locator(".messages")).to_contain_text("通知已下发至 2 个单位")
    receipts = district.locator("#receipts")
    expect(receipts).to_contain_text("中共湖塘镇委员会")
    expect(receipts).to_contain_text("中共牛塘镇委员会")
    expect(receipts).to_contain_text("逾期未签收")
    expect(district.get_by_role("link", name="实施方案.pdf")).to_be_visible()
    notice = Notice.objects.get()
    notice_url = f"/supervision/notices/{notice.pk}/"

    # the daily job: both receipts are two days late, each gets its first reminder (once a day only)
    assert services.send_reminders(today) == 2
    assert services.send_reminders(today) == 0

    # 湖塘镇 on a phone: the notice waits on its list; it reads the attachment, signs once, reports back
    town = open_page(new_page, "phone")
    log_in(town, "town_sj")
    menu_link(town, "通知与签收", "phone")
    follow(town, town.locator(".card", has_text="待本单位签收").get_by_role("link", name="关于开展党支部标准化建设的通知"))
    expect(town.locator("#receipts")).not_to_contain_text("中共牛塘镇委员会")
    with town.expect_download() as download:
        town.get_by_role("link", name="实施方案.pdf").click()
    assert download.value.suggested_filename == "实施方案.pdf"
    row = town.locator("#receipts tbody tr", has_text="中共湖塘镇委员会")
    expect(row).to_contain_text("1 次")
    submit(town, "签收", row)
    expect(town.locator(".messages")).to_contain_text("已签收")
    expect(row).to_contain_text("逾期签收")
    row.get_by_label("落实情况").fill("已召开党委会专题研究，12 个支部完成自查")
    row.get_by_label("进度（%）").fill("100")
    submit(town, "反馈", row)
    expect(town.locator(".messages")).to_contain_text("落实情况已反馈")
    expect(row).to_contain_text("进度 100% · 已报请验收")
    expect(row.get_by_role("button", name="签收")).to_have_count(0)  # signed once: no second 签收
    screenshot(town, "supervision-notice-phone")

    # 牛塘镇 signs and reports half of it done, without asking for sign-off yet
    niutang = open_page(new_page, "desktop")
    log_in(niutang, "niutang_sj")
    niutang.goto(notice_url)
    row = niutang.locator("#receipts tbody tr", has_text="中共牛塘镇委员会")
    submit(niutang, "签收", row)
    row.get_by_label("落实情况").fill("党委会已研究，自查进行中")
    row.get_by_label("进度（%）").fill("50")
    row.get_by_label("同时报请发文单位签字办结").uncheck()
    submit(niutang, "反馈", row)
    expect(row).to_contain_text("进度 50%")

    # the district's completion table: both signed late, both reported, none closed yet
    district.goto(notice_url)
    follow(district, district.get_by_role("link", name="落实情况表"))
    summary = district.locator("#completion-summary")
    expect(summary).to_contain_text("接收单位 2 个")
    expect(summary).to_contain_text("已签收 2（其中逾期 2）")
    expect(summary).to_contain_text("已反馈 2，已办结 0")
    table = district.locator("#completion-table")
    town_row = table.locator("tbody tr", has_text="中共湖塘镇委员会")
    expect(town_row).to_contain_text("逾期签收")
    expect(town_row).to_contain_text("100%")
    expect(town_row).to_contain_text("已报请验收")
    expect(town_row).to_contain_text("12 个支部完成自查")
    expect(town_row.locator("td[data-label='催办次数']")).to_have_text("1")
    expect(table.locator("tbody tr", has_text="中共牛塘镇委员会")).to_contain_text("50%")
    expect(district.locator("#completion-chart")).to_have_attribute("data-ready", "1")
    export = district.request.get(district.get_by_role("link", name="导出 Excel").get_attribute("href"))
    assert export.ok and export.headers["content-type"].startswith("application/vnd.openxmlformats")

    # the district signs off 湖塘镇's measures in the task list; the table counts it closed
    district.goto(notice_url)
    follow(district, district.get_by_role("link", name="进度 100% · 已报请验收"))
    submit(district, "签字办结")
    district.goto(notice_url)
    follow(district, district.get_by_role("link", name="落实情况表"))
    expect(summary).to_contain_text("已反馈 2，已办结 1")
    expect(table.locator("tbody tr", has_text="中共湖塘镇委员会")).to_contain_text("已办结")
    assert district.errors == [] and town.errors == []
    screenshot(district, "supervision-completion-table")
