"""双报到 from registration to the unit's feedback: the member registers on a phone, the community desk confirms
(the unit gets the receipt), publishes a post with a slot, the member claims it, the desk records the hours and
evaluates the member, the branch secretary reads the evaluation on the unit's page, and the member sees the
evaluation and the points the confirmed hours earned."""

import datetime
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.conftest import make_org, make_user
from grassroots.core.models import Notification
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category
from grassroots.volunteering.models import Claim, Evaluation, Registration, ServiceCategory, ServiceLog

from .pages import SIDEWAYS_OVERFLOW, follow, log_in

pytestmark = pytest.mark.browser


def warm_up(url):
    """The live server's first request imports every app's URLs and views (seconds on a busy machine): make it before
    the browser's first page, whose load must come within the page timeout."""
    with urllib.request.urlopen(f"{url}/accounts/login/", timeout=120) as reply:
        assert reply.status == 200


def test_registration_to_unit_feedback(site, new_page):
    community = make_org(site.people.admin, site.tree.town, "湖塘镇清和社区党委", "C0901", category=Category.COMMUNITY, kind="committee")
    make_user("qinghe_desk", Role.COMMUNITY_DESK, community)
    # The categories are seeded by a migration; a transactional test before this one flushed them.
    ServiceCategory.objects.get_or_create(name="环境整治", defaults={"order": 1})

    warm_up(site.url)
    phone = new_page("phone")
    log_in(phone, "member_a")
    phone.goto("/volunteering/")
    phone.get_by_label("报到社区").select_option(label="湖塘镇清和社区党委")
    phone.get_by_label("报到方式").select_option(label="居住地社区")
    phone.get_by_label("公开承诺").fill("每月参加一次社区服务")
    follow(phone, phone.get_by_role("button", name="提交报到"))
    expect(phone.get_by_text("已提交报到，待社区确认")).to_be_visible()
    assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 1

    desk = new_page("desktop")
    log_in(desk, "qinghe_desk")
    follow(desk, desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="社区报到台"))
    row = desk.locator("#pending tbody tr", has_text="张三")
    follow(desk, row.get_by_role("button", name="确认并回执"))
    expect(desk.get_by_text("回执已发送报到单位")).to_be_visible()
    assert Registration.objects.get().state == "confirmed"
    assert Notification.objects.filter(recipient=site.people.secretary_a, title__startswith="报到回执").exists()

    form = desk.locator("#post-form")
    form.get_by_label("岗位名称").fill("垃圾分类督导")
    form.get_by_label("地点").fill("小区东门")
    follow(desk, form.get_by_role("button", name="发布岗位"))
    start = timezone.localtime() + datetime.timedelta(days=3)
    post_row = desk.locator("#posts tbody tr", has_text="垃圾分类督导")
    post_row.get_by_label("开始").fill(start.strftime("%Y-%m-%dT09:00"))
    post_row.get_by_label("结束").fill(start.strftime("%Y-%m-%dT11:00"))
    post_row.get_by_label("人数").fill("2")
    follow(desk, post_row.get_by_role("button", name="添加"))
    expect(desk.locator("#posts")).to_contain_text("（0/2）")

    phone.goto("/volunteering/")
    follow(phone, phone.get_by_role("button", name="认领"))
    expect(phone.get_by_text("认领成功")).to_be_visible()
    assert Claim.objects.filter(state="active").count() == 1

    member_row = desk.locator("#registered tbody tr", has_text="张三")
    member_row.get_by_label("日期").fill(timezone.localdate().isoformat())
    member_row.get_by_label("时长").fill("2.5")
    member_row.get_by_label("内容").fill("垃圾分类督导")
    follow(desk, member_row.get_by_role("button", name="登记"))
    expect(desk.get_by_text("已登记服务时长")).to_be_visible()
    member_row = desk.locator("#registered tbody tr", has_text="张三")
    member_row.get_by_label("评价", exact=True).select_option(label="优秀")
    member_row.get_by_label("评语").fill("服务积极")
    follow(desk, member_row.get_by_role("button", name="反馈单位"))
    expect(desk.get_by_text("评价已反馈至报到单位")).to_be_visible()
    assert ServiceLog.objects.get().state == "confirmed" and Evaluation.objects.get().grade == "excellent"

    unit = new_page("desktop")
    log_in(unit, "branch_a")
    follow(unit, unit.get_by_role("navigation", name="主菜单").get_by_role("link", name="单位报到与反馈"))
    feedback = unit.locator("#feedback tbody tr", has_text="张三")
    expect(feedback).to_contain_text("优秀")
    expect(feedback).to_contain_text("服务积极")
    follow(unit, unit.locator("tbody tr", has_text="湖塘镇清和社区党委").get_by_role("link", name="张三"))
    expect(unit.locator("#statement-total")).to_have_text("2.5")

    phone.goto("/volunteering/")
    expect(phone.locator("body")).to_contain_text("服务积极")
    expect(phone.locator("tbody tr", has_text="垃圾分类督导").last).to_contain_text("3 分")  # 2.5 hours, one point an hour, rounded up
    follow(phone, phone.get_by_role("link", name="查看我的积分"))
    expect(phone.locator("tbody tr", has_text="社区服务记录")).to_contain_text("2.5 小时")
    assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 1
