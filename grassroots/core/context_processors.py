from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from grassroots.core import scoping

from . import notifications
from .navigation import menu_for


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def shell(request):
    """What the top bar and side menu need: the user's roles, current scope and which menu items to show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "scope_roles": scoping.active_roles(user),
        "current_scope": scoping.current_scope(request),
        # the bell's badge: one indexed COUNT, run only when a template shows it
        "unread_notifications": SimpleLazyObject(lambda: notifications.unread_count(user)),
        # the side menu: every app's menu.py entries the user may use, the current page's marked (core/menu.py)
        "side_menu": SimpleLazyObject(lambda: menu_for(user, _view_name(request))),
        "notifications_url": reverse("core:notifications"),
        # two flags pages use besides the menu (the member page's related-work card, the unlock button)
        "menu": {"members": scoping.reads_records(user), "admin": scoping.is_staff_admin(user)},
    }
