"""The home page's to-do panel: for the current scope, the open work the apps have found. Each app adds its
lines from its own `todo.py`:

    def lines(user, org, today):
        return [Todo("谈心谈话", "有问题提示而尚未谈话的党员", <one SQL count>, <url of the page where it is done>)]

Each line is one count in SQL from the app's own rule. The panel is loaded after the page (htmx), so a city-wide
scope never slows the dashboard itself."""

from dataclasses import dataclass

from django.utils import timezone

from .registry import app_modules


@dataclass
class Todo:
    area: str
    label: str
    count: int
    url: str


def todo_items(user, org, today=None):
    """The to-do lines of every app for `org`'s subtree as `user` sees it; lines with nothing to do are left out."""
    today = today or timezone.localdate()
    items = [item for _, module in app_modules("todo") for item in module.lines(user, org, today)]
    return [item for item in items if item.count]
