from grassroots.core import audit
from grassroots.core.excel import xlsx_response

from .models import Organization

LEDGER_HEADERS = [
    "组织代码", "党组织名称", "简称", "组织类别", "所在单位类别", "上级组织代码", "层级",
    "成立日期", "本届任期开始", "届满日期", "地址", "联系人", "联系电话", "状态", "撤销日期",
]


def organization_ledger_rows(org):
    """Rows of the organization ledger for `org` and its subtree, read in chunks."""
    qs = Organization.objects.within(org).order_by("path")
    parent = Organization.objects.filter(path=org.parent_path).first()
    codes = {parent.path: parent.code} if parent else {}
    for o in qs.iterator(chunk_size=2000):
        codes[o.path] = o.code
        yield [
            o.code, o.name, o.short_name, o.get_kind_display(), o.get_category_display(),
            codes.get(o.parent_path, ""), o.depth, o.established_on, o.term_start, o.term_end,
            o.address, o.contact_person, o.contact_phone, "正常" if o.is_active else "已撤销", o.dissolved_on,
        ]


def organization_ledger_response(user, org):
    audit.record(audit.Action.EXPORT, org, actor=user, org_path=org.path, note="导出党组织台账")
    return xlsx_response(f"党组织台账-{org.short_name or org.name}", "党组织台账", LEDGER_HEADERS, organization_ledger_rows(org))
