"""Demo data for rectification: in 武进 (wujin_zzb), the demo village (village_sj's) is under rectification with
a contact leader, an assisting unit, a first secretary, three measures (one signed off) and its prescribed
remedy met; a second village of the same township failed its first satisfaction poll and is in 补课. Written
through the services (audit rows and timeline included); no screening is run here (it reads every app's data,
which the demo step order does not guarantee), the oversight pages offer to start one."""

import datetime
import random

from grassroots.accounts.models import RoleAssignment
from grassroots.ballots import services as ballots
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category
from grassroots.orgs.models import Organization
from grassroots.tracking import services as tracking

from . import services


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def generate_demo(today, seed, log):
    rng = random.Random(seed)
    dept, sj = _role("wujin_zzb", Role.ORG_DEPT), _role("village_sj", Role.SECRETARY)
    if dept is None or sj is None:
        log("整顿软弱涣散：没有演示区委组织部或村书记账号，跳过")
        return
    actor, village = dept.user, sj.org
    year = today.year
    case = services.open_case(actor, village, year=year, problems=["secretary_vacant", "weak_economy"],
                              due_on=today + datetime.timedelta(days=150), problem_text="原书记调任后职位空缺，村集体经济年收入不足 10 万元",
                              today=today - datetime.timedelta(days=60))
    unit = Organization.objects.filter(path__startswith=dept.org.path, category=Category.AGENCY, depth=dept.org.depth + 1).exclude(pk=village.pk).first()
    services.set_support(actor, case, contact_leader="王建国（区委常委、组织部部长）", assisting_unit=unit)
    services.add_stationed(actor, case, kind="first_secretary", name="李志强", since=today - datetime.timedelta(days=50))
    measures = [("选优配强村党组织书记", 30), ("发展村级集体经济合作社项目", 120), ("规范三会一课和主题党日", 60)]
    tasks = [services.add_measure(actor, case, title=t, due_on=today + datetime.timedelta(days=d - 40), responsible_name=rng.choice(["张海", "陈桂兰", "周德明"]))
             for t, d in measures]
    tracking.report_progress(actor, tasks[0], percent=100, text="经镇党委推荐、党员大会选举，新书记到任", reported_on=today - datetime.timedelta(days=20))
    tracking.submit(actor, tasks[0])
    tracking.sign_off(actor, tasks[0])
    tracking.report_progress(actor, tasks[1], percent=40, text="合作社已注册，厂房改造中", reported_on=today - datetime.timedelta(days=5))

    other = (Organization.objects.filter(path__startswith=sj.org.path[: -Organization.steplen], depth=village.depth, category=Category.RURAL)
             .exclude(pk=village.pk).first())
    if other is None:
        log("整顿软弱涣散：1 个整顿台账")
        return
    second = services.open_case(actor, other, year=year, problems=["disunited"], due_on=today + datetime.timedelta(days=30),
                                today=today - datetime.timedelta(days=150))
    services.set_support(actor, second, contact_leader="刘春梅（区政协副主席）")
    task = services.add_measure(actor, second, title="召开专题组织生活会，调整班子分工", due_on=today - datetime.timedelta(days=60))
    tracking.report_progress(actor, task, percent=100, text="专题组织生活会已召开", reported_on=today - datetime.timedelta(days=70))
    tracking.submit(actor, task)
    tracking.sign_off(actor, task)
    for ob in second.obligations.all():
        services.meet_obligation(actor, ob, how="镇党委约谈班子成员，调整分工", met_on=today - datetime.timedelta(days=65))
    round, tokens = services.start_poll(actor, second, tokens=20)
    for i, token in enumerate(tokens[:16]):
        ballots.cast(round, {services.SUBJECT_KEY: "dissatisfied" if i % 2 else "satisfied"}, token=token)
    ballots.close_round(actor, round)
    services.accept(actor, second, note="群众对班子团结问题仍有意见", today=today)
    log("整顿软弱涣散：2 个整顿台账（1 个补课）")
