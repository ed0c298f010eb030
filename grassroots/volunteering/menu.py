"""Side-menu entries of volunteering (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("我的报到", "volunteering:my", Section.MEMBER_WORK, show=scoping.has_own_member_record,
             active_on=("volunteering:my", "volunteering:statement"), order=70),
    MenuItem("社区报到台", "volunteering:desk", Section.MEMBER_WORK, show=scoping.keeps_community_desk, active_on=("volunteering:desk*",), order=71),
    MenuItem("单位报到与反馈", "volunteering:unit", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("volunteering:unit*",), order=72),
    MenuItem("双报到统计", "volunteering:stats", Section.MEMBER_WORK, show=scoping.reads_records, active_on=("volunteering:stats*",), order=73),
]
