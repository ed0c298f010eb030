"""问题线索 as people use it: a villager reports on a phone through the public page, named, and keeps the number
and query code; the district's organization department has no lead in its menu and gets nothing at the lead's
address; the district's discipline inspector (纪检) finds the lead, sees the phone masked and reveals it (audited),
verifies, concludes and publishes the 通报, which contains no reporter; the villager's look-up shows 已通报 and
links to it."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.conftest import make_user
from grassroots.core.models import AuditLog
from grassroots.core.roles import Role
from grassroots.discipline.models import Lead

from .pages import follow, log_in

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


def test_from_public_report_to_published_bulletin(site, new_page, screenshot):
    cache.clear()  # the public form's rate limit counts per address in the (per-process) cache
    make_user("jijian", Role.DISCIPLINE, site.tree.district_a, full_name="区纪委派驻纪检组")
    today = timezone.localdate()

    villager = open_page(new_page, "phone")
    villager.goto("/gongkai/jubao/")
    villager.get_by_label("被反映单位").select_option(label="中共新村村委员会")
    villager.get_by_label("问题类别").select_option(label="截留惠民资金")
    villager.get_by_label("被反映人（姓名、职务）").fill("村会计")
    villager.get_by_label("问题摘要").fill("低保金三个月未发放")
    villager.get_by_label("反映内容").fill("我家是低保户，村里三个月没有发低保金，怀疑被村会计截留。")
    villager.get_by_label("匿名举报").uncheck()
    villager.get_by_label("姓名（实名举报时填写）").fill("王秀英")
    villager.get_by_label("联系电话").fill("13912345678")
    submit(villager, "提交")
    number = villager.locator("#lead-number").inner_text()
    code = villager.locator("#lead-code").inner_text()
    lead = Lead.objects.get(number=number)
    assert "王秀英" not in lead.reporter_name_enc and "13912345678" not in lead.reporter_phone_enc
    screenshot(villager, "discipline-report-phone")

    # the organization department reads no lead
    dept = open_page(new_page, "desktop")
    log_in(dept, "wujin_zzb")
    expect(dept.get_by_role("navigation", name="主菜单").get_by_role("link", name="问题线索", exact=True)).to_have_count(0)
    assert dept.goto(f"/discipline/leads/{lead.pk}/").status == 404

    # the discipline inspector handles it
    inspector = open_page(new_page, "desktop")
    log_in(inspector, "jijian")
    follow(inspector, inspector.get_by_role("navigation", name="主菜单").get_by_role("link", name="问题线索", exact=True))
    follow(inspector, inspector.get_by_role("link", name=number))
    card = inspector.locator(".card").first
    expect(card).to_contain_text("王秀英")
    expect(card).to_contain_text("139****5678")
    expect(card).not_to_contain_text("13912345678")
    submit(inspector, "查看完整电话（记入审计）")
    expect(inspector.locator(".messages")).to_contain_text("13912345678")
    assert AuditLog.objects.filter(action=AuditLog.Action.REVEAL, note__contains=number).exists()
    inspector.get_by_label("核实情况").fill("经查，村会计挪用低保金 4,800 元属实。")
    inspector.get_by_label("核实结论").select_option(label="属实")
    inspector.get_by_label("核实日期").fill(today.isoformat())
    submit(inspector, "保存核实情况")
    expect(inspector.locator(".page-head + .card")).to_contain_text("已核实")
    inspector.get_by_label("处理结果").fill("给予村会计党内严重警告处分，资金已全部发放到户。")
    inspector.get_by_label("办结日期").fill(today.isoformat())
    submit(inspector, "办结并生成通报")
    body = inspector.get_by_label("通报内容")
    assert "王秀英" not in body.input_value() and "低保金三个月未发放" in body.input_value()
    submit(inspector, "公开通报")
    expect(inspector.locator(".page-head + .card")).to_contain_text("已通报")
    follow(inspector, inspector.get_by_role("link", name="关于中共新村村委员会截留惠民资金问题的通报"))
    expect(inspector.locator("main")).to_contain_text("党内严重警告")
    expect(inspector.locator("main")).not_to_contain_text("王秀英")

    # the villager asks with the number and the code
    villager.goto("/gongkai/jubao/chaxun/")
    villager.get_by_label("线索编号").fill(number)
    villager.get_by_label("查询码").fill(code)
    submit(villager, "查询")
    expect(villager.locator("main")).to_contain_text("已通报")
    follow(villager, villager.get_by_role("link", name="查看通报"))
    expect(villager.locator("main")).to_contain_text("经查")
    assert villager.errors == [] and inspector.errors == []
