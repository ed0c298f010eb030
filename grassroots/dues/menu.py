"""Side-menu entries of Party dues (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [MenuItem("党费收缴", "dues:home", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("dues:*",), order=40)]
