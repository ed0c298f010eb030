"""Demo data for points (called by grassroots.dataset.generator.load for the demo scale, after dues and this year's
meetings): the automatic points of the demo branches computed from the records, a few manual entries (one waiting
for approval), and a draft star rating of branch_a for this year."""

import datetime
import random

from grassroots.accounts.models import RoleAssignment
from grassroots.dues.synthetic import demo_branches
from grassroots.members.models import Member

from . import services
from .models import PointEntry

SERVICES = ["社区志愿服务", "疫情防控值守", "结对帮扶困难群众", "参加义务植树", "环境整治志愿服务"]


def generate_demo(today, seed, log):
    rng = random.Random(f"{seed}-points")
    branches = demo_branches()
    if not branches:
        return
    entries = []
    for branch in branches:
        members = list(Member.objects.in_register().filter(org_path__startswith=branch.path).order_by("id"))
        for m in rng.sample(members, min(5, len(members))):
            day = today - datetime.timedelta(days=rng.randint(5, 200))
            day = max(day, datetime.date(today.year, 1, 1))
            entries.append(PointEntry(
                member=m, org_path=m.org_path, date=day, year=day.year, category="service", points=rng.choice([2, 3, 5]),
                source="manual", description=rng.choice(SERVICES), state="approved",
            ))
        dy = members[0] if members else None
        own = next((m for m in members if m.user_id), dy)
        if own is not None:
            entries.append(PointEntry(
                member=own, org_path=own.org_path, date=today, year=today.year, category="service", points=3, source="manual",
                description="参加社区敬老志愿服务（本人申报）", state="pending", proposed_by_id=own.user_id,
            ))
    PointEntry.objects.bulk_create(entries)
    created = 0
    for branch in branches:
        created += services.recompute_points(branch, today.year, today=today)[0]
    secretary = RoleAssignment.objects.filter(user__username="branch_a_sj").select_related("user").first()
    rated = services.rate_branch(secretary.user, branches[0], today.year) if secretary else []
    log(f"已写入积分记录 {created + len(entries):,} 条，评定星级 {len(rated)} 人")
