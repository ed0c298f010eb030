"""One 换届 election in the browser, from the district's plan to the new posts in the organization tree: the plan,
the election, candidates, 资格联审 sign-offs, nomination, the voter roll frozen, the counts (one refused for
exceeding the roll), closing refused without the exit audit, the audit, and closing."""

import pytest
from playwright.sync_api import expect

from grassroots.leaders.models import Election
from grassroots.orgs.models import Post

from .pages import follow, log_in

pytestmark = pytest.mark.browser


def test_election_from_plan_to_new_posts(site, page, tree, settings):
    settings.GRASSROOTS_LEADERS_VETTING_BODIES = [("discipline", "纪检监察"), ("police", "政法/公安")]
    # The live server's first page imports every app's URLconf; on the shared 2-CPU machine that can exceed the
    # 10 s default. Waiting longer for a navigation is not an assertion about time.
    page.set_default_timeout(60_000)
    log_in(page, "wujin_zzb")
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="两委换届", exact=True))
    follow(page, page.get_by_role("link", name="制定换届方案"))
    page.get_by_label("方案名称").fill("2026年村（社区）两委换届工作方案")
    page.get_by_label("开始日期").fill("2026-09-01")
    page.get_by_label("完成日期").fill("2026-12-31")
    follow(page, page.get_by_role("button", name="保存"))
    follow(page, page.get_by_role("link", name="新建换届选举"))
    page.get_by_label("村（社区）").select_option(label=tree.village.name)
    page.get_by_label("换届方案").select_option(label="2026年村（社区）两委换届工作方案")
    page.get_by_label("选举日期").fill("2026-11-20")
    page.get_by_label("党组织委员会应选名额").fill("3")
    page.get_by_label("村（居）委会应选名额").fill("3")
    follow(page, page.get_by_role("button", name="保存"))
    election = Election.objects.get(org=tree.village)

    for body, seat in (("村（社区）党组织委员会", "书记"), ("村（居）民委员会", "主任")):
        page.get_by_text("登记候选人初步人选").click()
        page.get_by_label("委员会", exact=True).select_option(label=body)
        page.get_by_label("拟任职务").select_option(label=seat)
        page.get_by_label("党员（党组织委员会候选人必选）").select_option(label="张三")
        follow(page, page.get_by_role("button", name="登记", exact=True))
        expect(page.get_by_text("候选人初步人选已登记")).to_be_visible()
    follow(page, page.locator("#advance"))
    expect(page.get_by_text("已进入下一环节")).to_be_visible()

    for seat in ("书记", "主任"):
        for body in ("纪检监察", "政法/公安"):
            form = page.locator("form", has=page.get_by_text(f"张三（{seat}）联审签署"))
            form.get_by_label("联审部门").select_option(label=body)
            form.get_by_label("结论").select_option(label="通过")
            follow(page, form.get_by_role("button", name="签署"))
            expect(page.get_by_text("联审意见已签署")).to_be_visible()
    follow(page, page.locator("#advance"))
    for _ in range(2):
        follow(page, page.get_by_role("button", name="提名", exact=True).first)
    page.get_by_label("选民身份证号（每行一个；只保存其加密散列）").fill("\n".join(f"3204000000000{i:05d}" for i in range(5)))
    follow(page, page.get_by_role("button", name="登记选民"))
    follow(page, page.locator("#advance"))
    expect(page.get_by_text("名单已于")).to_be_visible()
    expect(page.get_by_text("核验一致")).to_be_visible()

    page.locator("#cast-villagers").fill("6")  # more than the frozen roll of 5
    page.locator("form", has=page.locator("#cast-villagers")).locator("input[name^=votes_]").fill("6")
    follow(page, page.get_by_role("button", name="录入村（居）民委员会计票结果"))
    expect(page.get_by_text("超过冻结的选民名单 5 人")).to_be_visible()
    page.locator("#cast-villagers").fill("4")
    page.locator("form", has=page.locator("#cast-villagers")).locator("input[name^=votes_]").fill("4")
    follow(page, page.get_by_role("button", name="录入村（居）民委员会计票结果"))
    election.refresh_from_db()
    page.locator("#cast-party").fill(str(election.party_roll_size))
    page.locator("form", has=page.locator("#cast-party")).locator("input[name^=votes_]").fill(str(election.party_roll_size))
    follow(page, page.get_by_role("button", name="录入村（社区）党组织委员会计票结果"))
    expect(page.get_by_text("计票结果已录入")).to_be_visible()
    follow(page, page.locator("#advance"))
    expect(page.get_by_text("已进入下一环节")).to_be_visible()

    expect(page.locator("#audit-gap")).to_have_text("离任（任期）审计尚未完成，不能结束换届选举")
    follow(page, page.locator("#close"))
    expect(page.get_by_role("status").get_by_text("离任（任期）审计尚未完成，不能结束换届选举")).to_be_visible()
    follow(page, page.get_by_role("link", name="登记审计"))
    page.get_by_label("被审计人").fill("老书记")
    page.get_by_label("职务").fill("书记")
    page.get_by_label("审计范围").fill("2021—2026年任期经济责任")
    page.get_by_label("审计单位").fill("湖塘镇审计办")
    follow(page, page.get_by_role("button", name="保存"))
    page.get_by_label("审计发现").fill("财务收支规范")
    page.get_by_label("完成日期").fill("2026-11-19")
    follow(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("审计结果已保存")).to_be_visible()
    follow(page, page.get_by_role("link", name="换届选举"))
    follow(page, page.locator("#close"))
    expect(page.get_by_text("新一届职务已写入组织体系")).to_be_visible()
    current = {(p.title, p.holder.name) for p in Post.objects.current().filter(org=tree.village).select_related("holder")}
    assert current == {("secretary", "张三"), ("village_director", "张三")}  # 一肩挑, both posts in the organization tree
    follow(page, page.get_by_role("link", name="查看组织体系中的领导职务"))
    expect(page.get_by_text("张三").first).to_be_visible()
    expect(page.get_by_text("村委会主任").first).to_be_visible()
    follow(page, page.get_by_role("navigation", name="主菜单").get_by_role("link", name="队伍统计", exact=True))
    expect(page.locator("#one-shoulder")).to_contain_text("1 个 / 1 个村（社区）（100.0%）")
