import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from grassroots.accounts import scoping
from grassroots.members.models import Member

from .dashboard import dashboard_data
from .models import AuditLog
from .pagination import paginate, query_without_page


@login_required
def home(request):
    scope = scoping.current_scope(request)
    context = {"scope": scope}
    if scope is not None and scope.role != "member":
        context.update(dashboard_data(scope.org))
    elif scope is not None:
        context["own_member"] = Member.objects.filter(user=request.user).select_related("org").first()
    return render(request, "core/home.html", context)


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
