from django.utils.functional import SimpleLazyObject

from grassroots.accounts import scoping

from . import notifications


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
        "menu": {
            "members": bool(scoping.record_paths(user)),
            "manage_members": bool(scoping.manage_paths(user)),
            "own_member": hasattr(user, "member"),
            "villages": bool(scoping.record_paths(user) or scoping.monitor_paths(user)),
            "accounts": bool(scoping.grant_paths(user)),
            "audit": bool(scoping.audit_paths(user)),
            "admin": scoping.is_system_admin(user) and user.is_staff,
        },
    }
