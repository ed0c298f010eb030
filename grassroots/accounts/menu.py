"""Side-menu entries of accounts (see grassroots/core/menu.py)."""

from grassroots.core import scoping
from grassroots.core.navigation import MenuItem, Section

ITEMS = [
    MenuItem("账号与角色", "accounts:user_list", Section.SYSTEM, show=scoping.grants_roles, active_on=("accounts:user_*", "accounts:role_*"), order=10),
    MenuItem("API 令牌", "accounts:tokens", Section.SYSTEM, active_on=("accounts:token_*",), order=40),
]
