"""The home page: the current scope's figures and chart, the to-do panel (every app's todo.py, loaded after the
page), a member's own record, a supervisory committee member's village."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grassroots.core import scoping
from grassroots.core.todos import todo_items
from grassroots.members.models import Member

from .figures import dashboard_data


@login_required
def home(request):
    scope = scoping.current_scope(request)
    context = {"scope": scope}
    if scope is not None and scope.role == "village_monitor":  # a villager on the supervisory committee
        context["monitored_org"] = scope.org
    elif scope is not None and scope.role != "member":
        context.update(dashboard_data(scope.org))
    elif scope is not None:
        context["own_member"] = Member.objects.filter(user=request.user).select_related("org").first()
    return render(request, "dashboard/home.html", context)


@login_required
def home_todo(request):
    """htmx fragment of the home page: the current scope's open work (grassroots/core/todos.py)."""
    scope = scoping.current_scope(request)
    if scope is None or not scoping.covers(scoping.record_paths(request.user), scope.org.path):
        return render(request, "dashboard/_todo.html", {"items": None})
    return render(request, "dashboard/_todo.html", {"items": todo_items(request.user, scope.org), "org": scope.org})
