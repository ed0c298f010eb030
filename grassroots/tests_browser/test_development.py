"""Member development as people do it: a branch secretary registers an application and records the branch's steps,
the town committee files, pre-reviews, talks and approves, until the applicant is a probationary member."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.development.models import Applicant
from grassroots.development.synthetic import SCHEDULE

from .pages import SIDEWAYS_OVERFLOW, follow, log_in


def record(page, title, day, fill=None):
    """Fill the next step's form on the applicant's page and submit it."""
    form = page.locator("form", has=page.get_by_role("heading", name=f"办理：{title}"))
    expect(form).to_be_visible()
    form.get_by_label("日期", exact=True).fill(day.isoformat())
    form.get_by_label("材料及文号").fill(f"{title}材料")
    if fill:
        fill(form)
    with page.expect_navigation():
        form.get_by_role("button", name="登记").click()
    expect(page.get_by_role("status")).to_contain_text(f"已登记“{title}”")


@pytest.mark.browser
def test_from_application_to_probationary_member(site, new_page, screenshot):
    town = make_user("town_sj", Role.SECRETARY, site.tree.town, full_name="湖塘镇党委书记")
    make_member(site.tree.branch_a, "钱七")
    applied = timezone.localdate() - datetime.timedelta(days=600)
    on = lambda code: applied + datetime.timedelta(days=SCHEDULE[code])  # noqa: E731

    branch = new_page("desktop")
    log_in(branch, site.people.secretary_a.username)
    follow(branch, branch.get_by_role("navigation", name="主菜单").get_by_role("link", name="发展党员", exact=True))
    expect(branch.get_by_role("heading", level=1)).to_have_text("发展党员：一支部")
    follow(branch, branch.get_by_role("link", name="登记入党申请"))
    branch.get_by_label("姓名").fill("周雨萱")
    branch.get_by_label("性别").select_option(label="女")
    branch.get_by_label("出生日期").fill("1999-09-09")
    branch.get_by_label("联系电话").fill("13900001111")
    branch.get_by_label("递交申请日期").fill(applied.isoformat())
    with branch.expect_navigation():
        branch.get_by_role("button", name="保存").click()
    expect(branch.get_by_role("status")).to_have_text("已登记周雨萱的入党申请")
    expect(branch.get_by_role("heading", level=1)).to_have_text(re.compile(r"周雨萱\s*入党申请人"))
    expect(branch.get_by_text("139****1111")).to_be_visible()
    detail_url = branch.url

    town_page = new_page("desktop")
    log_in(town_page, town.username)

    def higher(title, code, fill=None):
        town_page.goto(detail_url)
        record(town_page, title, on(code), fill)
        branch.reload()

    record(branch, "党组织派人谈话", on("talk"))
    record(branch, "推荐和确定入党积极分子", on("activist"))
    expect(branch.get_by_text("报上级党委备案（上级党委办理）")).to_be_visible()  # the branch cannot file it
    higher("报上级党委备案", "activist_filing")
    record(branch, "指定培养联系人", on("contacts"), lambda f: f.get_by_label("张三").check())
    record(branch, "培养教育考察（半年考察）", on("review"))
    # A candidate before a year as activist is refused on the page.
    form = branch.locator("form", has=branch.get_by_role("heading", name="办理：确定为发展对象"))
    form.get_by_label("日期", exact=True).fill((on("activist") + datetime.timedelta(days=364)).isoformat())
    with branch.expect_navigation():
        form.get_by_role("button", name="登记").click()
    expect(branch.get_by_role("alert").first).to_contain_text("满1年")
    branch.goto(detail_url)
    record(branch, "确定为发展对象", on("candidate"))
    higher("报上级党委备案", "candidate_filing")
    record(branch, "确定入党介绍人", on("sponsors"), lambda f: (f.get_by_label("张三").check(), f.get_by_label("钱七").check()))
    record(branch, "进行政治审查", on("political_review"))
    record(branch, "开展集中培训", on("training"), lambda f: f.get_by_label("培训学时").fill("24"))
    record(branch, "支部委员会审查", on("committee_review"))
    higher("上级党委预审", "prereview")
    record(branch, "填写入党志愿书", on("application_form"))

    def vote(form):
        expect(form).to_contain_text("表决名单共 2 人")
        expect(form.get_by_label("李四")).to_have_count(0)  # probationary: no vote
        form.get_by_label("张三").check()
        form.get_by_label("钱七").check()
        form.get_by_label("赞成票数").fill("2")

    record(branch, "支部党员大会讨论", on("admission_vote"), vote)
    screenshot(branch, "desktop-development-timeline")
    higher("上级党委派人谈话", "committee_talk")
    higher("上级党委审批", "approval")

    expect(branch.get_by_role("heading", level=1)).to_have_text(re.compile(r"周雨萱\s*预备党员"))
    expect(branch.get_by_role("link", name="党员档案")).to_be_visible()
    applicant = Applicant.objects.get(name="周雨萱")
    assert applicant.member.status == "probationary" and applicant.member.joined_on == on("admission_vote")
    assert applicant.steps.get(code="approval").actor == town

    follow(branch, branch.get_by_role("link", name="发展党员", exact=True).first)
    expect(branch.locator('[data-stage="probationary"]')).to_have_text("1")
    town_page.goto(f"/development/org/{site.tree.village.pk}/")  # the village's board: a chart of its branches
    expect(town_page.locator("#development-board-chart canvas")).to_have_count(1)
    screenshot(town_page, "desktop-development-board")
    assert branch.errors == [] and town_page.errors == []

    phone = new_page("phone")
    log_in(phone, site.people.secretary_a.username)
    for url in (detail_url, "/development/", f"/development/list/?org={site.tree.branch_a.pk}"):
        phone.goto(url)
        assert phone.evaluate(SIDEWAYS_OVERFLOW) <= 0, url
    screenshot(phone, "phone-development-timeline")
    assert phone.errors == []
