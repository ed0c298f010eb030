"""Side-menu entries of discipline (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("问题线索", "discipline:leads", Section.OVERSIGHT, show=scoping.reads_leads, active_on=("discipline:lead*", "discipline:campaign*"), order=20),
    MenuItem("挂牌和临时机构", "discipline:bodies", Section.OVERSIGHT, show=scoping.reads_records, active_on=("discipline:bod*",), order=21),
    MenuItem("基层减负", "discipline:burdens", Section.OVERSIGHT, show=scoping.reads_records, active_on=("discipline:burden*",), order=22),
    MenuItem("平台自动生成的台账", "discipline:generated", Section.OVERSIGHT, show=scoping.everyone, order=23),
]
