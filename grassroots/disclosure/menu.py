"""Side-menu entries of disclosure and the public portal (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("党务村务居务公开", "disclosure:manage_list", Section.VILLAGE, show=scoping.oversees_villages, active_on=("disclosure:*",), order=20),
    MenuItem("群众提问", "disclosure:questions", Section.VILLAGE, show=scoping.oversees_villages, active_on=("disclosure:question_*",), order=30),
    MenuItem("公开栏（公众页面）", "portal:index", Section.VILLAGE, order=50),
]
