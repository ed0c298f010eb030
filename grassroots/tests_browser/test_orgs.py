"""The organization tree, an organization's page, editing it, live search and the limits of a role's scope."""

import re

import pytest
from playwright.sync_api import expect

from grassroots.core.models import AuditLog
from grassroots.orgs.models import Organization

from .pages import CJK, expand, follow, log_in, tree_node


def open_detail(page, org):
    page.goto(f"/orgs/{org.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(org.name)


@pytest.mark.browser
def test_browse_tree_to_a_branch(site, page, screenshot):
    log_in(page, site.people.dept_a.username)
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="党组织体系"))
    expect(page).to_have_url(f"{site.url}/orgs/")
    tree = page.get_by_role("tree")
    roots = tree.locator(":scope > .tree-node")
    expect(roots).to_have_count(1)
    root = roots.first
    expect(root.locator(":scope > .tree-row")).to_contain_text("中共常州市武进区委员会")
    expect(root.locator(":scope > .tree-row .count")).to_have_text("3 人")
    # The only root comes opened on its first level; everything deeper waits until it is expanded.
    expect(root).to_have_attribute("aria-expanded", "true")
    expect(tree.get_by_role("link", name="中共湖塘镇委员会")).to_be_visible()
    expect(tree.get_by_role("link", name="中共新村村委员会")).to_have_count(0)
    branch_a = tree.get_by_role("link", name="新村第一党支部", exact=True)
    expect(branch_a).to_have_count(0)

    expand(page, "中共湖塘镇委员会")
    village = expand(page, "中共新村村委员会")
    expect(branch_a).to_be_visible()
    expect(tree.get_by_role("link", name="新村第二党支部", exact=True)).to_be_visible()
    row_a = tree.locator(".tree-row", has=page.get_by_role("link", name="新村第一党支部", exact=True))
    expect(row_a.locator(".tag")).to_have_text("党支部")
    expect(row_a.locator(".count")).to_have_text("2 人")
    expect(tree.get_by_text("新村第一党支部第一党小组")).to_have_count(0)  # grandchildren wait until expanded

    # Collapsing hides the loaded children; opening again shows them without asking the server twice.
    requests = []
    page.on("request", lambda r: "/children/" in r.url and requests.append(r.url))
    toggle = village.locator(":scope > .tree-row .expander")
    expect(toggle).to_have_attribute("aria-label", "收起 中共新村村委员会")
    toggle.click()
    expect(village).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-label", "展开 中共新村村委员会")
    expect(branch_a).to_be_hidden()
    toggle.click()
    expect(branch_a).to_be_visible()
    assert requests == []

    expand(page, "新村第一党支部")
    expect(tree.get_by_role("link", name="新村第一党支部第一党小组")).to_be_visible()
    screenshot(page, "desktop-tree-expanded")

    branch_a.click()
    expect(page).to_have_url(f"{site.url}/orgs/{site.tree.branch_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新村第一党支部")
    # 张三 in the branch, 李四 (probationary, born 2000) in its group.
    expected = {"total": "2", "probationary": "1", "full": "1", "female": "1", "minority": "0", "under_35": "1"}
    for key, value in expected.items():
        expect(page.locator(f".stats [data-count={key}]")).to_have_text(value)
    children = page.locator("section.card", has=page.get_by_role("heading", name="直属下级组织（1）"))
    row = children.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(["新村第一党支部第一党小组", "党小组", "1", "1", "0", "0", "1", "正常"])
    expect(page.get_by_role("navigation", name="上级组织")).to_have_text("党组织体系 / 武进区委 / 湖塘镇党委 / 新村党委")
    assert page.errors == []


