"""Demo data of 述职评议考核: 武进's round for the secretaries below it (the town's secretary among them when the demo
has posts), with reports submitted and commented, and a village secretaries' 述职述廉 round of the town in the
reporting step. Five representative logins (daibiao1..5, password the demo's) get the REPRESENTATIVE role."""

from grassroots.accounts import services as accounts
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD

from . import services
from .choices import Kind

PARTS = {
    "ideas": "坚持大抓基层的鲜明导向，把党建责任落实到每个支部。", "measures": "书记带头调研支部，开展软弱涣散党组织整顿，落实基础保障。",
    "shortcomings": "个别支部组织生活质量不高。", "plans": "明年重点抓支部标准化规范化建设。",
}


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


DEMO_LOGINS = tuple(f"daibiao{i}" for i in range(1, 6))  # the representatives who vote in the demo round (评议代表, 武进区委)


def generate_demo(today, seed, log):
    dept, town = _role("wujin_zzb", Role.ORG_DEPT), _role("town_sj", Role.SECRETARY)
    if not (dept and town):
        log("述职评议：没有演示组织部或镇书记账号，跳过")
        return
    for i in range(1, 6):
        if not User.objects.filter(username=f"daibiao{i}").exists():
            accounts.create_user(dept.user, username=f"daibiao{i}", full_name=f"评议代表{i}", password=DEMO_PASSWORD, role=Role.REPRESENTATIVE, org=dept.org)
    subjects = services.secretaries_below(dept.org)[:4]
    if subjects:
        round = services.create_round(dept.user, dept.org, year=today.year, subjects=subjects, today=today)
        for report in round.reports.all():
            services.save_report(dept.user, report, submit=True, **PARTS)
            services.comment(dept.user, report, text="抓基层党建责任落实较好，组织生活仍需规范。", year_score="82")
        log(f"述职评议：{round.title}，述职人 {len(subjects)} 名，待开始代表评议")
    villages = services.secretaries_below(town.org)[:3]
    if villages:
        round = services.create_round(town.user, town.org, year=today.year, kind=Kind.VILLAGE, subjects=villages, today=today)
        log(f"述职述廉：{round.title}，述职人 {len(villages)} 名")
