"""Demo data of the basic guarantees: the city's and 武进's standards, the 2026 check in 武进 with the demo village's
report verified by the town (two shortfalls, two tracking tasks), the other reports still open, and the town's
cadres' checklist."""

import datetime

from django.core.files.base import ContentFile

from grassroots.accounts.models import RoleAssignment
from grassroots.core.roles import Role

from . import services


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def generate_demo(today, seed, log):
    city, dept, town, village = (_role("city_zzb", Role.ORG_DEPT), _role("wujin_zzb", Role.ORG_DEPT), _role("town_sj", Role.SECRETARY),
                                 _role("village_sj", Role.SECRETARY))
    if not (city and dept and town and village):
        log("基础保障：没有演示组织部、镇书记或村书记账号，跳过")
        return
    on = datetime.date(today.year, 1, 1)
    d = dept.user
    services.add_standard(city.user, city.org, item="work_funds", applies_to="rural", valid_from=on, floor="100000", source="常组通〔2026〕3号")
    services.add_standard(city.user, city.org, item="work_funds", applies_to="community", valid_from=on, floor="200000", source="常组通〔2026〕3号")
    services.add_standard(d, dept.org, item="secretary_pay", applies_to="rural", valid_from=on, ratio="2", base="46300",
                          source="武组〔2026〕5号：不低于上年度本区农村居民人均可支配收入的2倍")
    services.add_standard(d, dept.org, item="staff_pay", applies_to="community", valid_from=on, ratio="1", base="98600", source="武组〔2026〕5号")
    for item in ("pension", "medical", "venue_facilities"):
        for kind in ("rural", "community"):
            services.add_standard(d, dept.org, item=item, applies_to=kind, valid_from=on, source="武组〔2026〕5号")
    services.add_standard(d, dept.org, item="venue_area", applies_to="rural", valid_from=on, floor="500")
    services.add_standard(d, dept.org, item="service_funds", applies_to="rural", valid_from=on, floor="50000")
    services.add_standard(d, dept.org, item="dues_share", applies_to="rural", valid_from=on, floor="50")
    campaign = services.open_campaign(d, dept.org, year=today.year, due_on=today + datetime.timedelta(days=20))
    report = campaign.reports.filter(org=village.org).first()
    if report is not None and report.applies_to == "rural":
        services.save_figures(village.user, report, {
            "work_funds": "120000", "secretary_pay": "86000", "pension": True, "medical": True, "venue_area": "460",
            "venue_facilities": True, "service_funds": "50000", "dues_share": "60",
        })
        services.add_evidence(village.user, report, ContentFile(b"%PDF-1.4\n%demo\n%%EOF\n", name="村级经费预算批复.pdf"))
        services.submit_report(village.user, report)
        if services.can_verify(town.user, report):
            services.verify_report(town.user, report, today=today)
    services.check_conditions(d, town.org, year=today.year, canteen=True, dormitory=True, bathhouse=False, note="澡堂在建", checked_on=today)
    log(f"基础保障：标准 {len(services.rules.ITEMS)} 项，核查 {campaign.reports.count()} 个村（社区）")
