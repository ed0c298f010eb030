"""Side-menu entries of talks (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [MenuItem("谈心谈话", "talks:talk_list", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("talks:*",), order=60)]
