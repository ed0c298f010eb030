"""Side-menu entries of the organization tree (see grassroots/core/menu.py)."""

from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("党组织体系", "orgs:tree", Section.ORGS, active_on=("orgs:*",)),
    MenuItem("查找党组织", "orgs:search", Section.ORGS),
]
