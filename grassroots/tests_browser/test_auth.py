"""Logging in, the dashboard a newcomer lands on, lock-out after repeated failures, and logging out."""

import re

import pytest
from playwright.sync_api import expect

from grassroots.accounts.models import User
from grassroots.core.models import AuditLog

from .pages import log_in


@pytest.mark.browser
def test_newcomer_logs_in_and_sees_dashboard(site, page, screenshot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))  # not logged in yet
    page.get_by_label("用户名").fill(site.people.dept_a.username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确")
    expect(page.get_by_label("用户名")).to_have_value(site.people.dept_a.username)  # kept for another try
    expect(page.get_by_label("密码")).to_have_value("")
    screenshot(page, "desktop-login-error")

    log_in(page, site.people.dept_a.username)
    expect(page).to_have_url(f"{site.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("中共常州市武进区委员会")
    expect(page.locator("#scope-select option:checked")).to_have_text("武进区委 · 组织部")
    # 武进区委, 湖塘镇党委, 新村党委, two branches and their two groups; 张三, 李四 and 王五.
    expect(page.locator(".stat", has_text="党组织").locator(".value")).to_have_text("7")
    expected = {"total": "3", "probationary": "1", "full": "2", "female": "1", "minority": "1", "under_35": "1"}
    for key, value in expected.items():
        expect(page.locator(f".stat [data-count={key}]")).to_have_text(value)
    expect(page.locator(".stats")).not_to_contain_text("天宁")

    for chart in ("#chart-category", "#chart-age"):
        expect(page.locator(f"{chart} canvas, {chart} svg").first).to_be_visible()
        box = page.locator(f"{chart} canvas, {chart} svg").first.bounding_box()
        assert box["width"] > 200 and box["height"] > 200, (chart, box)
    series = page.evaluate(
        """() => ["chart-category", "chart-age"].map(
               id => echarts.getInstanceByDom(document.getElementById(id)).getOption().series[0].data)"""
    )
    assert series[0] == [{"name": "农村", "value": 3}], series[0]
    assert sum(series[1]) == 3 and series[1][0] == 1, series[1]  # 李四 (born 2000) is the one under 35
    assert page.errors == []


@pytest.mark.browser
def test_five_wrong_passwords_lock_the_account(site, page, screenshot):
    user = site.people.secretary_a
    for attempt in range(1, 6):
        log_in(page, user.username, f"wrong-{attempt}")
        alert = page.get_by_role("alert")
        if attempt < 5:
            expect(alert).to_have_text("用户名或密码不正确")
    expect(alert).to_contain_text("账号已锁定")
    user.refresh_from_db()
    assert user.is_locked()

    log_in(page, user.username)  # the right password is refused while locked
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("账号已锁定")
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    screenshot(page, "desktop-login-locked")
    assert not AuditLog.objects.filter(action=AuditLog.Action.LOGIN, actor=user).exists()
    assert User.objects.get(pk=user.pk).is_locked()


@pytest.mark.browser
def test_logout_returns_to_login(site, page):
    log_in(page, site.people.dept_a.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("中共常州市武进区委员会")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_have_text("您已安全退出")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto("/orgs/")  # the session is really gone
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/orgs/$"))
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGOUT, actor=site.people.dept_a).count() == 1
