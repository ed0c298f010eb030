"""Side-menu entries of member development (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [MenuItem("发展党员", "development:board", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("development:*",), order=10)]
