"""四议两公开 as people use it: the village secretary runs a matter from the Party organization's proposal to the final
result; the supervisory committee member objects to the resolution; an anonymous visitor opens the published
resolution's public page (the QR code's URL), its verification page and then the matter's public page, where the
objection is shown until it is answered; the secretary cannot close the matter before answering it; the township
sees the matter on its oversight page."""

import datetime
import re
import tempfile

import pytest
from playwright.sync_api import expect

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.decisions import services
from grassroots.decisions.models import Matter
from grassroots.disclosure.models import Disclosure

from .pages import SIDEWAYS_OVERFLOW, axe_violations, follow, log_in

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
REPS = [f"代表{i}" for i in range(1, 16)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


@pytest.fixture
def village(site):
    t = site.tree
    secretary = make_user("village_sj", Role.SECRETARY, t.village, full_name="村书记")
    monitor = make_user("village_jw", Role.VILLAGE_MONITOR, t.village, full_name="钱监督")
    town = make_user("town_sj", Role.SECRETARY, t.town, full_name="镇书记")
    services.save_settings(secretary, t.village, {"representatives": REPS, "adults": 1000, "households": 300, "committee_members": ["周主任"]})
    for i in range(3):
        make_member(t.branch_b, f"党员乙{i}")
    return secretary, monitor, town


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def confirm_step(page, label):
    page.once("dialog", lambda dialog: dialog.accept())  # 确认后不能修改……确定确认吗？
    submit(page, f"确认{label}")
    expect(page.locator(".messages")).to_contain_text(f"{label}已确认")


def test_matter_from_proposal_to_result(site, village, new_page, screenshot):
    secretary, monitor, town = village
    page = new_page("desktop")
    log_in(page, "village_sj")
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="四议两公开", exact=True))
    follow(page, page.get_by_role("link", name="登记事项"))
    page.get_by_label("事项名称").fill("村道硬化工程")
    page.get_by_label("事项类别").select_option("welfare")
    page.get_by_label("事项内容").fill("硬化村内主干道 2 公里")
    page.get_by_label("涉及金额（元）").fill("350000")
    submit(page, "登记")
    expect(page.get_by_role("heading", level=1)).to_contain_text("村道硬化工程")
    matter = Matter.objects.get(title="村道硬化工程")

    # 1. The Party organization's proposal.
    follow(page, page.get_by_role("link", name="登记村党组织提议"))
    page.get_by_label("参加提议会议的委员").fill("村书记、副书记、组织委员")
    page.get_by_label("提议内容").fill("村党委会议研究，提议硬化村内主干道")
    submit(page, "保存")
    # Skipping is impossible: only the next step is offered, and the API refuses a skip.
    expect(page.get_by_role("link", name="登记党员大会审议")).to_have_count(0)
    confirm_step(page, "村党组织提议")

    # 2. The joint meeting of the two committees.
    follow(page, page.get_by_role("link", name="登记村“两委”联席会议商议"))
    page.get_by_label("参加联席会议的“两委”成员").fill("村书记、村主任、委员")
    page.get_by_label("商议意见（各方意见及结论）").fill("同意提交党员大会审议")
    submit(page, "保存")
    confirm_step(page, "村“两委”联席会议商议")

    # 3. The Party member assembly: the named roll and the votes.
    follow(page, page.get_by_role("link", name="登记党员大会审议"))
    for name in ["张三", "王五", "党员乙0", "党员乙1"]:
        page.get_by_label(name, exact=True).check()
    page.get_by_label("赞成票").fill("4")
    page.get_by_label("反对票").fill("0")
    page.get_by_label("弃权票").fill("0")
    page.get_by_label("审议情况").fill("党员大会审议通过")
    submit(page, "保存")
    expect(page.locator(".vote").first).to_contain_text("应到 5 人，实到 4 人")
    confirm_step(page, "党员大会审议")

    # 4. The villagers' representative meeting: 10 of 15 present is the two-thirds boundary.
    follow(page, page.get_by_role("link", name="登记村民代表会议或村民会议决议"))
    page.get_by_label("决议机构").select_option("representatives")
    page.get_by_label("到会代表（村民代表会议须与登记名单一致）").fill("、".join(REPS[:10]))
    page.get_by_label("赞成票").fill("6")
    page.get_by_label("反对票").fill("4")
    page.get_by_label("弃权票").fill("0")
    page.get_by_label("决议内容").fill("同意硬化村内主干道，预算 35 万元")
    submit(page, "保存")
    expect(page.locator(".vote").last).to_contain_text("通过")
    confirm_step(page, "村民代表会议或村民会议决议")

    # 5. The resolution is published on the portal.
    follow(page, page.get_by_role("link", name="发布决议公开"))
    expect(page.get_by_label("公开内容")).to_contain_text("赞成 6 票")
    submit(page, "发布")
    expect(page.locator(".messages")).to_contain_text("已在公开栏发布")
    resolution = Disclosure.objects.get(category="resolution")
    screenshot(page, "decisions-matter-secretary")

    # The supervisory committee member objects to the resolution.
    jw = new_page("phone")
    log_in(jw, "village_jw")
    jw.goto(f"/decisions/{matter.pk}/")
    step = jw.locator("li.step", has=jw.get_by_role("heading", name=re.compile("村民代表会议或村民会议决议")))
    follow(jw, step.get_by_role("link", name="提出监督意见"))
    jw.get_by_label("异议").check()
    jw.get_by_label("意见内容").fill("到会代表名单与签到表不一致，请核实")
    submit(jw, "提交")
    expect(jw.locator(".opinion.objection")).to_contain_text("到会代表名单与签到表不一致")
    assert jw.evaluate(SIDEWAYS_OVERFLOW) <= 1

    # An anonymous visitor scans the QR code: the resolution's public page, its verification page, then the matter.
    anon = new_page("phone", java_script_enabled=False)
    anon.goto(resolution.get_absolute_url())
    expect(anon.get_by_role("heading", level=1)).to_contain_text(resolution.title)
    follow(anon, anon.get_by_role("link", name="打开验证页"))
    expect(anon.locator("main")).to_contain_text("未被")  # the chain checks out
    anon.goto(resolution.get_absolute_url())
    follow(anon, anon.get_by_role("link", name="四议两公开事项：村道硬化工程"))
    expect(anon.get_by_role("heading", level=1)).to_have_text("村道硬化工程")
    main = anon.locator("main")
    expect(main).to_contain_text("赞成 6，反对 4，弃权 0")
    expect(main).to_contain_text("到会代表名单与签到表不一致")
    expect(main).to_contain_text("尚未答复")
    for name in ["张三", "王五", "代表1、"]:
        expect(main).not_to_contain_text(name)  # votes as counts, never the voters' names
    assert anon.evaluate(SIDEWAYS_OVERFLOW) <= 1

    # 6. Implementation updates with amounts and a photo, then the final result.
    page.reload()
    follow(page, page.get_by_role("link", name="发布实施情况公开"))
    page.get_by_label("公开内容").fill("路基完成，工程量 50%")
    page.get_by_label("本期金额（元）").fill("150000")
    with tempfile.NamedTemporaryFile(suffix=".png") as photo:
        photo.write(PNG)
        photo.flush()
        page.get_by_label("照片或 PDF").set_input_files(photo.name)
        submit(page, "发布")
    expect(page.locator(".messages")).to_contain_text("已在公开栏发布")
    assert Disclosure.objects.get(category="implementation").attachments.count() == 1
    follow(page, page.get_by_role("link", name="发布实施结果公开"))
    page.get_by_label("公开内容").fill("竣工验收合格，决算 34.6 万元")
    page.get_by_label("本期金额（元）").fill("346000")
    submit(page, "发布")
    # The open objection blocks closing until it is answered.
    submit(page, "办结")
    expect(page.locator(".messages")).to_contain_text("异议未答复")
    follow(page, page.get_by_role("link", name="答复", exact=True))
    page.get_by_label("答复").fill("经核实，签到表漏签一人，已补签")
    submit(page, "答复")
    submit(page, "办结")
    expect(page.locator(".messages")).to_contain_text("事项已办结")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已办结")

    # The township oversees: the matter appears by stage and category, with the charts drawn.
    town_page = new_page("desktop")
    log_in(town_page, "town_sj")
    follow(town_page, town_page.get_by_role("navigation", name="主菜单").get_by_role("link", name="四议两公开监督"))
    expect(town_page.get_by_role("heading", level=1)).to_contain_text("湖塘镇党委")
    expect(town_page.locator("#chart-stage canvas")).to_have_count(1)
    row = town_page.locator("table tr", has=town_page.get_by_role("rowheader", name="已办结"))
    expect(row.locator("td")).to_have_text("1")
    screenshot(town_page, "decisions-oversight-township")
    town_page.goto("/decisions/")
    expect(town_page.get_by_role("link", name="村道硬化工程")).to_be_visible()
    assert page.errors == [] and town_page.errors == [] and jw.errors == []

    # The visitor sees the answer and the final result; the public page passes axe-core.
    anon.reload()
    expect(main).to_contain_text("经核实，签到表漏签一人，已补签")
    expect(main).to_contain_text("实施结果公开")
    checker = new_page("phone", bypass_csp=True)
    for url in (f"/gongkai/matters/{matter.pk}/", f"/gongkai/matters/?org={site.tree.village.pk}"):
        checker.goto(url)
        assert axe_violations(checker) == [], url
    screenshot(anon, "decisions-public-matter-phone")
    follow(anon, anon.get_by_role("link", name="新村党委的全部“四议两公开”事项"))
    expect(anon.get_by_role("link", name="村道硬化工程")).to_be_visible()


