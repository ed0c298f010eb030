"""The main pages at phone and desktop width: screenshots for people to look at, plus the layout checks
that a person would notice first (the phone menu, sideways scrolling, text that is not Chinese)."""

import re

import pytest
from playwright.sync_api import expect

from .pages import SIDEWAYS_OVERFLOW, expand, log_in, menu_link

CHARTS_DRAWN = """() => ["chart-category", "chart-age"].every(id => {
    const chart = window.echarts && echarts.getInstanceByDom(document.getElementById(id));
    return chart && chart.getZr().animation.isFinished();
})"""


# Whether something else is drawn over the top edge of an element (e.g. a sticky top bar over the menu).
COVERED = """e => { const r = e.getBoundingClientRect();
                     return !e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + 3)); }"""


def assert_no_sideways_scroll(page):
    """On a phone nothing may be wider than the screen."""
    overflow = page.evaluate(SIDEWAYS_OVERFLOW)
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.browser
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_main_pages(site, new_page, screenshot, device):
    page = new_page(device)
    shot = lambda name: screenshot(page, f"{device}-{name}")  # noqa: E731

    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("login")

    log_in(page, site.people.dept_a.username)
    expect(page.locator("#chart-category canvas")).to_be_visible()
    expect(page.locator("#chart-age canvas")).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN)  # the pie and the bars grow in for about a second
    shot("home")
    sidebar = page.get_by_role("navigation", name="主菜单")
    toggle = page.get_by_role("button", name="菜单")
    if device == "phone":
        assert_no_sideways_scroll(page)
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(sidebar).to_be_hidden()
        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(sidebar).to_be_visible()
        first = sidebar.get_by_role("link", name="首页")
        expect(first).to_be_in_viewport()
        assert first.evaluate(COVERED) is False, "the top bar covers the first menu item"
        # A tap leaves :hover on the button; the white ☰ must not turn into a white box.
        background, color = toggle.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
        assert background != color and background not in ("rgb(255, 255, 255)", "rgb(248, 250, 252)"), background
        shot("menu-open")
        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(sidebar).to_be_hidden()
    else:
        expect(toggle).to_be_hidden()
        expect(sidebar).to_be_in_viewport()
        assert sidebar.bounding_box()["x"] == 0

    menu_link(page, "党组织体系", device)
    expect(page).to_have_url(f"{site.url}/orgs/")
    if device == "phone":
        expect(sidebar).to_be_hidden()  # a new page starts with the menu closed
    for name in ("中共湖塘镇委员会", "中共新村村委员会", "新村第一党支部"):  # the root comes opened
        expand(page, name)
    expect(page.get_by_role("link", name="新村第一党支部第一党小组")).to_be_visible()
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("tree")

    page.get_by_role("link", name="新村第一党支部", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新村第一党支部")
    expect(page.locator(".stats [data-count=total]")).to_have_text("2")
    if device == "phone":
        # The tables are stacked into labelled cards on a phone; the history's 新建 row lists the six filled
        # fields, which must sit one under the other, not side by side.
        expect(page.locator("td[data-label=名称]").first).to_have_css("display", "flex")
        expect(page.locator("thead").first).to_be_hidden()
        changes = page.locator("table.history .change")
        expect(changes.first).to_be_visible()
        assert changes.count() >= 5
        assert len({round(box["x"]) for box in (c.bounding_box() for c in changes.all())}) == 1
        assert_no_sideways_scroll(page)
    shot("org-detail")

    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.get_by_label("名称", exact=True)).to_have_value("新村第一党支部")
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("org-edit")

    menu_link(page, "查找党组织", device)
    page.get_by_role("searchbox", name="查找党组织").press_sequentially("xc", delay=20)
    expect(page.locator("#search-results .results > li > a")).to_have_text(  # initials only: 中共新村村委员会 is zgxccwyh
        ["新村第一党支部", "新村第一党支部第一党小组", "新村第二党支部", "新村第二党支部第一党小组"]
    )
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("search")

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    log_in(page, site.people.city_dept.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("中共常州市委员会")

    menu_link(page, "审计日志", device)
    expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    rows = page.locator("table.history tbody tr")
    expect(rows.first.locator("td[data-label=操作]")).to_have_text("登录")
    expect(rows.first.locator("td[data-label=对象]")).to_contain_text(site.people.city_dept.username)
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("audit-log")

    menu_link(page, "账号与角色", device)
    expect(page.get_by_role("heading", level=1)).to_have_text("账号与角色")
    usernames = page.locator("td[data-label=用户名]")
    expect(usernames).to_contain_text(["branch_a", "branch_b", "city_zzb", "dudao", "member_a", "sysadmin", "wujin_zzb"])
    if device == "phone":
        assert_no_sideways_scroll(page)
    shot("accounts")
    assert page.errors == []
