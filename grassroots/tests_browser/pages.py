"""What a person does on the pages, as small helpers shared by the browser tests."""

import re
from pathlib import Path

from playwright.sync_api import expect

from grassroots.conftest import PASSWORD
from grassroots.orgs.models import Organization

CJK = re.compile(r"[\u4e00-\u9fff]")
# How many CSS pixels the page is wider than the screen. Mobile Chrome zooms out to fit wide content, so
# window.innerWidth grows with the page: compare with the layout viewport (clientWidth) as well.
SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - Math.min(window.innerWidth, document.documentElement.clientWidth)"


def follow(page, link):
    """Click a link and wait until the new page has loaded (htmx binds its triggers on DOMContentLoaded:
    typing or clicking earlier would be lost)."""
    with page.expect_navigation():
        link.click()


def menu_link(page, name, device="desktop"):
    """Follow a side-menu link; on a phone the menu has to be opened with ☰ first, and the link's section unfolded
    (on a phone only the current page's section stays open)."""
    nav = page.get_by_role("navigation", name="主菜单")
    link = nav.get_by_role("link", name=name, exact=True)
    if device == "phone":
        page.get_by_role("button", name="菜单").tap()
        section = nav.locator("details.menu-section", has=page.locator(f"a:text-is(\"{name}\")"))
        if section.count() and section.get_attribute("open") is None:
            section.locator("summary").tap()
    follow(page, link)


def log_in(page, username, password=PASSWORD):
    """Fill in and submit the login form the way a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():  # waits for the load event of the page the form leads to
        page.get_by_role("button", name="登录").click()


def tree_node(page, name):
    return page.get_by_role("tree").locator(".tree-node", has=page.get_by_role("link", name=name, exact=True)).last


def expand(page, name):
    """Click the ▸ expander of a node and wait for its children to arrive through htmx."""
    node = tree_node(page, name)
    org = Organization.objects.get(name=name)
    button = node.locator(":scope > .tree-row .expander")
    expect(button).to_have_attribute("aria-label", f"展开 {name}")
    expect(button).to_have_text("▸")
    expect(node).to_have_attribute("aria-expanded", "false")
    with page.expect_response(lambda r: r.url.endswith(f"/orgs/{org.pk}/children/") and r.status == 200):
        button.click()
    expect(node).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_text("▾")
    expect(button).to_have_attribute("aria-label", f"收起 {name}")
    return node


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page):
    """axe-core's serious and critical violations on the page, as (rule, impact, first targets); the page's context
    needs bypass_csp=True so the checker can be injected."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
