"""The Excel ledgers (台账) the platform already generates from records, so the grassroots need not type them again
(part 7: 减负). Each entry names the URL of the page where the ledger is exported; entries whose app is not
installed (or whose URL is gone) are left out when the page is drawn."""

from django.urls import NoReverseMatch, reverse

# (ledger, the app that keeps the records, URL name of the page it is exported from, what it replaces)
LEDGERS = [
    ("党组织台账", "组织体系", "orgs:tree", "各级党组织基本情况表"),
    ("党员花名册", "党员", "members:list", "党员信息统计表、花名册"),
    ("党员统计表", "党员", "members:statistics", "党员队伍结构统计报表"),
    ("三会一课台账", "组织生活", "orglife:compliance_home", "三会一课记录本、落实情况统计表"),
    ("民主评议党员汇总表", "组织生活", "orglife:appraisal_summary_home", "民主评议结果统计表"),
    ("发展党员工作台账", "发展党员", "development:board", "发展党员工作记实表"),
    ("组织关系转接台账", "组织关系转接", "relations:transfer_list", "组织关系介绍信存根登记"),
    ("党费收缴台账", "党费", "dues:summary", "党费收缴明细表"),
    ("谈心谈话记录", "谈心谈话", "talks:talk_list", "谈心谈话记录本"),
    ("村务公开台账", "村（居）务公开", "disclosure:manage_list", "公开栏内容登记"),
    ("通知落实情况表", "督导与通知", "supervision:home", "通知签收登记、落实情况汇总表"),
    ("督办事项台账", "督导与通知", "supervision:assignments", "督办事项登记表、督办落实情况汇总表"),
    ("问题、责任和整改清单", "督导与通知", "supervision:groups", "督导问题整改台账"),
    ("挂牌和临时机构清理台账", "正风肃纪与减负", "discipline:bodies", "挂牌清理统计表"),
    ("基层负担登记表", "正风肃纪与减负", "discipline:burdens", "减负情况统计表"),
]


def available():
    """[(ledger, app, url, replaces)] for the ledgers whose page exists in this installation."""
    rows = []
    for name, app, url_name, replaces in LEDGERS:
        try:
            rows.append((name, app, reverse(url_name), replaces))
        except NoReverseMatch:
            continue
    return rows
