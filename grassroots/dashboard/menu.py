"""Side-menu entries of the home page (see grassroots/core/navigation.py)."""

from grassroots.core.navigation import MenuItem, Section

ITEMS = [MenuItem("首页", "dashboard:home", Section.HOME)]
