"""Excel ledgers of organizational life, generated from the records (no extra forms to fill)."""

from django.utils import timezone

from grassroots.core import audit
from grassroots.core.excel import xlsx_response
from grassroots.orgs.choices import BRANCH_KINDS
from grassroots.orgs.models import Organization

from . import compliance, rules
from .choices import Period

LEDGER_HEADERS = ["序号", "会议类型", "召开组织", "会议时间", "会议地点", "会议主题", "主持人", "记录人", "授课人", "应到", "实到", "请假", "缺席", "状态"]


def ledger_rows(meetings):
    for n, m in enumerate(meetings, start=1):
        kind = m.get_kind_display() + ("（专题）" if m.is_special else "")
        yield [
            n, kind, m.org.short_name or m.org.name, timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"), m.place,
            m.topic, m.host.name if m.host else "", m.recorder.name if m.recorder else "", m.lecturer,
            m.present + m.on_leave + m.absent, m.present, m.on_leave, m.absent, m.get_state_display(),
        ]


def ledger_response(user, branch, year, meetings):
    audit.record(audit.Action.EXPORT, branch, actor=user, org_path=branch.path, note=f"导出{year}年三会一课台账")
    name = branch.short_name or branch.name
    return xlsx_response(f"三会一课台账-{name}-{year}", f"{year}年三会一课台账", LEDGER_HEADERS, ledger_rows(meetings))


def _columns(by):
    return [f"{m}月" for m in range(1, 13)] if by == Period.MONTH else ["一季度", "二季度", "三季度", "四季度"]


def compliance_rows(org, year, by):
    """Every branch of the subtree: its parent, each column as 已完成/未完成/进行中/不要求 with met/owed, and its rate."""
    results = compliance.compute(org, year)
    parents = dict(
        Organization.objects.filter(path__in={bc.org.parent_path for bc in results}).values_list("path", "name")
    )
    for bc in results:
        cells = [
            f"{compliance.STATUS_LABELS[c.status]} {c.met}/{c.owed}" if c.owed else compliance.STATUS_LABELS[c.status]
            for c in bc.cells(by)
        ]
        percent = f"{bc.percent}%" if bc.percent is not None else ""
        yield [bc.org.code, bc.org.name, parents.get(bc.org.parent_path, ""), *cells, bc.met, bc.due, percent]


def compliance_response(user, org, year, by):
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note=f"导出{year}年组织生活落实情况")
    headers = ["组织代码", "党支部", "上级组织", *_columns(by), "已完成", "应完成", "完成率"]
    name = org.short_name or org.name
    if org.kind not in BRANCH_KINDS:
        name = f"{name}及下级"
    return xlsx_response(f"组织生活落实情况-{name}-{year}", f"{year}年组织生活落实情况", headers, compliance_rows(org, year, by))


SIX_MONTH_HEADERS = ["姓名", "所在党组织", "党员类别", "党籍状态", "最近一次参加组织生活", "起算日", "列入日期", "近六个月请假次数"]


def six_months_response(user, org, members, as_of):
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note=f"导出连续六个月未参加组织生活党员名单（{as_of:%Y-%m-%d}）")

    def rows():
        for m in members.iterator(chunk_size=2000):
            last = timezone.localtime(m.last_present).strftime("%Y-%m-%d") if m.last_present else "无记录"
            yield [m.name, m.org.name, m.get_status_display(), m.get_state_display(), last, m.since,
                   rules.six_months_listed_from(m.since), m.leaves or 0]

    return xlsx_response(f"连续六个月未参加组织生活-{org.short_name or org.name}-{as_of:%Y%m%d}", "六个月未参加组织生活", SIX_MONTH_HEADERS, rows())


def appraisal_summary_rows(rows, total):
    from .choices import Grade

    def line(r, name):
        cells = []
        for value in Grade.values:
            p = r.percent(value)
            cells += [r.counts[value], f"{p:g}%" if p is not None else ""]
        return [name, r.branches, r.concluded, r.not_concluded, r.appraised, *cells]

    for r in rows:
        yield line(r, r.org.name)
    yield line(total, "合计")


def appraisal_summary_response(user, org, year):
    from . import appraisal
    from .choices import Grade

    rows, total = appraisal.rollup(org, year)
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note=f"导出{year}年民主评议党员结果汇总")
    headers = ["组织", "应开展评议的党支部", "已评定的党支部", "未评定的党支部", "参评党员"]
    for label in Grade.labels:
        headers += [f"{label}（人）", f"{label}（%）"]
    name = org.short_name or org.name
    return xlsx_response(f"民主评议党员结果汇总-{name}-{year}", f"{year}年民主评议结果汇总", headers, appraisal_summary_rows(rows, total))
