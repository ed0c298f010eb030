"""Side-menu entries of supervision (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("通知与签收", "supervision:home", Section.OVERSIGHT, show=scoping.reads_records,
             active_on=("supervision:home", "supervision:notice*", "supervision:receipt*"), order=10),
    MenuItem("督办任务", "supervision:assignments", Section.OVERSIGHT, show=scoping.reads_records, active_on=("supervision:assignment*",), order=11),
    MenuItem("督导检查", "supervision:groups", Section.OVERSIGHT, show=scoping.reads_records,
             active_on=("supervision:group*", "supervision:visit", "supervision:finding", "supervision:intervention", "supervision:org_history*"), order=12),
]
