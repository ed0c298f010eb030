"""Demo data for leaders (called by the demo dataset generator after decisions and disclosure).

Through the services, by the 武进 organization department (wujin_zzb): the district's 2026 换届 plan; the demo village
(village_sj's) elected from plan to new posts, with a term audit published on its public page; a second village still
in 资格联审 with one candidate stopped by the negative list; reserves (the demo village below the ratio), a training
course, yearly reviews with one cadre 不称职 two years running. One login of the part: `town_zzwy`, the township's
组织委员 (organization department role on the demo village's township), who runs the 换届 of the town's villages."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from grassroots.accounts import services as accounts
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD
from grassroots.members.choices import Status
from grassroots.members.models import Member

from . import queries, rules, services

DEMO_LOGINS = ("town_zzwy",)  # 乡镇组织委员: the organization department role on the demo village's township


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def _elect(actor, election, members, rng, voters):
    """Plan → vetting → nomination → vote → report → closed for `election` with `members` (at least 3)."""
    seats = [("party", "secretary", members[0]), ("party", "committee_member", members[1]), ("party", "committee_member", members[2]),
             ("villagers", "director", members[0])]
    cands = [services.add_candidate(actor, election, body=b, seat=s, name=m.name, gender=m.gender, birth_date=m.birth_date,
                                    education=m.education, member=m) for b, s, m in seats]
    for name, gender in (("钱秀英", "female"), ("孙建华", "male")):
        cands.append(services.add_candidate(actor, election, body="villagers", seat="villagers_member", name=name, gender=gender,
                                            birth_date=datetime.date(rng.randint(1975, 1995), rng.randint(1, 12), 1), education="college"))
    services.advance(actor, election)
    for c in cands:
        for body, _label in rules.vetting_bodies():
            services.sign_off(actor, c, body=body, result="pass")
    services.advance(actor, election)
    for c in cands:
        services.nominate(actor, c)
    services.add_voters(actor, election, [f"DEMO{election.pk:04d}{i:05d}" for i in range(voters)])
    election = services.advance(actor, election)
    n = election.party_roll_size
    party = [c for c in cands if c.body == "party"]
    services.record_count(actor, election, body="party", ballots_cast=n, votes={c.pk: n - i for i, c in enumerate(party)})
    cast = voters * 9 // 10
    services.record_count(actor, election, body="villagers", ballots_cast=cast,
                          votes={c.pk: cast - rng.randint(0, cast // 4) for c in cands if c.body == "villagers"})
    return services.advance(actor, election), cands


def generate_demo(today, seed, log):
    rng = random.Random(seed)
    today = min(today, timezone.localdate())
    dept, sj = _role("wujin_zzb", Role.ORG_DEPT), _role("village_sj", Role.SECRETARY)
    if dept is None or sj is None:
        log("带头人队伍：没有演示组织部或村书记账号，跳过")
        return
    actor, district, village = dept.user, dept.org, sj.org
    from grassroots.orgs.models import Organization

    township = Organization.objects.filter(path=village.parent_path).first()
    if township is not None and not User.objects.filter(username="town_zzwy").exists():
        accounts.create_user(actor, username="town_zzwy", full_name="乡镇组织委员", password=DEMO_PASSWORD, role=Role.ORG_DEPT, org=township)
    members = list(Member.objects.in_register().filter(org_path__startswith=village.path, status=Status.FULL).order_by("id")[:3])
    if len(members) < 3:
        log("带头人队伍：演示村正式党员不足 3 名，跳过")
        return
    plan = services.create_plan(actor, district, title=f"{district.short_name or district.name}{today.year}年村（社区）“两委”换届工作方案",
                                year=today.year, starts_on=today - datetime.timedelta(days=90), ends_on=today + datetime.timedelta(days=30),
                                summary="9月制定方案，10月资格联审、提名候选人，11月选举，12月报备。")
    vote_on = today - datetime.timedelta(days=14)
    election = services.create_election(actor, village, plan=plan, party_seats=3, villagers_seats=3, vote_on=vote_on)
    election, _cands = _elect(actor, election, members, rng, voters=320)
    term_audit = services.create_audit(actor, village, kind="term", person_name=members[0].name, post_label="书记",
                                       scope=f"{vote_on.year - 5}—{vote_on.year}年任期内村级财务收支、资产资源管理", auditor="镇农村集体“三资”管理服务中心",
                                       election=election)
    services.finish_audit(actor, term_audit, findings="村级财务收支基本规范；2笔招待费票据不全。", follow_up="已补齐票据，完善审批流程。",
                          finished_on=vote_on - datetime.timedelta(days=3))
    services.publish_audit(actor, term_audit)
    services.close_election(actor, election, reported_on=today - datetime.timedelta(days=7))

    others = list(queries.villages(Q(path__startswith=district.path)).exclude(pk=village.pk).order_by("path")[:3])
    if others:
        second = others[0]
        e2 = services.create_election(actor, second, plan=plan, party_seats=3, villagers_seats=3)
        m2 = list(Member.objects.in_register().filter(org_path__startswith=second.path, status=Status.FULL).order_by("id")[:1])
        if m2:
            c1 = services.add_candidate(actor, e2, body="party", seat="secretary", name=m2[0].name, gender=m2[0].gender,
                                        birth_date=m2[0].birth_date, member=m2[0])
            c2 = services.add_candidate(actor, e2, body="villagers", seat="director", name="马志强", gender="male",
                                        birth_date=datetime.date(1978, 6, 1))
            services.advance(actor, e2)
            for body, _label in rules.vetting_bodies():
                services.sign_off(actor, c1, body=body, result="pass")
            services.sign_off(actor, c2, body="police", result="fail", hits=["criminal"], note="2019年因寻衅滋事受过刑事处罚")
        for i, org in enumerate(others):
            for j in range(2 + i % 2):
                services.add_reserve(actor, org, {
                    "name": rng.choice("王李张刘陈杨黄") + rng.choice(["晓东", "佳怡", "子涵", "文博", "雨桐"]) + str(j or ""),
                    "gender": rng.choice(["male", "female"]), "birth_date": datetime.date(rng.randint(1988, 1999), rng.randint(1, 12), 1),
                    "source": rng.choice(["returnee", "graduate", "doctor_teacher", "cadre", "veteran"]), "education": "bachelor",
                    "phone": f"139{rng.randint(10000000, 99999999)}", "target_post": "村党组织书记", "entered_on": today - datetime.timedelta(days=200)})
    reserve = services.add_reserve(actor, village, {"name": "周子涵", "gender": "female", "birth_date": datetime.date(1996, 4, 1), "source": "graduate",
                                                    "education": "postgraduate", "phone": "13900001111", "target_post": "村委会主任",
                                                    "entered_on": today - datetime.timedelta(days=300), "reason": "大学生村官，群众基础好"})
    services.record_reserve_event(actor, reserve, kind="assess", happened_on=today - datetime.timedelta(days=30), note="年度考察", grade="excellent")
    course = services.create_course(actor, district, title=f"{today.year}年村（社区）党组织书记示范培训班", held_on=today - datetime.timedelta(days=60),
                                    hours=24, organizer="区委组织部、区委党校")
    services.add_attendance(actor, course, member=members[0])
    services.add_attendance(actor, course, reserve=reserve)
    for year, grade in ((today.year - 2, "excellent"), (today.year - 1, "excellent")):
        services.record_review(actor, village, year=year, name=members[0].name, member=members[0], post_label="书记", report="抓党建促发展", grade=grade)
    for year in (today.year - 2, today.year - 1):
        services.record_review(actor, village, year=year, name="吴德明", post_label="村委会委员", report="分管工作推进慢", grade="incompetent")
    log(f"带头人队伍：换届 2 次（1 次已完成），后备人才 {len(others) * 2 + 1} 名以上，培训 1 期，述职评议 4 条")
