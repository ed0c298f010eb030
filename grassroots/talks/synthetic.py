"""Demo data for talks: a few talks in the demo branch 支部甲, through the services like a secretary would."""

import datetime
import random


def generate_demo(today, seed, log):
    """Talks recorded by branch_a_sj with members of their branch: routine ones, one from the worklist with a
    follow-up still open, one with its follow-up done. The rest of the branch stays on the worklist."""
    from grassroots.accounts.models import RoleAssignment
    from grassroots.members.models import Member

    from . import services

    role = RoleAssignment.objects.filter(user__username="branch_a_sj").select_related("user", "org").first()
    if role is None:
        return
    rng = random.Random(seed)
    secretary, branch = role.user, role.org
    people = list(Member.objects.in_register().filter(org_path__startswith=branch.path, joined_on__lt=today - datetime.timedelta(days=60))
                  .order_by("pk")[:8])
    topics = ["学习贯彻党的二十届四中全会精神的体会", "工作和家庭近况", "对支部工作的意见建议", "参加志愿服务的打算"]
    made = 0
    for i, member in enumerate(people):
        held_on = today - datetime.timedelta(days=rng.randint(3, 200))
        data = {
            "held_on": max(held_on, member.joined_on), "kind": "heart", "talker_name": secretary.full_name or "支部书记",
            "talker_title": "支部书记", "place": "党群服务中心", "topic": topics[i % len(topics)],
            "summary": f"{member.name}同志谈了近期的思想和工作情况，表示将继续发挥党员作用。",
        }
        if i == 0:
            data.update(kind="reminder", reasons=["no_orglife"], topic="了解近期未参加组织生活的原因",
                        summary="外出务工较多，已说明情况，表示今后按时参加主题党日。", follow_up="下月主题党日前再次联系，确认参加",
                        held_on=today - datetime.timedelta(days=5))
        if i == 1:
            data.update(follow_up="帮助解决子女入学咨询", follow_up_due=data["held_on"] + datetime.timedelta(days=20))
        talk = services.record_talk(secretary, member, data)
        if i == 1:
            done_on = min(today, talk.held_on + datetime.timedelta(days=10))
            services.complete_follow_up(secretary, talk, done_on, "已联系社区，问题已解决")
        made += 1
    log(f"已写入谈心谈话 {made} 次（支部甲）")
