"""The disclosure portal as people use it: a village secretary publishes a quarterly finance disclosure with a
photo; an anonymous visitor opens the village's page on a phone, asks a question, and opens the verification page
from the URL in the item's QR code. The public pages pass axe-core with no serious or critical violations and
work with JavaScript switched off."""

import re

import pytest
import segno
from playwright.sync_api import expect

from grassroots.disclosure import services
from grassroots.disclosure.models import Disclosure, Question

from .conftest import CHROMIUM_ARGS, DEVICES, TIMEOUT_MS  # noqa: F401 - the shared device sizes
from .pages import axe_violations, log_in

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


@pytest.fixture
def published(site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    t, p = site.tree, site.people
    d = services.publish_disclosure(
        p.dept_a, t.village, category="finance", title="2026年第一季度财务收支公开", body="本季度收支情况如下，欢迎村民监督。",
        period_label="2026年第一季度", period_key="2026-Q1", attachments=[SimpleUploadedFile("票据.png", PNG)],
        table=[{"item": "上级转移支付", "income": "120000", "expenditure": "0"}, {"item": "道路养护", "income": "0", "expenditure": "35600.5"}],
    )
    q = services.ask_question(d, name="村民老王", text="道路养护是哪家单位做的？", ip="1")
    services.answer_question(p.dept_a, q, answer="由镇公路站养护，合同在村委会可查阅。")
    hidden = services.ask_question(d, text="这是一条广告内容请屏蔽", ip="2")
    services.hide_question(p.dept_a, hidden, reason="广告")
    services.publish_disclosure(p.dept_a, t.village, category="resolution", title="关于村道硬化的决议", body="经村民代表会议表决通过。",
                                source_label="村道硬化工程", source_url="/gongkai/matters/1/")
    return d


def test_public_pages_pass_axe(site, published, new_page):
    org = site.tree.village
    for device in ("phone", "desktop"):
        page = new_page(device, bypass_csp=True)
        for url in ("/gongkai/", f"/gongkai/units/{org.pk}/", f"/gongkai/items/{published.pk}/", f"/gongkai/items/{published.pk}/verify/",
                    f"/gongkai/items/{published.pk}/notice/", "/gongkai/?q=xc"):
            page.goto(url)
            assert axe_violations(page) == [], f"{device} {url}"
    # A form shown with its errors is checked too.
    page.goto(f"/gongkai/items/{published.pk}/")
    page.get_by_label("您的问题").fill("短")
    with page.expect_navigation():
        page.get_by_role("button", name="提交问题").click()
    expect(page.get_by_role("alert").first).to_contain_text("问题至少 5 个字")
    assert axe_violations(page) == []


def test_portal_works_without_javascript(site, published, new_page):
    page = new_page("phone", java_script_enabled=False)
    page.goto("/gongkai/")
    page.get_by_role("searchbox").fill("xc")
    with page.expect_navigation():
        page.get_by_role("button", name="查找").click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("中共新村村委员会")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("中共新村村委员会")
    expect(page.get_by_role("link", name="村道硬化工程")).to_have_attribute("href", "/gongkai/matters/1/")
    with page.expect_navigation():
        page.get_by_role("link", name="2026年第一季度财务收支公开").click()
    expect(page.locator("table.money-table tfoot")).to_contain_text("84399.50")
    expect(page.get_by_text("由镇公路站养护")).to_be_visible()
    expect(page.get_by_text("其中已屏蔽 1 条")).to_be_visible()
    expect(page.get_by_text("广告内容请屏蔽")).to_have_count(0)
    # The page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("称呼（可不填）").fill("张大姐")
    page.get_by_label("您的问题").fill("养护合同的期限是多久？")
    with page.expect_navigation():
        page.get_by_role("button", name="提交问题").click()
    expect(page.get_by_role("status").first).to_contain_text("提问已提交")
    expect(page.locator("#questions")).to_contain_text("养护合同的期限是多久？")
    assert Question.objects.filter(name="张大姐", disclosure=published).exists()


def test_publish_then_an_anonymous_visitor_verifies_from_the_qr_code(site, new_page, tmp_path):
    org = site.tree.branch_a
    page = new_page("desktop")
    log_in(page, site.people.secretary_a.username)
    page.goto("/disclosure/")
    with page.expect_navigation():
        page.get_by_role("link", name="发布").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("发布公开内容")
    page.get_by_label("公开类别").select_option(label="村务公开")
    page.get_by_label("标题").fill("一支部2026年第一季度村务公开")
    page.get_by_label("公开内容").fill("一、完成村道修缮；二、发放慰问金。")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page.get_by_label("附件（照片或 PDF，可多选）").set_input_files(str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("status").first).to_contain_text("已加入防篡改哈希链（第 1 条）")
    d = Disclosure.objects.get(title="一支部2026年第一季度村务公开")
    assert d.org == org and d.attachments.count() == 1

    visitor = new_page("phone")
    visitor.goto(f"/gongkai/items/{d.pk}/")
    qr = visitor.get_by_role("img", name=re.compile("二维码"))
    expect(qr).to_be_visible()
    verify_url = visitor.get_by_role("link", name="打开验证页").get_attribute("href")
    absolute = site.url + verify_url
    # The QR code on the page encodes exactly this address: segno draws the same modules for it.
    drawn = qr.locator("path").get_attribute("d")
    assert drawn == re.search(r' d="([^"]+)"', segno.make(absolute, error="m").svg_inline(scale=4, omitsize=True)).group(1)
    visitor.goto(absolute)
    expect(visitor.get_by_role("status").first).to_contain_text("验证通过")
    expect(visitor.locator("dl.facts")).to_contain_text(d.hash)

    # Changed behind the platform's back: the same page now names the first broken link.
    Disclosure.objects.filter(pk=d.pk).update(body="被改过的内容")
    visitor.reload()
    expect(visitor.get_by_role("alert")).to_contain_text("验证未通过")
    expect(visitor.get_by_role("alert")).to_contain_text("第 1 条")
