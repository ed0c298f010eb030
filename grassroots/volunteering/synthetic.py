"""Demo data of 双报到: a community desk account in 武进区 (shequ_bd), members of 支部甲 registered there (one
pending), posts with slots and claims, hours (one pending), a need matched to 支部甲's offer, and evaluations."""

import datetime


def generate_demo(today, seed, log):
    from django.utils import timezone

    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.core.roles import Role
    from grassroots.members.models import Member

    from . import services
    from .models import ServiceCategory

    role = RoleAssignment.objects.filter(user__username="branch_a_sj").select_related("user", "org").first()
    district = RoleAssignment.objects.filter(user__username="wujin_zzb").select_related("org").first()
    if role is None or district is None:
        return
    secretary, branch = role.user, role.org
    community = services.communities().filter(path__startswith=district.org.path).order_by("path").first()
    if community is None:
        return
    try:
        from grassroots.dataset.generator import DEMO_PASSWORD
    except ImportError:  # pragma: no cover
        DEMO_PASSWORD = "demo"
    desk, created = User.objects.get_or_create(username="shequ_bd", defaults={"full_name": "社区报到管理员"})
    if created:
        desk.set_password(DEMO_PASSWORD)
        desk.save()
        RoleAssignment.objects.create(user=desk, role=Role.COMMUNITY_DESK, org=community)
    people = list(Member.objects.in_register().filter(org_path__startswith=branch.path, in_service=True, state="normal").order_by("-user_id", "pk")[:6])
    if not people:
        return
    categories = list(ServiceCategory.objects.all()[:4]) or [ServiceCategory.objects.create(name="环境整治", order=1)]
    regs = []
    for i, member in enumerate(people):
        reg = services.register(secretary, member, community, {"basis": ["live", "work", "chosen"][i % 3], "skills": "志愿服务",
                                                               "pledge": "每月参加一次社区服务"}, by_unit=True,
                                 today=today - datetime.timedelta(days=61))
        if i < len(people) - 1:
            reg = services.decide_registration(desk, reg, accept=True, today=today - datetime.timedelta(days=60))
            regs.append(reg)
    now = timezone.localtime()
    posts = []
    for j, (category, title) in enumerate(zip(categories, ["政策宣传员", "环境卫生督导", "夜间治安巡逻", "文明交通劝导"], strict=False)):
        post = services.create_post(desk, community, {"category": category.pk, "title": title, "place": f"{community.short_name or community.name}党群服务中心"})
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
            served_on = today - datetime.timedelta(days=20 + 30 * month_back + n)
            services.record_hours(desk, reg.member, community, {"served_on": served_on, "hours": 2 + n % 3, "content": "社区环境整治"}, today=today)
    if regs and regs[0].member.user_id:
        services.record_hours(regs[0].member.user, regs[0].member, community, {"served_on": today, "hours": 2, "content": "帮助独居老人"}, today=today)
    need = services.publish_need(desk, community, {"category": categories[0].pk, "title": "老年人防诈骗宣讲"})
    services.publish_need(desk, community, {"category": categories[-1].pk, "title": "暑期青少年托管志愿者"})
    offer = services.publish_offer(secretary, branch, community, {"category": categories[0].pk, "title": "法律顾问进社区讲座"})
    services.match_offer(desk, offer, need, today=today)
    quarter = (today.month - 1) // 3 or 4
    year = today.year if today.month > 3 else today.year - 1
    for reg in regs[:3]:
        services.evaluate(desk, community, reg.unit, {"year": year, "quarter": quarter, "grade": "excellent", "comment": "服务积极、群众认可"},
                          member=reg.member)
    log(f"已写入双报到：{community.name}报到 {len(people)} 人，岗位 {len(posts)} 个（社区报到管理员 shequ_bd）")
