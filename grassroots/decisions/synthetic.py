"""Demo data for decisions (called by grassroots.dataset.generator.load for the demo scale).

Written through the services (a handful of matters), so every step, vote and disclosure is exactly what a secretary
would have produced, audit rows included. In the demo village (village_sj's organization): one matter finished with its
result published and closed, one waiting for the member assembly, one whose representative vote failed and went back
to a new proposal; one matter in a 天宁 community; a supervisory committee with village_jw; one objection answered and
one still open."""

import datetime
import random

from django.utils import timezone

from grassroots.accounts.models import RoleAssignment
from grassroots.core.roles import Role
from grassroots.members.choices import Status
from grassroots.orgs.models import Organization

from . import services


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def _reps(rng, n):
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡"
    given = "建国志强秀英桂兰海燕春梅国华玉兰德明金凤"
    names = []
    while len(names) < n:
        name = rng.choice(surnames) + rng.choice(given[::2]) + rng.choice(given[1::2])
        if name not in names:
            names.append(name)
    return names


def _run(actor, matter, day, rng, *, reps, resolution_for=None, body="representatives", present_reps=None, **resolution):
    """Proposal, joint meeting, member assembly and the resolution on the days after `day`."""
    services.confirm_step(actor, services.record_step(actor, matter, "proposal", {
        "held_on": day, "place": "村党群服务中心", "content": f"村党委会议研究，提议：{matter.summary}", "attendees": ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"],
    }))
    services.confirm_step(actor, services.record_step(actor, matter, "consultation", {
        "held_on": day + datetime.timedelta(days=3), "place": "村党群服务中心", "attendees": ["书记", "副书记", "村主任", "村委委员", "妇联主席"],
        "content": "村“两委”联席会议逐项商议，形成初步方案，同意提交党员大会审议。",
    }))
    members = list(services.assembly_roll(matter, day + datetime.timedelta(days=7)))  # the roll on the assembly's day
    full = [m for m in members if m.status == Status.FULL]
    present = [m.pk for m in members if rng.random() < 0.85] or [full[0].pk]
    present_full = sum(1 for m in members if m.pk in present and m.status == Status.FULL)
    services.confirm_step(actor, services.record_step(actor, matter, "review", {
        "held_on": day + datetime.timedelta(days=7), "place": "村党群服务中心", "roll": present,
        "content": "党员大会审议，党员对方案提出修改意见后表决。", "votes_for": present_full, "votes_against": 0, "votes_abstain": 0,
    }))
    attendees = reps[: present_reps or len(reps) - 2]
    votes_for = resolution_for if resolution_for is not None else len(attendees) - 1
    return services.confirm_step(actor, services.record_step(actor, matter, "resolution", {
        "held_on": day + datetime.timedelta(days=10), "place": "村党群服务中心", "body": body, "attendees": attendees,
        "content": f"村民代表会议表决：{matter.title}。", "votes_for": votes_for, "votes_against": len(attendees) - votes_for, "votes_abstain": 0,
        **resolution,
    }))


