"""Demo data of discipline, written through the services:

- the discipline-inspection account `jijian` (纪检, on 武进区委: the only demo account that reads leads);
- leads about 武进's villages: reports from the public page (anonymous and named, identity encrypted), a letter,
  a visit and one found by supervision, in each state: 已受理, 已核实, 已办结 (通报 drafted) and 已通报 (published);
  a special campaign (群众身边不正之风和腐败问题专项整治) groups most of them for its report upward;
- plaques and temporary bodies of town_sj's township and its villages, kept, merged and removed with dates and a
  photo of the removed plaque;
- the burden register of village_sj's village and the township, with duplicates marked (one a ledger the platform
  already generates) and the township's decision on one of them.
"""

import datetime
import struct
import zlib

from django.core.cache import cache
from django.core.files.base import ContentFile

from grassroots.accounts import services as accounts
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.roles import Role
from grassroots.dataset.generator import DEMO_PASSWORD
from grassroots.orgs.models import Organization

from . import services
from .choices import BurdenState

DEMO_LOGINS = ("jijian",)


def _role(username, role):
    return RoleAssignment.objects.active().filter(user__username=username, role=role).select_related("user", "org").first()


def _png(width=32, height=20, rgb=(200, 22, 29)):
    """A small solid PNG (the demo's photo of a removed plaque), made here so no binary file is kept."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


REPORTS = [
    # (category, summary, detail, accused, named)
    ("withholding", "低保金发放不到位", "村里有困难户反映低保金连续三个月没有到账，怀疑被村干部截留。", "村会计", True),
    ("favouritism", "危房改造名额给了亲戚", "今年危房改造补助名额给了村干部的亲戚，真正的困难户没有评上。", "", False),
    ("iou", "工程款打白条", "村里修路的工程款拖欠两年，只给了白条，施工队多次讨要无果。", "村委会主任", True),
    ("land", "集体土地私下转让", "村民小组的一块集体土地被私下卖给外地老板建厂，村民不知情。", "", False),
    ("overbearing", "村干部作风粗暴", "村干部办事态度粗暴，群众去办证明经常被推诿、训斥。", "村委会副主任", False),
]


def generate_demo(today, seed, log):
    dept, town, village_sj = _role("wujin_zzb", Role.ORG_DEPT), _role("town_sj", Role.SECRETARY), _role("village_sj", Role.SECRETARY)
    if dept is None or town is None:
        log("正风肃纪与减负：没有演示区委组织部或镇书记账号，跳过")
        return
    jijian = User.objects.filter(username="jijian").first() or accounts.create_user(
        dept.user, username="jijian", full_name="区纪委监委派驻纪检组", password=DEMO_PASSWORD, role=Role.DISCIPLINE, org=dept.org)
    villages = list(Organization.objects.get_children(town.org).filter(is_active=True).exclude(kind="group").order_by("path")[:5])
    if village_sj is not None and village_sj.org in villages:
        villages.remove(village_sj.org)
        villages.insert(0, village_sj.org)
    if not villages:
        villages = [town.org]
    campaign = services.create_campaign(jijian, dept.org, name=f"{today.year}年群众身边不正之风和腐败问题集中整治",
                                        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120))
    leads = []
    cache_keys = []
    for i, (category, summary, detail, accused, named) in enumerate(REPORTS):
        ip = f"198.51.100.{i + 1}"  # each demo reporter from its own (documentation) address: the rate limit holds per address
        lead, _code = services.submit_report(org=villages[i % len(villages)], category=category, summary=summary, detail=detail, accused=accused,
                                             name=f"群众{'甲乙丙丁戊'[i]}" if named else "", phone=f"1391234{5670 + i:04d}" if named else "", ip=ip)
        cache_keys.append(f"discipline:report:{services.client_hash(ip)}")
        services.assign_campaign(jijian, lead, campaign)
        leads.append(lead)
    cache.delete_many(cache_keys)
    leads.append(services.register_lead(jijian, villages[0], source="letter", category="finance", summary="村级账目长期不公开",
                                        detail="来信反映村级财务收支一年多没有在公开栏公布，招待费开支较大。", received_on=today - datetime.timedelta(days=20),
                                        campaign=campaign))
    leads.append(services.register_lead(jijian, town.org, source="supervision", category="vote_buying", summary="换届中请客拉票",
                                        detail="督导检查中群众反映，有候选人在换届前请党员吃饭、送购物卡拉票。", received_on=today - datetime.timedelta(days=15)))
    # states: two verified and concluded (one 通报 published), one verified, the rest accepted
    for lead, finding in zip(leads[:3], ("true", "partly", "false"), strict=True):
        services.verify_lead(jijian, lead, verification={"true": "经查，反映问题属实：村会计挪用低保金 4,800 元。",
                                                          "partly": "经查，危房改造评审程序不规范，但受助户符合条件。",
                                                          "false": "经查，工程款已于今年按合同支付，反映问题不属实。"}[finding],
                             verified_on=today, finding=finding)  # the portal leads came in today
    services.conclude_lead(jijian, leads[0], conclusion="给予村会计党内严重警告处分，追缴资金全部发放到户。", concluded_on=today)
    services.conclude_lead(jijian, leads[1], conclusion="责令村党组织重新公示评审结果，对村党组织书记批评教育。", concluded_on=today)
    first = leads[0]
    first.refresh_from_db()
    services.publish_bulletin(jijian, first.bulletin, title=first.bulletin.title, body=first.bulletin.body)

    # plaques and temporary bodies
    bodies = [
        (town.org, "temporary", "创建工作领导小组", "镇政府办", "keep", ""),
        (town.org, "temporary", "秸秆禁烧工作指挥部", "镇农业农村局", "merge", "镇生态环境工作领导小组"),
        (villages[0], "plaque", "村级老年协会活动站", "区民政局", "remove", ""),
        (villages[0], "plaque", "农家书屋", "区文化广电和旅游局", "merge", "村党群服务中心"),
        (villages[-1], "plaque", "科普宣传站", "区科协", "pending", ""),
    ]
    for org, kind, name, dept_name, decision, merged_into in bodies:
        body = services.register_body(town.user, org, kind=kind, name=name, issuing_dept=dept_name, set_up_on=datetime.date(today.year - 3, 5, 1))
        if decision != "pending":
            photos = [ContentFile(_png(), name="撤牌后.png")] if decision == "remove" else ()
            services.decide_body(town.user, body, decision=decision, decided_on=today - datetime.timedelta(days=10), merged_into=merged_into,
                                 note="按照基层减负要求清理", photos=photos)

    # the burden register
    unit = village_sj.org if village_sj is not None else villages[0]
    reporter = village_sj.user if village_sj is not None else town.user
    burdens = [
        ("form", "党员基本情况统计表", "区某局", 4, 3, True, "党员统计表（平台自动生成）"),
        ("ledger", "三会一课纸质记录本", "镇党建办", 12, 2, True, "三会一课台账（平台自动生成）"),
        ("meeting", "创建工作推进会", "镇创建办", 12, 2, False, ""),
        ("inspection", "村级档案规范化检查", "区档案馆", 2, 6, False, ""),
        ("form", "人居环境整治周报", "镇农业农村局", 52, 1, True, "人居环境整治月报"),
    ]
    made = []
    for kind, title, issuer, times, hours, duplicate, duplicate_of in burdens:
        made.append(services.report_burden(reporter, unit, kind=kind, title=title, issuing_dept=issuer, times_per_year=times, hours_each=hours,
                                           duplicate=duplicate, duplicate_of=duplicate_of))
    decider = town.user if unit.path.startswith(town.org.path) and unit.pk != town.org_id else dept.user
    services.decide_burden(decider, made[0], state=BurdenState.CUT, note="改由平台导出党员统计表，不再另行填报")
    services.decide_burden(decider, made[3], state=BurdenState.KEPT, note="档案检查每年两次，确需保留")
    log(f"正风肃纪与减负：问题线索 {len(leads)} 件（通报 1 份），挂牌和临时机构 {len(bodies)} 个，基层负担 {len(burdens)} 项；纪检账号 jijian")
