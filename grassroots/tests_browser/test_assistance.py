"""驻村联户、结对帮扶 as people use it: the district's organization department sees a poor village without a pair on the
coverage page, pairs a district bureau with it from the menu, opens the pairing's task book and adds a task with a
timetable and a responsible person; the first secretary stationed in the village logs in and reports progress with a
photo; the department sees the percent on the pairing and in the 通报, and the coverage gap is closed."""

import tempfile

import pytest
from playwright.sync_api import expect

from grassroots.assistance import services
from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind

from .pages import SIDEWAYS_OVERFLOW, follow, log_in

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


def test_from_pairing_to_a_progress_report(site, new_page):
    import datetime

    t, p = site.tree, site.people
    bureau = make_org(p.admin, t.district_a, "中共武进区农业农村局党组", "C0701", Kind.COMMITTEE, Category.AGENCY)
    town_sj = make_user("town_sj", Role.SECRETARY, t.town, full_name="镇书记")
    cadre = make_user("cadre", Role.STATIONED, t.village, full_name="陈第一书记")
    services.flag_poor(p.dept_a, t.village, source="省定经济薄弱村", designated_on=datetime.date(2024, 1, 1))
    services.station(town_sj, t.village, kind="first_secretary", name="陈建华", sending_unit=bureau, started_on=datetime.date(2025, 6, 1),
                     term_years=2, user=cadre)

    page = new_page("desktop")
    log_in(page, "wujin_zzb")
    menu = page.get_by_role("navigation", name="主菜单")
    follow(page, menu.get_by_role("link", name="结对帮扶覆盖"))
    expect(page.locator("section", has_text="没有结对的贫困村").get_by_role("cell", name=t.village.name)).to_be_visible()
    follow(page, page.get_by_role("link", name="安排结对"))
    page.get_by_label("帮扶单位党组织").select_option(label=bureau.name)
    expect(page.get_by_label("结对村")).to_have_value(str(t.village.pk))
    page.get_by_label("帮扶目标").fill("发展村集体经济")
    follow(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(bureau.name)

    follow(page, page.get_by_role("button", name="建立任务书"))
    page.locator("summary", has_text="添加任务").click()
    page.get_by_label("任务内容").fill("建设村级光伏电站")
    page.get_by_label("开始日期").fill("2026-01-01")
    page.get_by_label("完成时限").fill("2027-06-30")
    page.get_by_label("责任人").fill("陈建华")
    follow(page, page.get_by_role("button", name="添加任务"))
    expect(page.get_by_role("cell", name="建设村级光伏电站")).to_be_visible()
    pairing_url = page.url

    cadre_page = new_page("phone")
    log_in(cadre_page, "cadre")
    cadre_page.goto(pairing_url)
    cadre_page.get_by_text("报送“建设村级光伏电站”的进度").click()
    cadre_page.get_by_label("完成进度（%）").fill("40")
    cadre_page.get_by_label("进展情况").fill("完成选址和备案")
    with tempfile.NamedTemporaryFile(suffix=".png") as photo:
        photo.write(PNG)
        photo.flush()
        cadre_page.get_by_label("佐证材料（照片、文件）").set_input_files(photo.name)
        follow(cadre_page, cadre_page.get_by_role("button", name="报送进度"))
    expect(cadre_page.get_by_text("已报送进度 40%")).to_be_visible()
    assert cadre_page.evaluate(SIDEWAYS_OVERFLOW) <= 1

    page.reload()
    expect(page.locator("#task-book")).to_contain_text("完成进度 40.0%")
    follow(page, menu.get_by_role("link", name="任务书通报"))
    expect(page.get_by_role("cell", name="40.0%")).to_be_visible()
    follow(page, menu.get_by_role("link", name="结对帮扶覆盖"))
    expect(page.get_by_text("贫困村和整顿村均有结对")).to_be_visible()