def generate_demo(today, seed, log):
    """Add this app's demo records; return nothing. `log(message)` prints progress."""
    rng = random.Random(seed)
    today = min(today, timezone.localdate())
    sj = _role("village_sj", Role.SECRETARY)
    jw = _role("village_jw", Role.VILLAGE_MONITOR)
    if sj is None:
        log("四议两公开：没有演示村书记账号，跳过")
        return
    actor, village = sj.user, sj.org
    reps = _reps(rng, 15)
    services.save_settings(actor, village, {
        "representatives": reps, "adults": 1260, "households": 386, "committee_members": ["周国强", "钱秀英", "孙建华"], "step_set": "",
    })
    committee = services.create_committee(actor, village, term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2030, 12, 31),
                                          chosen_by="representatives")
    if jw is not None:
        services.add_committee_member(actor, committee, name=jw.user.full_name or "村务监督委员", is_chair=True, user=jw.user,
                                      declares_no_relative=True)
    services.add_committee_member(actor, committee, name="吴海燕", declares_no_relative=True)
    services.add_committee_member(actor, committee, name="郑德明", declares_no_relative=True)
    if not services.roll_for_path(village.path, today - datetime.timedelta(days=150)).filter(status=Status.FULL).exists():
        log("四议两公开：演示村没有正式党员，跳过")
        return

    # 1. Finished: resolved, both disclosures published, an objection answered, closed.
    road = services.create_matter(actor, village, {
        "title": "村内主干道硬化工程", "category": "welfare", "summary": "硬化村内主干道 2.3 公里，预算 68 万元，一事一议财政奖补与村集体收入共同承担",
        "amount": "680000", "planned_completion": today - datetime.timedelta(days=15),
    })
    start = today - datetime.timedelta(days=150)
    _run(actor, road, start, rng, reps=reps)
    services.publish(actor, road, "resolution_disclosure", title="关于村内主干道硬化工程的决议公开",
                     body=services.default_disclosure_text(road, "resolution_disclosure")[1], held_on=start + datetime.timedelta(days=11))
    services.publish(actor, road, "progress_disclosure", title="村内主干道硬化工程实施情况（一）", body="路基平整完成，完成工程量 45%。",
                     amount="300000", held_on=start + datetime.timedelta(days=60))
    services.publish(actor, road, "progress_disclosure", title="村内主干道硬化工程实施情况（二）", body="混凝土浇筑完成，完成工程量 90%。",
                     amount="280000", held_on=start + datetime.timedelta(days=100))
    services.publish(actor, road, "result_disclosure", title="村内主干道硬化工程实施结果", body="工程于计划日期前竣工，经镇建设部门验收合格，决算 66.8 万元。",
                     amount="668000", held_on=today - datetime.timedelta(days=20))
    if jw is not None:
        review = road.steps.get(kind="review")
        objection = services.add_opinion(jw.user, step=review, kind="objection", text="党员大会到会名单中有两名党员外出务工，请核实签到情况。")
        services.answer_opinion(actor, objection, "经核实，两名党员当天返乡参会，签到表已存档备查。")
    services.close_matter(actor, road)

    # 2. Waiting for the member assembly; an open objection on the joint meeting.
    plant = services.create_matter(actor, village, {
        "title": "村集体闲置厂房对外租赁", "category": "assets", "summary": "村集体闲置厂房 1200 平方米公开招租，租期 5 年",
        "amount": "150000", "planned_completion": today + datetime.timedelta(days=120),
    })
    day = today - datetime.timedelta(days=12)
    services.confirm_step(actor, services.record_step(actor, plant, "proposal", {
        "held_on": day, "place": "村党群服务中心", "content": "村党委会议研究，提议闲置厂房通过农村产权交易平台公开招租。", "attendees": ["书记", "副书记", "组织委员"],
    }))
    consultation = services.confirm_step(actor, services.record_step(actor, plant, "consultation", {
        "held_on": day + datetime.timedelta(days=2), "place": "村党群服务中心", "attendees": ["书记", "村主任", "村委委员", "妇联主席"],
        "content": "联席会议商议：起租价每年 15 万元，租金每年递增 3%。",
    }))
    if jw is not None:
        services.add_opinion(jw.user, step=consultation, kind="objection", text="起租价未经评估，建议委托第三方评估后再提交党员大会。")

    # 3. The representative vote failed; back to a new proposal (the failed round is kept).
    pond = services.create_matter(actor, village, {
        "title": "集体鱼塘承包方案调整", "category": "land", "summary": "集体鱼塘 80 亩承包期满后重新发包，承包费由每亩 600 元调整为 800 元",
        "amount": "64000",
    })
    failed = _run(actor, pond, today - datetime.timedelta(days=40), rng, reps=reps, present_reps=11, resolution_for=5)
    if failed.passed is False:
        services.decide_after_failure(actor, pond, "new_round", "村民代表对承包费涨幅意见较大，调整方案后重新提议")

    # 4. A community in 天宁: a hearing resolves a matter, the resolution is published.
    tn = _role("tianning_zzb", Role.ORG_DEPT)
    community = None
    if tn is not None:
        community = Organization.objects.filter(path__startswith=tn.org.path, category="community", is_active=True).exclude(kind="group").order_by("depth", "path").first()
    if community is not None:
        cactor = tn.user
        services.save_settings(cactor, community, {"representatives": _reps(rng, 21), "adults": 5200, "households": 2100, "committee_members": []})
        lift = services.create_matter(cactor, community, {
            "title": "老旧小区加装电梯公共维修资金使用", "category": "funds", "summary": "3 幢加装电梯，使用公共维修资金 42 万元",
            "amount": "420000", "planned_completion": today + datetime.timedelta(days=180),
        })
        day = today - datetime.timedelta(days=30)
        cmembers = list(services.assembly_roll(lift, day + datetime.timedelta(days=5)))
        if any(m.status == Status.FULL for m in cmembers):
            services.confirm_step(cactor, services.record_step(cactor, lift, "proposal", {
                "held_on": day, "content": "社区党委提议使用公共维修资金加装电梯。", "attendees": ["社区书记", "副书记", "委员"],
            }))
            services.confirm_step(cactor, services.record_step(cactor, lift, "consultation", {
                "held_on": day + datetime.timedelta(days=2), "content": "社区“两委”联席会议商议，同意提交党员大会审议。", "attendees": ["社区书记", "居委会主任", "委员"],
            }))
            full = [m.pk for m in cmembers if m.status == Status.FULL]
            services.confirm_step(cactor, services.record_step(cactor, lift, "review", {
                "held_on": day + datetime.timedelta(days=5), "content": "党员大会审议通过。", "roll": [m.pk for m in cmembers], "votes_for": len(full),
            }))
            services.confirm_step(cactor, services.record_step(cactor, lift, "resolution", {
                "held_on": day + datetime.timedelta(days=9), "body": "hearing", "entitled": 45, "present": 38, "votes_for": 33, "votes_against": 3,
                "votes_abstain": 2, "content": "社区事务听证会：同意使用公共维修资金 42 万元为 3 幢加装电梯。",
            }))
            services.publish(cactor, lift, "resolution_disclosure", title="关于老旧小区加装电梯使用公共维修资金的决议公开",
                             body=services.default_disclosure_text(lift, "resolution_disclosure")[1], held_on=day + datetime.timedelta(days=10))
    log("四议两公开：演示事项 4 个（已办结、待党员大会审议、表决未通过重新提议、社区听证会决议），村务监督委员会 1 个")
