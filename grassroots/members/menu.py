"""Side-menu entries of the member registry (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("党员名册", "members:list", Section.MEMBERS, show=scoping.reads_records, active_on=("members:*",), order=10),
    MenuItem("党员导入", "members:import", Section.MEMBERS, show=scoping.manages, active_on=("members:import_*",), order=20),
    MenuItem("信息更正申请", "members:corrections", Section.MEMBERS, show=scoping.manages, active_on=("members:correction_*",), order=30),
    MenuItem("党员统计", "members:statistics", Section.MEMBERS, show=scoping.reads_records, order=40),
    MenuItem("党员信息核查", "members:quality", Section.MEMBERS, show=scoping.reads_records, active_on=("members:quality_*",), order=50),
    MenuItem("我的党员信息", "members:me", Section.MEMBERS, show=scoping.has_own_member_record, order=60),
]