@pytest.mark.browser
def test_edit_address_shows_in_page_and_history(site, page, screenshot):
    branch = site.tree.branch_a
    Organization.objects.filter(pk=branch.pk).update(address="新村路 1 号")
    log_in(page, site.people.dept_a.username)
    open_detail(page, branch)
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page).to_have_url(f"{site.url}/orgs/{branch.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("编辑：新村第一党支部")
    address = page.get_by_label("地址", exact=True)
    expect(address).to_have_value("新村路 1 号")
    address.fill("新村路 8 号（村委会二楼）")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{site.url}/orgs/{branch.pk}/")
    expect(page.get_by_role("status")).to_have_text("已保存修改")
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:text-is('地址') + dd")).to_have_text("新村路 8 号（村委会二楼）")
    history = page.locator("section.card", has=page.get_by_role("heading", name="变更历史"))
    latest = history.locator("tbody tr").first
    expect(latest.locator("td[data-label=操作]")).to_have_text("修改")
    expect(latest.locator("td[data-label=操作人]")).to_have_text(site.people.dept_a.username)
    expect(latest.locator(".change del")).to_have_text("新村路 1 号")
    expect(latest.locator(".change ins")).to_have_text("新村路 8 号（村委会二楼）")
    expect(latest.locator(".change")).to_have_count(1)  # only the address changed
    expect(latest.locator(".change b")).to_have_text("地址")  # the field's Chinese name, not `address`
    creation = history.locator("tbody tr").last  # the 新建 row shows choice labels, not stored codes
    expect(creation.locator("td[data-label=操作]")).to_have_text("新建")
    expect(creation.locator(".change", has_text="组织类别")).to_contain_text("党支部")
    expect(creation.locator(".change", has_text="所在单位类别")).to_contain_text("农村")
    expect(creation.locator("td[data-label=变更]")).not_to_contain_text(re.compile(r"\b(branch|rural|True|short_name)\b"))
    screenshot(page, "desktop-org-edited")
    assert Organization.objects.get(pk=branch.pk).address == "新村路 8 号（村委会二楼）"


@pytest.mark.browser
def test_empty_name_is_refused_in_chinese(site, page, screenshot):
    branch = site.tree.branch_a
    before = Organization.objects.filter(pk=branch.pk).values().get()
    log_in(page, site.people.dept_a.username)
    page.goto(f"/orgs/{branch.pk}/edit/")
    page.get_by_label("名称", exact=True).fill("")
    page.get_by_label("地址", exact=True).fill("不应保存的地址")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{site.url}/orgs/{branch.pk}/edit/")  # the form comes back, no redirect
    broken = page.locator(".field.has-error")
    expect(broken).to_have_count(1)
    expect(broken.locator("label")).to_have_text("名称")
    error = broken.get_by_role("alert")
    expect(error).to_have_count(1)
    text = error.inner_text()
    assert CJK.search(text) and not re.search(r"[A-Za-z]", text), text
    expect(page.get_by_label("地址", exact=True)).to_have_value("不应保存的地址")  # what was typed is kept
    expect(page.get_by_role("status")).to_have_count(0)
    screenshot(page, "desktop-org-edit-error")

    assert Organization.objects.filter(pk=branch.pk).values().get() == before
    assert not AuditLog.objects.for_object(branch).filter(action=AuditLog.Action.UPDATE).exists()


@pytest.mark.browser
def test_live_search_by_pinyin_initials(site, page, screenshot):
    log_in(page, site.people.dept_a.username)
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="查找党组织"))
    expect(page).to_have_url(f"{site.url}/orgs/search/")
    page.evaluate("window.__samePage = true")
    box = page.get_by_role("searchbox", name="查找党组织")
    expect(box).to_be_focused()
    with page.expect_response(lambda r: "/orgs/search/?q=xcdedzb" in r.url and r.request.headers.get("hx-request") == "true"):
        box.press_sequentially("xcdedzb", delay=20)
    results = page.locator("#search-results .results > li")
    # Initials that start with xcdedzb: the branch and its own group (新村第二党支部第一党小组 = xcdedzbdydxz).
    expect(results.get_by_role("link")).to_have_text(["新村第二党支部", "新村第二党支部第一党小组"])
    expect(results.first.locator("code")).to_have_text("C0402")
    expect(page.locator("#search-results")).not_to_contain_text("新村第一党支部")
    assert page.evaluate("window.__samePage") is True  # htmx swapped the results, no page load
    expect(page).to_have_url(f"{site.url}/orgs/search/?q=xcdedzb")  # hx-push-url keeps it bookmarkable
    screenshot(page, "desktop-search-pinyin")

    box.fill("")
    box.press_sequentially("tn", delay=20)  # 天宁 is outside 武进
    expect(page.locator("#search-results")).to_contain_text("没有找到“tn”")

    page.goto("/orgs/search/?q=xcdedzb")  # and the pushed URL renders the same on its own
    expect(results.get_by_role("link")).to_have_text(["新村第二党支部", "新村第二党支部第一党小组"])


@pytest.mark.browser
def test_secretary_sees_only_own_branch(site, page, screenshot):
    log_in(page, site.people.secretary_a.username)
    page.goto("/orgs/")
    tree = page.get_by_role("tree")
    expect(tree.locator(":scope > .tree-node > .tree-row .node-name")).to_have_text(["新村第一党支部"])
    root = tree_node(page, "新村第一党支部")  # the only root, opened on its first level
    expect(root).to_have_attribute("aria-expanded", "true")
    expect(tree.get_by_role("link", name="新村第一党支部第一党小组")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("新村第二党支部")
    expect(page.locator("body")).not_to_contain_text("新村党委")
    # Nor does the live search on the tree page find it, by name or by initials.
    box = page.get_by_role("searchbox", name="查找党组织")
    for query in ("新村第二", "xcdedzb"):
        box.fill(query)
        expect(page.locator("#tree-search-results")).to_contain_text(f"没有找到“{query}”")
    box.fill("xcdydzb")  # while its own branch is found
    expect(page.locator("#tree-search-results .results > li > a")).to_have_text(["新村第一党支部", "新村第一党支部第一党小组"])

    response = page.goto(f"/orgs/{site.tree.branch_a.pk}/")
    assert response.status == 200
    response = page.goto(f"/orgs/{site.tree.branch_b.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("新村第二党支部")
    assert_error_page_in_chinese_with_menu(page)
    screenshot(page, "desktop-404")
    response = page.goto(f"/orgs/{site.tree.branch_b.pk}/children/")
    assert response.status == 404
    response = page.goto(f"/orgs/{site.tree.branch_b.pk}/edit/")
    assert response.status == 404
    response = page.goto("/accounts/users/")  # accounts are for organization departments
    assert response.status == 403
    assert_error_page_in_chinese_with_menu(page)
    screenshot(page, "desktop-403")


def assert_error_page_in_chinese_with_menu(page):
    """Not Django's bare English 'Not Found' / '403 Forbidden': a Chinese page with the menu and a way back."""
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text(CJK)
    expect(page.get_by_role("navigation", name="主菜单")).to_be_visible()
    expect(page.locator("main a[href='/']").first).to_be_visible()  # a way back home
