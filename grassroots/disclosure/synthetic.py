"""Demo data for disclosure (called by grassroots.dataset.generator.load for the demo scale): schedules and
published routine disclosures of the demo village (village_sj's organization) and of one 天宁 community, a
quarterly income and expenditure table, one correction (two versions), and questions (answered, hidden, open).

Written through the services, so every item is in its village's hash chain exactly as a real one would be."""

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.accounts.models import RoleAssignment
from grassroots.core.roles import Role
from grassroots.orgs.choices import Category as OrgCategory
from grassroots.orgs.models import Organization

from . import rules, services
from .choices import ROUTINE_CATEGORIES, Category, Frequency
from .models import Disclosure

PHOTO = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx"
         b"\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _role(username, role):
    return RoleAssignment.objects.filter(user__username=username, role=role).select_related("user", "org").first()


def _last_quarters(today, n):
    start, _end = rules.period_of(Frequency.QUARTER, today)
    result = []
    for _ in range(n):
        start, _end = rules.previous_period(Frequency.QUARTER, start)
        result.append(start)
    return result  # newest first


def _village(actor, org, today, log):
    q1, q2 = _last_quarters(today, 2)
    for category in (Category.VILLAGE, Category.FINANCE, Category.PARTY):
        services.set_schedule(actor, org, category=category, frequency=rules.default_frequency(category), starts_on=q2)
    key, label = rules.period_key(Frequency.QUARTER, q1), rules.period_label(Frequency.QUARTER, q1)
    finance = services.publish_disclosure(
        actor, org, category=Category.FINANCE, title=f"{label}村级财务收支公开", period_key=key, period_label=label,
        body="现将本村本季度财务收支情况公布如下，接受全体村民监督。如有疑问，请在下方提问或向村务监督委员会反映。",
        table=[
            {"item": "上级转移支付", "income": "186000.00", "expenditure": "0"},
            {"item": "集体资产租赁收入", "income": "54200.00", "expenditure": "0"},
            {"item": "村道养护", "income": "0", "expenditure": "38650.00"},
            {"item": "环境卫生保洁", "income": "0", "expenditure": "24000.00"},
            {"item": "村干部报酬", "income": "0", "expenditure": "96000.00"},
            {"item": "办公及水电费", "income": "0", "expenditure": "8312.60"},
        ],
        attachments=[SimpleUploadedFile("收支凭证汇总.png", PHOTO)],
    )
    village = services.publish_disclosure(
        actor, org, category=Category.VILLAGE, title=f"{label}村务公开", period_key=key, period_label=label,
        body="一、完成村民小组道路修缮两处；\n二、发放困难家庭慰问金 12 户；\n三、新增路灯 30 盏（已验收）。",
    )
    corrected = services.correct_disclosure(
        actor, village, title=f"{label}村务公开", reason="慰问户数填写有误（应为 14 户）",
        body="一、完成村民小组道路修缮两处；\n二、发放困难家庭慰问金 14 户；\n三、新增路灯 30 盏（已验收）。",
    )
    services.publish_disclosure(
        actor, org, category=Category.PARTY, title=f"{rules.period_label(Frequency.QUARTER, q2)}党务公开",
        period_key=rules.period_key(Frequency.QUARTER, q2), period_label=rules.period_label(Frequency.QUARTER, q2),
        body="一、发展党员：确定入党积极分子 2 名；\n二、党费收缴：应缴 86 人，实缴 86 人；\n三、主题党日：开展志愿服务 3 次。",
    )
    asked = services.ask_question(finance, name="三组村民", text="村道养护费用是按什么标准支付的？", ip="demo-1")
    services.answer_question(actor, asked, answer="按镇公路站核定的养护定额支付，合同和验收单在村委会可查阅。")
    rude = services.ask_question(finance, text="（演示）含辱骂和广告的提问内容", ip="demo-2")
    services.hide_question(actor, rude, reason="含辱骂和广告内容")
    services.ask_question(corrected, name="", text="慰问金的发放标准是多少？", ip="demo-3")
    log(f"  公开：{org.name} 已发布 {Disclosure.objects.filter(org=org).count()} 条（含更正 1 条、提问 3 条）")


def _community(actor, org, today, log):
    (q1,) = _last_quarters(today, 1)
    key, label = rules.period_key(Frequency.QUARTER, q1), rules.period_label(Frequency.QUARTER, q1)
    for category in (Category.RESIDENTS, Category.PARTY, Category.FINANCE):
        services.set_schedule(actor, org, category=category, frequency=rules.default_frequency(category), starts_on=q1)
    services.publish_disclosure(
        actor, org, category=Category.RESIDENTS, title=f"{label}居务公开", period_key=key, period_label=label,
        body="一、完成老旧小区加装电梯意见征询 3 栋；\n二、开展“双报到”在职党员志愿服务 12 次；\n三、调解邻里纠纷 9 起。",
    )
    services.publish_disclosure(
        actor, org, category=Category.FINANCE, title=f"{label}社区服务经费收支公开", period_key=key, period_label=label,
        body="社区服务群众专项经费收支如下。",
        table=[{"item": "服务群众专项经费", "income": "50000", "expenditure": "0"},
               {"item": "邻里节活动", "income": "0", "expenditure": "6800"}, {"item": "为老服务", "income": "0", "expenditure": "12450.5"}],
    )
    log(f"  公开：{org.name} 已发布 2 条")


def generate_demo(today, seed, log):
    """Add this app's demo records; return nothing. `log(message)` prints progress."""
    # Only routine disclosures count here: the decisions demo step has already published its matters' ones.
    village = _role("village_sj", Role.SECRETARY)
    if village is not None and not Disclosure.objects.filter(org=village.org, category__in=ROUTINE_CATEGORIES).exists():
        _village(village.user, village.org, today, log)
    district = _role("tianning_zzb", Role.ORG_DEPT)
    if district is not None:
        community = (
            Organization.objects.within(district.org).filter(category=OrgCategory.COMMUNITY, is_active=True, depth__gt=district.org.depth)
            .order_by("depth", "path").first()
        )
        if community is not None and not Disclosure.objects.filter(org=community, category__in=ROUTINE_CATEGORIES).exists():
            _community(district.user, community, today, log)
