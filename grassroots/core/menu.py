"""Side-menu entries of core (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("审计日志", "core:audit_log", Section.SYSTEM, show=scoping.reads_audit, order=20),
    MenuItem("通知", "core:notifications", Section.SYSTEM, active_on=("core:notification_open",), order=30),
    MenuItem("定时任务", "core:jobs", Section.SYSTEM, show=scoping.is_system_admin, active_on=("core:job_*",), order=35),
    MenuItem("接口文档", "api:openapi-view", Section.SYSTEM, order=50),
    MenuItem("后台管理", "admin:index", Section.SYSTEM, show=scoping.is_staff_admin, order=60),
]