def test_secretary_pages_pass_axe(site, village, new_page):
    """The matter page with a failed round, the step form with its errors, the village settings and oversight pages."""
    from grassroots.decisions.tests.factories import new_matter, step, to_resolution

    secretary, monitor, town = village
    voters = [m for m in services.roll_for_path(site.tree.village.path, datetime.date(2026, 3, 2)) if m.status == "full"]
    matter = new_matter(secretary, site.tree.village)
    to_resolution(secretary, matter, voters, votes_for=5)  # 5 of 10 present: fails, the village must decide
    services.decide_after_failure(secretary, matter, "new_round", "调整方案")
    step(secretary, matter, "proposal")
    page = new_page("phone", bypass_csp=True)
    log_in(page, "village_sj")
    for url in (f"/decisions/{matter.pk}/", "/decisions/", f"/decisions/villages/{site.tree.village.pk}/", f"/decisions/{matter.pk}/record/"):
        page.goto(url)
        found = axe_violations(page)
        assert found == [], (url, found)
    page.get_by_label("商议意见（各方意见及结论）").fill("x")
    submit(page, "保存")
    expect(page.get_by_role("alert").first).to_contain_text("请填写参加联席会议的“两委”成员")
    assert axe_violations(page) == []
    page = new_page("phone", bypass_csp=True)
    log_in(page, "town_sj")
    page.goto("/decisions/oversight/")
    assert axe_violations(page) == []
