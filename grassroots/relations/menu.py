"""Side-menu entries of transfers, floating and lost-contact members (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("组织关系转接", "relations:transfer_list", Section.MEMBER_WORK, show=scoping.reads_records,
             active_on=("relations:transfer_*", "relations:member_search", "relations:destinations"), order=20),
    MenuItem("流动与失联党员", "relations:floating_list", Section.MEMBER_WORK, show=scoping.reads_records,
             active_on=("relations:floating_*", "relations:lost_*"), order=30),
]
