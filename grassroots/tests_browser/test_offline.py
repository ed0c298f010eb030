"""Nothing the pages load comes from outside: every script, style, font and htmx call goes to our own server.

(Every other browser test checks the same in the teardown of its `request_log`; this test goes through the
pages with the most moving parts and checks the log explicitly.)"""

import pytest
from playwright.sync_api import expect

from .pages import expand, follow, log_in


@pytest.mark.browser
def test_no_request_leaves_the_machine(site, page, request_log):
    failed = []
    # ERR_ABORTED is the page's own doing (htmx drops the search for "xc" when "xcd" is typed), not a failure;
    # requests to other machines are caught by request_log, which aborts them with ERR_FAILED.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and failed.append((r.url, r.failure)))
    page.on("response", lambda r: r.status >= 400 and failed.append((r.url, r.status)))

    log_in(page, site.people.dept_a.username)
    expect(page.locator("#chart-category canvas")).to_be_visible()
    expect(page.locator("#todo")).not_to_contain_text("正在统计")  # the panel loads after the page; leaving earlier aborts it
    follow(page, page.get_by_role("link", name="党组织体系"))
    expand(page, "中共湖塘镇委员会")
    page.get_by_role("searchbox", name="查找党组织").press_sequentially("xcd", delay=20)
    expect(page.locator("#tree-search-results")).to_contain_text("新村第二党支部")
    follow(page, page.get_by_role("link", name="接口文档"))  # the OpenAPI page must not pull Swagger UI from a CDN
    page.wait_for_load_state("networkidle")

    paths = [url.removeprefix(site.url) for url in request_log.urls]
    for expected in ("/static/vendor/htmx.min.js", "/static/vendor/echarts.min.js", "/static/js/app.js", "/static/css/app.css",
                     f"/orgs/{site.tree.town.pk}/children/", "/orgs/search/?q=xcd", "/api/v1/docs"):
        assert any(p.startswith(expected) for p in paths), (expected, paths)
    assert request_log.foreign == [], request_log.foreign
    assert all(request_log.is_local(url) for url in request_log.urls)
    assert failed == []
    assert page.errors == []


@pytest.mark.browser
def test_request_guard_records_and_blocks_outside_requests(site, page, request_log):
    """The check above is only worth something if it notices an outside request: make one on purpose.
    (A fetch() would be stopped by the CSP before it is even a request, so navigate instead.)"""
    from playwright.sync_api import Error

    page.goto("/accounts/login/")
    with pytest.raises(Error, match="ERR_FAILED"):
        page.goto("https://cdn.example.com/htmx.min.js")  # aborted by the guard: never leaves the machine
    assert request_log.foreign == ["https://cdn.example.com/htmx.min.js"]
    assert request_log.urls[0] == f"{site.url}/accounts/login/"
    request_log.foreign.clear()  # seen; don't fail this test's own teardown
