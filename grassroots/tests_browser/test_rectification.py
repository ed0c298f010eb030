"""软弱涣散党组织整顿 as people use it: the district (武进区委组织部) starts the year's screening and sees the village
proposed with its evidence; the township (湖塘镇) takes it off and puts it back with reasons; the district confirms
the list; the township names the contact leader and the assisting unit, sends a first secretary and adds a measure;
the assisting unit's contact reports progress on the measure; the township signs it off, cannot detach the
assisting unit, runs the satisfaction poll (paper ballots), is refused acceptance before the poll closes, and
accepts: the case is closed (销号)."""

import datetime

import pytest
from playwright.sync_api import expect

from grassroots.ballots import services as ballots
from grassroots.conftest import make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category, Kind
from grassroots.rectification.models import Case

from .pages import follow, log_in

pytestmark = pytest.mark.browser


def submit(page, name, scope=None):
    with page.expect_navigation():
        (scope or page).get_by_role("button", name=name, exact=True).click()


def menu(page, name):
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name=name, exact=True))


def test_from_screening_to_acceptance(site, new_page, screenshot):
    t, p = site.tree, site.people
    unit = make_org(p.admin, t.district_a, "武进区农业农村局党组", "C0901", Kind.COMMITTEE, Category.AGENCY)
    make_user("town_sj", Role.SECRETARY, t.town, full_name="镇组织委员")
    make_user("bangfu", Role.ASSISTING_CONTACT, unit, full_name="帮扶联络人")
    today = datetime.date.today()

    # the district starts the screening: the village with no secretary is proposed with its evidence
    district = new_page("desktop")
    log_in(district, "wujin_zzb")
    menu(district, "摸底排查")
    district.get_by_label("年度").fill(str(today.year))
    submit(district, "开始排查（按平台数据预警）")
    candidates = district.locator("#candidates")
    expect(candidates).to_contain_text("中共新村村委员会")
    expect(candidates).to_contain_text("书记职位空缺")
    screening_url = district.url

    # the township takes it off with a reason, and puts it back
    town = new_page("phone")
    log_in(town, "town_sj")
    town.goto(screening_url)
    row = town.locator("#candidates tbody tr", has_text="中共新村村委员会")
    row.get_by_label("理由").fill("书记已物色人选")
    submit(town, "剔除", row)
    expect(town.locator("#candidates")).to_contain_text("剔除")
    expect(town.locator("#share")).to_contain_text("未达到比例")
    row = town.locator("#candidates tbody tr", has_text="中共新村村委员会")
    row.get_by_label("理由").fill("人选未到位，仍列入")
    submit(town, "重新列入", row)
    expect(town.locator("#share")).to_contain_text("已达到比例")

    # the district confirms the list: the case is opened
    district.reload()
    district.get_by_label("整顿时限").fill((today + datetime.timedelta(days=180)).isoformat())
    submit(district, "确定名单并建立整顿台账")
    expect(district.locator("#cases")).to_contain_text("中共新村村委员会")
    case = Case.objects.get(org=t.village)
    screenshot(district, "rectification-oversight")

    # the township: support, first secretary, a measure
    town.goto(f"/rectification/case/{case.pk}/")
    expect(town.locator("#obligations")).to_contain_text("限期配齐书记或选派第一书记")
    town.get_by_label("县级联系领导").fill("王副区长")
    town.get_by_label("帮扶单位").select_option(label="武进区农业农村局党组")
    submit(town, "保存")
    expect(town.locator("#support")).to_contain_text("武进区农业农村局党组")
    town.locator("#station-form").get_by_label("类别").select_option("first_secretary")
    town.locator("#station-form").get_by_label("姓名（工作队名称）").fill("李志强")
    submit(town, "选派")
    expect(town.locator("#obligations")).to_contain_text("已落实")
    town.get_by_label("整改措施").fill("发展村级集体经济项目")
    town.get_by_label("完成时限").fill((today + datetime.timedelta(days=60)).isoformat())
    town.get_by_label("责任人").fill("张海")
    submit(town, "增加")
    expect(town.locator(".tracking-list")).to_contain_text("发展村级集体经济项目")

    # the assisting unit's contact sees the case and reports progress
    helper = new_page("desktop")
    log_in(helper, "bangfu")
    menu(helper, "软弱涣散整顿")
    follow(helper, helper.get_by_role("link", name="中共新村村委员会"))
    follow(helper, helper.get_by_role("link", name="发展村级集体经济项目"))
    helper.get_by_label("完成进度（%）").fill("100")
    helper.get_by_label("报送日期").fill(today.isoformat())
    helper.get_by_label("进展情况").fill("合作社已投产")
    submit(helper, "报送")
    submit(helper, "报请验收")

    # the township signs it off; it cannot detach the assisting unit; poll with paper ballots; accept
    town.goto(f"/rectification/case/{case.pk}/")
    follow(town, town.get_by_role("link", name="发展村级集体经济项目"))
    submit(town, "签字办结")
    town.goto(f"/rectification/case/{case.pk}/")
    expect(town.locator("#percent")).to_have_text("100.0%")
    town.get_by_label("帮扶单位").select_option("")
    submit(town, "保存")
    expect(town.locator(".messages")).to_contain_text("帮扶单位不得脱钩")
    submit(town, "验收")
    expect(town.locator(".messages")).to_contain_text("未经群众满意度测评")
    town.get_by_label("群众纸质票（份）").fill("10")
    submit(town, "发起满意度测评")
    expect(town.locator("#stage")).to_have_text("满意度测评中")
    submit(town, "验收")
    expect(town.locator(".messages")).to_contain_text("尚未截止")
    acceptance = case.acceptances.get()
    ballots.enter_paper_counts(p.dept_a, acceptance.round, "masses", {"case": {"satisfied": 6, "basically_satisfied": 2, "dissatisfied": 2}})
    submit(town, "截止测评")
    submit(town, "验收")
    expect(town.locator(".messages")).to_contain_text("验收通过")
    expect(town.locator("#stage")).to_have_text("已销号")
    expect(town.locator("#timeline")).to_contain_text("验收销号")
    screenshot(town, "rectification-case-closed-phone")
