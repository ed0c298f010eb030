"""基础保障 yearly check as people use it: the district has entered its standards and deployed the check; the village
secretary, on a phone, finds the village's report from the menu, fills in the figures, uploads the evidence and
submits; the town's secretary verifies it against the standards, and each shortfall becomes a dated task of the
tracking engine; the district's organization department sees the village and the money gap on the dashboard."""

import datetime
import tempfile

import pytest
from playwright.sync_api import expect

from grassroots.conftest import make_user
from grassroots.core.roles import Role
from grassroots.guarantees import services
from grassroots.guarantees.models import Report
from grassroots.tracking.models import Task

from .pages import SIDEWAYS_OVERFLOW, follow, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


def phone_menu_link(page, name):
    """On a phone: open the menu (☰), unfold the folded section that holds the link, as a person taps it, and follow."""
    nav = page.get_by_role("navigation", name="主菜单")
    page.get_by_role("button", name="菜单").tap()
    section = nav.locator("details.menu-section", has=page.locator(f"a:text-is(\"{name}\")"))
    if section.count() and section.get_attribute("open") is None:
        section.locator("summary").tap()
    follow(page, nav.get_by_role("link", name=name, exact=True))


def test_yearly_check_from_village_report_to_dashboard_gap(site, new_page):
    t, p = site.tree, site.people
    village_sj = make_user("village_sj", Role.SECRETARY, t.village, full_name="村书记")
    make_user("town_sj", Role.SECRETARY, t.town, full_name="镇书记")
    on = datetime.date(2026, 1, 1)
    services.add_standard(p.dept_a, t.district_a, item="work_funds", applies_to="rural", valid_from=on, floor="100000", source="武组〔2026〕5号")
    services.add_standard(p.dept_a, t.district_a, item="secretary_pay", applies_to="rural", valid_from=on, ratio="2", base="46300")
    services.add_standard(p.dept_a, t.district_a, item="pension", applies_to="rural", valid_from=on)
    campaign = services.open_campaign(p.dept_a, t.district_a, year=2026, due_on=datetime.date(2026, 12, 20))
    report = campaign.reports.get(org=t.village)
    assert village_sj

    phone = new_page("phone")
    log_in(phone, "village_sj")
    phone_menu_link(phone, "保障核查填报")
    follow(phone, phone.get_by_role("link", name=f"{t.village.name}（2026年，填报中）"))
    phone.get_by_label("村（社区）工作经费列入财政预算").fill("90000")
    phone.get_by_label("村党组织书记报酬（对照上年度当地农村居民人均可支配收入）").fill("86000")
    phone.get_by_label("党群服务中心（活动场所）面积").fill("460")
    phone.get_by_label("服务群众专项经费").fill("50000")
    phone.get_by_label("县级留存党费下拨村（社区）比例").fill("60")
    for label, value in (("养老保险", "有"), ("医疗保险", "有"), ("活动场所设施齐全", "有")):
        phone.get_by_label(label, exact=True).select_option(label=value)
    follow(phone, phone.get_by_role("button", name="报送乡镇核实"))
    expect(phone.get_by_text("请上传佐证材料")).to_be_visible()  # refused: nothing submitted without evidence
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(b"%PDF-1.4\n%demo\n%%EOF\n")
        pdf.flush()
        phone.get_by_label("上传佐证（文件、照片）").set_input_files(pdf.name)
        follow(phone, phone.get_by_role("button", name="报送乡镇核实"))
    expect(phone.get_by_text("已报送乡镇核实")).to_be_visible()
    expect(phone.locator(".tag", has_text="待乡镇核实")).to_be_visible()
    assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 1

    town = new_page("desktop")
    log_in(town, "town_sj")
    town_menu = town.get_by_role("navigation", name="主菜单")
    follow(town, town_menu.get_by_role("link", name="保障核查填报"))
    follow(town, town.get_by_role("link", name=campaign.title))
    follow(town, town.get_by_role("link", name=t.village.name))
    follow(town, town.get_by_role("button", name="核实（对照标准）"))
    expect(town.locator(".tag", has_text="已核实")).to_be_visible()
    expect(town.get_by_text("未达标 2 项，资金缺口 16600.00 元")).to_be_visible()  # funds 100,000 − 90,000 and pay 2 × 46,300 − 86,000
    row = town.locator("tbody tr", has_text="村（社区）工作经费列入财政预算")
    expect(row).to_contain_text("未达标")
    follow(town, row.get_by_role("link"))
    expect(town.get_by_role("heading", level=1)).to_contain_text("落实村（社区）工作经费列入财政预算")

    tasks = Task.objects.filter(task_list=Report.objects.get(pk=report.pk).task_list)
    assert tasks.count() == 2 and {t_.assignee_org_id for t_ in tasks} == {t.village.pk}

    dept = new_page("desktop")
    log_in(dept, "wujin_zzb")
    follow(dept, dept.get_by_role("navigation", name="主菜单").get_by_role("link", name="基础保障落实"))
    expect(dept.get_by_text("资金缺口合计")).to_contain_text("16600.00")
    expect(dept.get_by_role("link", name=t.village.name)).to_be_visible()
    expect(dept.locator("#chart-guarantees-orgs canvas")).to_have_count(1)
