"""Side-menu entries of organizational life (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("三会一课", "orglife:meeting_list", Section.ORGLIFE, show=scoping.reads_records, active_on=("orglife:meeting_*", "orglife:attachment_*"), order=10),
    MenuItem("落实情况", "orglife:compliance_home", Section.ORGLIFE, show=scoping.reads_records,
             active_on=("orglife:compliance*", "orglife:ledger*", "orglife:six_months*", "orglife:attendance"), order=20),
    MenuItem("民主评议党员", "orglife:appraisal_list", Section.ORGLIFE, active_on=("orglife:appraisal_*",), order=30),
]
