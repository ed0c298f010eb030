"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section


def _shows(user):
    return scoping.reads_records(user) or scoping.manages(user)


ITEMS = [
    MenuItem("述职评议考核", "assessment:rounds", Section.OVERSIGHT, show=_shows, active_on=("assessment:*",), order=60),
]
