"""Side-menu entries of this app (see grassroots/core/navigation.py)."""

ITEMS = []
