"""Demo data for assistance, written through the services: in the demo village (village_sj's) a poor-village flag, a
pairing with a district unit and its task book (one task overdue, one reported on), a first secretary and a team
member with three months of attendance (one month short), leave (one short pending, one long approved), a work log,
three households in need with visits, and last year's assessment. A second poor village of the town has no pair, so
the coverage page shows a gap. Two demo logins: `zhucun` (第一书记/驻村工作队员 on the demo village: the first
secretary's record, its task book with two tasks to report on, attendance, leave and the work log) and `bangfu`
(帮扶单位联络人 on the assisting unit: its pairing with the village, the cadres it sent, and the pairing's task named on
them to report on). The first secretary is linked to the village's open rectification case when there is one."""

import datetime

from grassroots.accounts import services as accounts
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD
from grassroots.orgs.models import Organization
from grassroots.tracking import services as tracking

from . import coverage, engines, rules, services

DEMO_LOGINS = ("zhucun", "bangfu")


def _login(actor, username, full_name, role, org):
    """The demo account with `role` on `org` (created once, through the accounts service)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return accounts.create_user(actor, username=username, full_name=full_name, password=DEMO_PASSWORD, role=role, org=org)
    if not RoleAssignment.objects.active().filter(user=user, role=role, org=org).exists():
        accounts.grant_role(actor, user, role, org)
    return user


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def generate_demo(today, seed, log):
    dept, town, village = _role("wujin_zzb", Role.ORG_DEPT), _role("town_sj", Role.SECRETARY), _role("village_sj", Role.SECRETARY)
    if not (dept and town and village):
        log("驻村帮扶：没有演示组织部、镇书记或村书记账号，跳过")
        return
    county, v = dept.org, village.org
    units, villages = coverage._units(county.path)
    if len(units) < 2:
        log("驻村帮扶：演示区没有机关、企事业单位党组织，跳过")
        return
    unit, school = (Organization.objects.get(pk=u["id"]) for u in units[:2])
    dept_u, town_u = dept.user, town.user
    start = today - datetime.timedelta(days=400)

    services.flag_poor(dept_u, v, source="省定经济薄弱村（苏办发〔2021〕12号）", designated_on=start)
    other = next((Organization.objects.get(pk=x["id"]) for x in villages if x["id"] != v.pk and x["path"].startswith(town.org.path)), None)
    if other is not None:
        services.flag_poor(dept_u, other, source="市定经济薄弱村", designated_on=start)
    pairing = services.create_pairing(dept_u, unit, v, started_on=start, contact_name="钱志强", goals="发展村集体经济，年经营性收入达到 200 万元")

    zhucun = _login(dept_u, "zhucun", "陈建华", Role.STATIONED, v)
    bangfu = _login(dept_u, "bangfu", "钱志强", Role.ASSISTING_CONTACT, unit)
    from grassroots.rectification.models import Case

    first = services.station(town_u, v, kind="first_secretary", name="陈建华", sending_unit=unit, started_on=start, term_years=2,
                             position="办公室副主任", phone="13861120001", user=zhucun, case=Case.objects.open_for(v))
    member = services.station(town_u, v, kind="team_member", name="杨海燕", sending_unit=school, started_on=start, term_years=2, phone="13861120002")
    this_month = rules.month_start(today)
    for back, (d1, d2) in enumerate([(22, 21), (21, 18), (23, 20)], start=1):
        month = (this_month - datetime.timedelta(days=back * 28)).replace(day=1)
        services.record_attendance(town_u, first, month=month, days=d1)
        services.record_attendance(town_u, member, month=month, days=d2, note="参加派出单位培训" if d2 < 20 else "")
    services.write_log(town_u, first, month=this_month - datetime.timedelta(days=1), work="走访农户 46 户；协调修建机耕路 1.2 公里；召开党员大会 1 次",
                       problems="村集体经济项目缺少启动资金", plan="推进农产品电商项目")
    services.request_leave(town_u, first, starts_on=today + datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=6), reason="家中有事")
    long = services.request_leave(town_u, member, starts_on=today - datetime.timedelta(days=40), ends_on=today - datetime.timedelta(days=35), reason="住院治疗")
    services.decide_leave(dept_u, long, approve=True, note="同意，注意身体")

    book = engines.open_task_book(dept_u, pairing)
    t1 = tracking.add_task(dept_u, book, title="建设村级光伏电站", due_on=today + datetime.timedelta(days=60), responsible_name="陈建华",
                           assignee_org=v, starts_on=start)
    tracking.add_task(dept_u, book, title="帮助销售农产品 50 万元", due_on=today - datetime.timedelta(days=10), responsible_name="钱志强", assignee_org=v,
                      responsible_user=bangfu)
    tracking.add_task(dept_u, book, title="资助困难学生 10 名", due_on=today + datetime.timedelta(days=120), responsible_name="杨海燕", assignee_org=v)
    tracking.report_progress(dept_u, t1, percent=40, text="完成选址和备案，设备招标中", reported_on=today - datetime.timedelta(days=3))
    own_book = engines.open_task_book(town_u, first)
    t2 = tracking.add_task(town_u, own_book, title="建强村党组织：发展青年党员 2 名", due_on=today + datetime.timedelta(days=90), responsible_name="陈建华",
                           responsible_user=zhucun, assignee_org=v, starts_on=start)
    tracking.add_task(town_u, own_book, title="走访全村农户并建立民情台账", due_on=today + datetime.timedelta(days=30), responsible_name="陈建华",
                      responsible_user=zhucun, assignee_org=v, starts_on=start)
    tracking.report_progress(zhucun, t2, percent=50, text="确定入党积极分子 3 名，1 名列为发展对象", reported_on=today - datetime.timedelta(days=5))

    for kind, name, phone, need, solved in (("empty_nest", "孙桂兰", "13900001001", "屋顶漏雨", "协调村集体维修"),
                                            ("left_behind", "周小明", "13900001002", "课后无人辅导", ""),
                                            ("disabled", "吴德明", "13900001003", "申请残疾人补贴", "已办理")):
        h = services.add_household(town_u, v, kind=kind, head_name=name, phone=phone, address=f"{v.short_name or v.name}3组")
        link = services.link_household(town_u, h, stationing=first, started_on=start)
        services.record_visit(town_u, link, visited_on=today - datetime.timedelta(days=12), needs=need, solved=solved, resolved=bool(solved))
    services.assess(dept_u, first, year=today.year - 1, grade="competent", comment="驻村工作扎实")
    log("驻村帮扶：1 个结对、2 名驻村干部、3 户联系户；演示账号 zhucun（第一书记）、bangfu（帮扶单位联络人）")
