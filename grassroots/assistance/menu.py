"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section


def _reads_or_assists(user):
    return scoping.reads_records(user) or scoping.is_assisting_contact(user)


ITEMS = [
    MenuItem("结对帮扶覆盖", "assistance:coverage", Section.RECTIFY, show=scoping.reads_records, active_on=("assistance:coverage*",), order=50),
    MenuItem("结对帮扶", "assistance:pairing_list", Section.RECTIFY, show=_reads_or_assists,
             active_on=("assistance:pairing_*", "assistance:poor_*"), order=51),
    MenuItem("驻村干部", "assistance:stationing_list", Section.RECTIFY, show=_reads_or_assists,
             active_on=("assistance:stationing_*", "assistance:attendance_*", "assistance:leave_*", "assistance:log_*"), order=52),
    MenuItem("联户走访", "assistance:household_list", Section.RECTIFY, show=scoping.reads_records,
             active_on=("assistance:household_*", "assistance:visit_*"), order=53),
    MenuItem("任务书通报", "assistance:bulletin", Section.RECTIFY, show=scoping.reads_records, active_on=("assistance:bulletin", "assistance:book_*"), order=54),
    MenuItem("驻村干部考核", "assistance:assessment_list", Section.RECTIFY, show=scoping.reads_records,
             active_on=("assistance:assessment_*", "assistance:rating_*"), order=55),
]
