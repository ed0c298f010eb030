"""Demo data of 双报到, made through the services: the community desk account shequ_bd (社区报到管理员) of the first
community in 武进区; in-service members of 支部甲 (member_dy first) and 支部乙 registered there by their units (one
pending, one due to re-register within the month), a cap, posts with slots and claims, hours recorded and one
self-reported (pending), a need matched to 支部甲's offer, and the community's evaluations of members and of a unit."""

import datetime

from django.db.models import F
from django.utils import timezone

from grassroots.accounts import services as accounts
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD
from grassroots.members.models import Member

from . import services
from .models import ServiceCategory

DEMO_LOGINS = ("shequ_bd",)  # 社区报到管理员 of the community that receives in-service members


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def _in_service(branch, n):
    """Members with a login first (member_dy), so the demo member's own page has something to show."""
    return list(Member.objects.in_register().filter(org_path__startswith=branch.path, in_service=True, state="normal")
                .order_by(F("user_id").desc(nulls_last=True), "pk")[:n])


def generate_demo(today, seed, log):
    branch_a, branch_b, dept = _role("branch_a_sj", Role.SECRETARY), _role("branch_b_sj", Role.SECRETARY), _role("wujin_zzb", Role.ORG_DEPT)
    if branch_a is None or dept is None:
        log("双报到：没有支部甲书记或武进区委组织部演示账号，跳过")
        return
    community = services.communities().filter(path__startswith=dept.org.path).order_by("path").first()
    if community is None:
        log("双报到：武进区没有城市社区党组织，跳过")
        return
    if User.objects.filter(username="shequ_bd").exists():
        return
    desk = accounts.create_user(dept.user, username="shequ_bd", full_name="社区报到管理员", password=DEMO_PASSWORD,
                                role=Role.COMMUNITY_DESK, org=community)
    services.set_cap(desk, community, 200)
    units = [(branch_a, _in_service(branch_a.org, 6))]
    if branch_b is not None:
        units.append((branch_b, _in_service(branch_b.org, 3)))
    regs, pending = [], 0
    for u, (role, people) in enumerate(units):
        for i, member in enumerate(people):
            due_soon = u == 0 and i == len(people) - 2  # registered 345 days ago: the re-registration reminder is due
            registered = today - datetime.timedelta(days=346 if due_soon else 61 + i)
            reg = services.register(role.user, member, community, {"basis": ["live", "work", "chosen"][i % 3], "skills": "志愿服务",
                                                                   "pledge": "每月参加一次社区服务"}, by_unit=True, today=registered)
            if u == 0 and i == len(people) - 1:
                pending += 1  # left for the desk to confirm
                continue
            regs.append(services.decide_registration(desk, reg, accept=True, today=registered + datetime.timedelta(days=1)))
    categories = list(ServiceCategory.objects.filter(is_active=True)[:4]) or [ServiceCategory.objects.create(name="环境整治", order=1)]
    now = timezone.localtime()
    posts = []
    for j, (category, title) in enumerate(zip(categories, ["政策宣传员", "环境卫生督导", "夜间治安巡逻", "文明交通劝导"], strict=False)):
        post = services.create_post(desk, community, {"category": category.pk, "title": title,
                                                      "place": f"{community.short_name or community.name}党群服务中心"})
        posts.append(post)
        for k in range(2):
            start = (now + datetime.timedelta(days=3 + 7 * k + j)).replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
            services.add_slot(desk, post, {"starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
                                           "capacity": 3 + j})
    for reg in regs:
        if reg.member.user_id:
            services.claim_slot(reg.member.user, reg.member, posts[0].slots.first())
    for n, reg in enumerate(regs):
        for month_back in range(3):
            served_on = max(reg.confirmed_on, today - datetime.timedelta(days=20 + 30 * month_back + n))
            services.record_hours(desk, reg.member, community, {"served_on": served_on, "hours": 2 + n % 3, "content": "社区环境整治"}, today=today)
    if regs and regs[0].member.user_id:
        services.record_hours(regs[0].member.user, regs[0].member, community, {"served_on": today, "hours": 2, "content": "帮助独居老人"}, today=today)
    need = services.publish_need(desk, community, {"category": categories[0].pk, "title": "老年人防诈骗宣讲"})
    services.publish_need(desk, community, {"category": categories[-1].pk, "title": "暑期青少年托管志愿者"})
    offer = services.publish_offer(branch_a.user, branch_a.org, community, {"category": categories[0].pk, "title": "法律顾问进社区讲座"})
    services.match_offer(desk, offer, need, today=today)
    services.publish_offer(branch_a.user, branch_a.org, community, {"category": categories[-1].pk, "title": "单位食堂助餐"})
    quarter = (today.month - 1) // 3 or 4
    year = today.year if today.month > 3 else today.year - 1
    for n, reg in enumerate(regs[:3]):
        services.evaluate(desk, community, reg.unit, {"year": year, "quarter": quarter, "grade": ["excellent", "good", "good"][n],
                                                      "comment": "服务积极、群众认可"}, member=reg.member)
    services.evaluate(desk, community, regs[0].unit, {"year": year, "quarter": quarter, "grade": "good", "comment": "单位组织党员报到及时"})
    log(f"双报到：{community.name}报到 {len(regs) + pending} 人（待确认 {pending} 人），岗位 {len(posts)} 个（社区报到管理员 shequ_bd）")
