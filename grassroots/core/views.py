import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.core import scoping

from . import notifications
from .models import AuditLog, Notification
from .pagination import paginate, query_without_page


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_log(request):
    if not scoping.audit_paths(request.user):
        raise PermissionDenied("您没有查看审计日志的权限")
    qs = AuditLog.objects.visible_to(request.user).select_related("content_type")
    actor = request.GET.get("actor", "").strip()
    obj = request.GET.get("object", "").strip()
    action = request.GET.get("action", "")
    start, end = _parse_date(request.GET.get("start")), _parse_date(request.GET.get("end"))
    errors = []
    if request.GET.get("start") and start is None or request.GET.get("end") and end is None:
        errors.append("日期格式应为 YYYY-MM-DD")
    qs = qs.search(actor=actor, obj=obj, action=action, start=start, end=end)
    page = paginate(request, qs)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "query": query_without_page(request), "actions": AuditLog.Action.choices, "errors": errors, "f": request.GET},
    )


@login_required
def notification_list(request):
    """The user's own notifications, newest first; ?unread=1 shows only the unread ones."""
    qs = Notification.objects.visible_to(request.user)
    only_unread = request.GET.get("unread") in ("1", "true")
    if only_unread:
        qs = qs.unread()
    page = paginate(request, qs)
    return render(
        request, "core/notifications.html", {"page": page, "query": query_without_page(request), "only_unread": only_unread},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    """Open a notification: mark it read and go to its link (a local path only; otherwise back to the list).
    GET works too, so the link can be followed from a page without JavaScript; reading is idempotent."""
    notification = notifications.get_for(request.user, pk)
    notifications.mark_read(request.user, notification)
    if notifications.is_local_path(notification.link):
        return redirect(notification.link)
    return redirect("core:notifications")


@login_required
@require_POST
def notification_read_all(request):
    from django.contrib import messages

    n = notifications.mark_all_read(request.user)
    messages.success(request, f"已将 {n} 条通知标为已读" if n else "没有未读通知")
    return redirect("core:notifications")
