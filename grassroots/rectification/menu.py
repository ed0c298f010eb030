"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

from .views import reads

ITEMS = [
    MenuItem("软弱涣散整顿", "rectification:home", Section.RECTIFY, show=reads,
             active_on=("rectification:home", "rectification:export", "rectification:case*"), order=10),
    MenuItem("摸底排查", "rectification:screenings", Section.RECTIFY, show=scoping.reads_records, active_on=("rectification:screening*",), order=11),
    MenuItem("整顿工作报告", "rectification:report", Section.RECTIFY, show=scoping.reads_records, active_on=("rectification:report*",), order=12),
]
