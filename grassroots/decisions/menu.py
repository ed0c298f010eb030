"""Side-menu entries of 四议两公开 (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("四议两公开", "decisions:matter_list", Section.VILLAGE, show=scoping.oversees_villages, active_on=("decisions:matter_*", "decisions:step_*", "decisions:village", "decisions:publish", "decisions:close", "decisions:after_failure", "decisions:opinion_*", "decisions:disclosure_opinion"), order=10),
    MenuItem("四议两公开监督", "decisions:oversight", Section.VILLAGE, show=scoping.reads_records, active_on=("decisions:oversight*",), order=40),
]
