"""Talks as a branch secretary uses them: open the worklist from the menu, register a talk with a member
it lists (the reason comes pre-ticked), and see the member leave the worklist; on a phone as well."""

import pytest
from playwright.sync_api import expect

from grassroots.talks.models import Talk

from .pages import SIDEWAYS_OVERFLOW, follow, log_in

pytestmark = pytest.mark.browser


def test_worklist_to_talk(site, page):
    log_in(page, "branch_a")
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="谈心谈话", exact=True))
    follow(page, page.get_by_role("link", name="工作清单"))
    row = page.locator("tbody tr", has=page.get_by_role("link", name="张三", exact=True))
    expect(row).to_contain_text("连续六个月未参加组织生活")
    follow(page, row.get_by_role("link", name="登记谈话"))
    expect(page.get_by_label("连续六个月未参加组织生活")).to_be_checked()
    page.get_by_label("谈话主题").fill("了解未参加组织生活的原因")
    page.get_by_label("谈话内容摘要").fill("外出务工，已说明情况")
    page.get_by_label("后续措施").fill("下月主题党日前再联系")
    follow(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("已登记与张三的谈心谈话")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("下月主题党日前再联系")
    talk = Talk.objects.get()
    assert talk.reasons == ["no_orglife"] and talk.follow_up_due is not None
    page.goto("/talks/worklist/")
    expect(page.locator("tbody")).not_to_contain_text("张三")
    expect(page.locator("tbody")).to_contain_text("李四")


def test_worklist_fits_a_phone(site, new_page):
    page = new_page("phone")
    log_in(page, "branch_a")
    page.goto("/talks/worklist/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("谈心谈话工作清单")
    assert page.evaluate(SIDEWAYS_OVERFLOW) <= 1
