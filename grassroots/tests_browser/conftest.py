"""Fixtures for the Playwright browser tests (Debian's chromium, headless, against pytest-django's live_server).

Every page a test opens records each request it makes; a test fails in teardown if any request went
anywhere but the live server (no CDN, no fonts, no telemetry). Non-local requests are also aborted, so
nothing leaves the machine even when that check fails.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
DEVICES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}
# Long enough for a busy shared 2-core CI machine (a first page imports every app); a waiting test is no slower
# when the page is quick, and speed belongs in bench/.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and item.get_closest_marker("browser") is None:
            raise pytest.UsageError(f"{item.nodeid}: every browser test must be marked @pytest.mark.browser")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is not installed: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def site(transactional_db, live_server, tree, people, members):
    """The shared organization tree, accounts and members, committed so the live server sees them."""
    from types import SimpleNamespace

    return SimpleNamespace(url=live_server.url, tree=tree, people=people, members=members)


def _origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


@pytest.fixture
def request_log(live_server):
    """Every URL requested by the pages of the test, and the ones that did not go to the live server."""
    from types import SimpleNamespace

    log = SimpleNamespace(urls=[], foreign=[], server=_origin(live_server.url))

    def is_local(url):
        return urlsplit(url).scheme in LOCAL_SCHEMES or _origin(url) == log.server

    log.is_local = is_local
    yield log
    assert log.foreign == [], f"requests left the live server: {log.foreign}"


@pytest.fixture
def new_page(browser, live_server, request_log):
    """new_page("phone"|"desktop", **context options) → a Page in a fresh context (own cookies), closed after the test.
    Options go to the browser context: java_script_enabled=False (pages that must work without scripts),
    bypass_csp=True (to inject axe-core, see pages.axe_violations)."""
    contexts = []

    def record(request):
        request_log.urls.append(request.url)
        if not request_log.is_local(request.url):
            request_log.foreign.append(request.url)

    def guard(route):
        if request_log.is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def make(device="desktop", **options):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **DEVICES[device], **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", record)
        context.route(re.compile(r".*"), guard)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page in a fresh browser context."""
    return new_page("desktop")


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
