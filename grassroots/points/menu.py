"""Side-menu entries of points and star ratings (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("积分与星级", "points:home", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("points:*",), order=50),
    MenuItem("我的积分", "points:mine", Section.MEMBER_WORK, show=scoping.has_own_member_record, order=90),
]
