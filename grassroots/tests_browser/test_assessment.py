"""One 述职评议 round in the browser, from the report to the published results: the town's secretary writes and
submits the report (prefilled from the platform's figures), the district comments and opens the representatives'
appraisal, a representative votes on the ballots page, the district publishes and the grades show."""

import pytest
from playwright.sync_api import expect

from grassroots.assessment import services
from grassroots.assessment.models import Report
from grassroots.ballots import services as ballots
from grassroots.conftest import make_user
from grassroots.core.roles import Role

from .pages import follow, log_in

pytestmark = pytest.mark.browser

PARTS = {"ideas": "思路", "measures": "措施", "results": "成效", "shortcomings": "不足", "plans": "打算"}


def test_round_from_report_to_published_results(site, page, tree, people):
    town_sj = make_user("town_sj", Role.SECRETARY, tree.town)
    village_sj = make_user("village_sj", Role.SECRETARY, tree.village)
    reps = [make_user(f"rep{i}", Role.REPRESENTATIVE, tree.district_a) for i in range(2)]
    round = services.create_round(people.dept_a, tree.district_a, year=2026, subjects=[
        {"org": tree.town, "person_name": "钱一", "user": town_sj, "post": "湖塘镇党委书记"},
        {"org": tree.village, "person_name": "孙二", "user": village_sj, "post": "新村党委书记"},
    ])
    services.save_report(village_sj, round.reports.get(user=village_sj), submit=True, **PARTS)

    log_in(page, "town_sj")
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="述职评议考核", exact=True))
    follow(page, page.get_by_role("table").get_by_role("link", name=round.title))
    follow(page, page.get_by_role("link", name="钱一"))
    assert "发展党员" in page.get_by_label("工作成效").input_value()  # prefilled from the platform's figures
    for label in ("工作思路", "主要措施", "存在不足", "下步打算"):
        page.get_by_label(label).fill(f"{label}：抓基层党建")
    follow(page, page.get_by_role("button", name="提交述职报告"))
    expect(page.get_by_text("已提交")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "wujin_zzb")
    for report in Report.objects.filter(round=round):
        page.goto(f"/assessment/report/{report.pk}/")
        page.get_by_label("点评意见").fill("抓党建有力")
        page.get_by_label("年度考核得分（0–100）").fill("80")
        follow(page, page.get_by_role("button", name="保存点评"))
    page.goto(f"/assessment/round/{round.pk}/")
    follow(page, page.get_by_role("button", name="开始代表评议"))
    expect(page.get_by_text("代表评议已开始")).to_be_visible()

    round.refresh_from_db()
    ballots.cast(round.ballot_round, {r.subject_key: "good" for r in round.reports.all()}, user=reps[1])
    page.context.clear_cookies()
    log_in(page, "rep0")
    page.goto(f"/ballots/round/{round.ballot_round.pk}/vote/")
    for fieldset in page.locator("fieldset.ballot-subject").all():
        fieldset.get_by_label("较好").check()
    follow(page, page.get_by_role("button", name="提交选票"))
    expect(page.get_by_text("投票成功")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "wujin_zzb")
    page.goto(f"/assessment/round/{round.pk}/")
    follow(page, page.get_by_role("button", name="截止并公布结果"))
    expect(page.get_by_text("结果已公布").first).to_be_visible()
    row = page.locator("tbody tr", has=page.get_by_role("link", name="钱一"))
    expect(row).to_contain_text("92.50")  # live (100 + 85) / 2 = 92.50
    expect(row).to_contain_text("84.38")  # 0.35 × 92.50 + 0.65 × 80 = 84.375 → 84.38
    expect(row).to_contain_text("较好")
