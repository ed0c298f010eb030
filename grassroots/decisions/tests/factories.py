"""Helpers that drive a matter through its steps with the services."""

import datetime

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.decisions import services

DAY = datetime.date(2026, 3, 2)
REPS = [f"代表{i}" for i in range(1, 16)]  # 15 registered representatives


def village_people(tree):
    secretary = make_user("village_secretary", Role.SECRETARY, tree.village, full_name="村书记")
    monitor = make_user("village_monitor", Role.VILLAGE_MONITOR, tree.village, full_name="监督委员")
    town = make_user("town_secretary", Role.SECRETARY, tree.town, full_name="镇书记")
    return secretary, monitor, town


def roll(tree, actor, reps=REPS, adults=1000, households=300):
    return services.save_settings(actor, tree.village, {"representatives": reps, "adults": adults, "households": households,
                                                        "committee_members": ["主任甲"], "step_set": ""})


def full_members(tree, n):
    return [make_member(tree.branch_a, f"党员甲{i}") for i in range(n)]


def new_matter(actor, org, **extra):
    data = {"title": "村道硬化工程", "category": "welfare", "summary": "硬化村道 2 公里", "amount": "350000", **extra}
    return services.create_matter(actor, org, data)


def step(actor, matter, kind, day=DAY, confirm=True, **data):
    defaults = {
        "proposal": {"content": "提议硬化村道", "attendees": ["村书记", "副书记", "委员"]},
        "consultation": {"content": "两委一致同意提交党员大会", "attendees": ["村书记", "村主任", "委员"]},
        "review": {"content": "党员大会审议", "roll": [], "votes_for": 0},
        "resolution": {"content": "同意硬化村道", "body": "representatives", "attendees": REPS[:10], "votes_for": 6},
    }[kind]
    s = services.record_step(actor, matter, kind, {"held_on": day, **defaults, **data})
    if confirm:
        s = services.confirm_step(actor, s)
    return s


def to_resolution(actor, matter, members, **resolution):
    """Proposal, joint meeting and member assembly (every member present, all for), then the resolution."""
    step(actor, matter, "proposal")
    step(actor, matter, "consultation")
    ids = [m.pk for m in members]
    step(actor, matter, "review", roll=ids, votes_for=len(ids))
    return step(actor, matter, "resolution", **resolution)
