"""A member opens 我的积分 on a phone, sees the points earned at a confirmed meeting and where they came from,
and proposes a service entry that the branch secretary approves."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.dues import rules
from grassroots.orglife.tests.factories import at, held
from grassroots.points import services
from grassroots.points.models import PointEntry

from .pages import SIDEWAYS_OVERFLOW, follow, log_in


@pytest.mark.browser
def test_member_sees_own_points_and_secretary_approves_a_proposal(site, new_page, screenshot):
    a1, branch = site.members.a1, site.tree.branch_a
    last = rules.last_complete_month(timezone.localdate())
    held(branch, "theme_day", at(last.year, last.month, 8), state="confirmed", present=[a1])
    services.recompute_points(branch, last.year)

    phone = new_page("phone")
    log_in(phone, site.people.member_a.username)
    phone.goto(f"/points/mine/?year={last.year}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"我的积分（{last.year} 年）")
    expect(phone.locator("[data-total]")).to_have_text("2")
    entries = phone.locator("table.points-entries")
    expect(entries).to_contain_text("主题党日：测试会议")
    expect(entries).to_contain_text("组织生活出席记录")
    assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 1
    screenshot(phone, "phone-points-mine")

    phone.goto("/points/mine/")
    phone.get_by_label("分值").fill("3")
    phone.get_by_label("事由").fill("社区敬老志愿服务")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交审核").click()
    expect(phone.get_by_role("status")).to_contain_text("待党支部审核")
    expect(phone.locator("table.points-entries")).to_contain_text("社区敬老志愿服务")

    page = new_page("desktop")
    log_in(page, site.people.secretary_a.username)
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="积分与星级", exact=True))
    pending = page.locator("tr", has_text="社区敬老志愿服务")
    with page.expect_navigation():
        pending.get_by_role("button", name="认定", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已审核")
    assert PointEntry.objects.get(description="社区敬老志愿服务").state == "approved"
    # the recompute button answers through htmx with its result
    page.get_by_role("button", name="重新计算积分").click()
    expect(page.locator("[data-recompute-result]")).to_contain_text("已重新计算")
    screenshot(page, "desktop-points-branch")
    assert page.errors == []
