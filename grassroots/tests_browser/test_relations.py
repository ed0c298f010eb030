"""A transfer of membership relations between two districts, seen from both sides: a 武进 branch secretary issues
the letter for 张三, the 天宁 branch secretary finds it among the incoming transfers and accepts it; the sender then
sees it accepted, with the receipt, and 张三 has left the sending branch's register."""

import re

import pytest
from playwright.sync_api import expect

from grassroots.conftest import make_user
from grassroots.core.roles import Role
from grassroots.members.models import Member, MemberEvent
from grassroots.relations.models import Transfer

from .pages import axe_violations, follow, log_in, menu_link

pytestmark = pytest.mark.browser


def test_transfer_between_two_districts_seen_from_both_sides(site, new_page, screenshot):
    tree, people, members = site.tree, site.people, site.members
    receiver = make_user("tianning_branch", Role.SECRETARY, tree.b_branch, full_name="天宁支部书记")

    # The sending side: 武进, 新村第一党支部.
    sender = new_page("desktop")
    log_in(sender, people.secretary_a.username)
    menu_link(sender, "组织关系转接")
    follow(sender, sender.get_by_role("link", name="开具介绍信"))
    with sender.expect_response(re.compile(r"/relations/transfers/members/")):
        sender.get_by_label("按姓名或拼音首字母查找党员").fill("张三")
    sender.get_by_role("radio", name=re.compile("张三")).check()
    with sender.expect_response(re.compile(r"/relations/transfers/destinations/")):
        sender.get_by_label("按名称或拼音首字母查找接收党组织").fill("天宁区某")
    sender.get_by_role("radio", name="天宁区某社区党支部").check()
    sender.get_by_label("转接原因").select_option(label="居住地变动")
    follow(sender, sender.get_by_role("button", name="开具介绍信"))
    transfer = Transfer.objects.get()
    expect(sender.get_by_role("heading", level=1)).to_contain_text("张三的组织关系转接")
    expect(sender.get_by_role("heading", level=1)).to_contain_text("待接收")
    expect(sender.get_by_text(transfer.letter_number).first).to_be_visible()
    expect(sender.get_by_role("heading", name="接收党员组织关系")).to_have_count(0)  # only the receiver accepts
    screenshot(sender, "desktop-transfer-issued")
    assert Member.objects.get(pk=members.a1.pk).org_id == tree.branch_a.pk  # the sender stays responsible

    # The receiving side: 天宁, another district.
    page = new_page("phone")
    log_in(page, receiver.username)
    page.goto("/relations/transfers/?tab=incoming")
    row = page.locator("table tbody tr", has=page.get_by_role("link", name=transfer.letter_number))
    expect(row).to_contain_text("张三")
    expect(row).to_contain_text("新村第一党支部")
    expect(row).to_contain_text("待接收")
    follow(page, row.get_by_role("link", name=transfer.letter_number))
    expect(page.get_by_role("heading", name="接收党员组织关系")).to_be_visible()
    screenshot(page, "phone-transfer-incoming")
    follow(page, page.get_by_role("button", name="接收", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("已接收")
    expect(page.get_by_text("已接收张三的组织关系")).to_be_visible()
    assert page.errors == []

    member = Member.objects.get(pk=members.a1.pk)
    assert member.org_id == tree.b_branch.pk
    assert MemberEvent.objects.filter(member=member, kind="moved", document=transfer.letter_number).exists()

    # Back on the sending side: the outgoing tab shows it accepted, with the receipt.
    sender.goto("/relations/transfers/?tab=outgoing")
    row = sender.locator("table tbody tr", has=sender.get_by_role("link", name=transfer.letter_number))
    expect(row).to_contain_text("已接收")
    follow(sender, row.get_by_role("link", name=transfer.letter_number))
    expect(sender.locator("dl.facts")).to_contain_text("已返回")
    follow(sender, sender.get_by_role("link", name="打印介绍信"))
    expect(sender.get_by_label("回执")).to_contain_text("已于")
    screenshot(sender, "desktop-transfer-letter")
    # 张三 is no longer on the sending branch's register.
    sender.goto("/members/?q=张三")
    expect(sender.locator("table tbody")).not_to_contain_text("张三")
    assert sender.errors == []


def test_floating_member_registered_and_lost_contact_refused_too_early(site, new_page, screenshot):
    import datetime

    from django.utils import timezone

    from grassroots.relations import services

    page = new_page("phone")
    log_in(page, site.people.secretary_a.username)
    page.goto("/relations/floating/")
    follow(page, page.get_by_role("link", name="登记流动党员"))
    with page.expect_response(re.compile(r"/relations/transfers/members/")):
        page.get_by_label("按姓名或拼音首字母查找党员").fill("zs")
    page.get_by_role("radio", name=re.compile("张三")).check()
    page.get_by_label("外出日期").fill((timezone.localdate() - datetime.timedelta(days=200)).isoformat())
    page.get_by_label("流入地").fill("苏州市工业园区")
    page.get_by_label("外出原因").select_option(label="外出务工经商")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("流动党员活动证编号").fill("LD2026001")
    with page.expect_response(re.compile(r"/relations/transfers/destinations/\d+/\?field=activity_org&")):
        page.get_by_label("按名称或拼音首字母查找参加活动的党组织").fill("天宁区某")
    page.get_by_role("radio", name="天宁区某社区党支部").check()
    follow(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("在外流动")
    expect(page.get_by_text("138****5678")).to_be_visible()
    expect(page.get_by_text("应当转接组织关系")).to_be_visible()  # away 6 months and more
    expect(page.locator("dl.facts")).to_contain_text("天宁区某社区党支部")
    assert Member.objects.get(pk=site.members.a1.pk).state == "floating"
    screenshot(page, "phone-floating-detail")

    case = services.open_lost_contact(site.people.secretary_a, site.members.a2, last_contact_on=timezone.localdate() - datetime.timedelta(days=30))
    page.goto(f"/relations/lost/{case.pk}/")
    expect(page.get_by_text(re.compile("失联满 6 个月（.*）后方可停止党籍"))).to_be_visible()
    expect(page.get_by_role("button", name="停止党籍")).to_be_disabled()
    follow(page, page.get_by_role("link", name="失联党员").first)
    expect(page.locator("table tbody")).to_contain_text("李四")
    screenshot(page, "phone-lost-list")
    assert page.errors == []


def test_relations_pages_pass_axe(site, new_page):
    """The transfer, floating and lost-contact pages have no serious or critical accessibility violations (axe-core,
    in a context that bypasses the CSP so the checker can be injected)."""
    import datetime

    from django.utils import timezone

    from grassroots.relations import services

    tree, people, members = site.tree, site.people, site.members
    receiver = make_user("tianning_axe", Role.SECRETARY, tree.b_branch)
    t = services.issue_transfer(people.secretary_a, members.a1, reason="residence", to_org=tree.b_branch)
    record = services.register_floating(people.secretary_a, members.a2, {"left_on": datetime.date(2025, 1, 1), "destination": "苏州", "reason": "work"})
    lost = services.open_lost_contact(people.secretary_a, Member.objects.create(
        name="钱七", initials="qq", gender="male", birth_date=datetime.date(1980, 1, 1), status="full", joined_on=datetime.date(2005, 7, 1),
        full_on=datetime.date(2006, 7, 1), org=tree.branch_a, org_path=tree.branch_a.path), last_contact_on=timezone.localdate() - datetime.timedelta(days=30))
    page = new_page("phone", bypass_csp=True)
    for user, urls in (
        (people.secretary_a, ["/relations/transfers/", "/relations/transfers/new/", "/relations/floating/", f"/relations/floating/{record.pk}/",
                              "/relations/floating/new/", "/relations/lost/", f"/relations/lost/{lost.pk}/", f"/relations/transfers/{t.pk}/letter/"]),
        (receiver, [f"/relations/transfers/{t.pk}/", "/relations/transfers/incoming/"]),
    ):
        page.context.clear_cookies()
        log_in(page, user.username)
        for url in urls:
            page.goto(url)
            assert axe_violations(page) == [], url
