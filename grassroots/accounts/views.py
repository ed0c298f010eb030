from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grassroots.core import scoping
from grassroots.core.pagination import paginate, query_without_page
from grassroots.orgs.models import Organization
from grassroots.orgs.views import apply_errors

from . import services
from .forms import GrantForm, LoginForm, PasswordForm, TokenForm, UserCreateForm
from .models import RoleAssignment, User


def login_view(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.log_in(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = ""
            return redirect(next_url or "dashboard:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.record_logout(request.user)
    logout(request)
    messages.info(request, "您已安全退出")
    return redirect("accounts:login")


@login_required
def password(request):
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_errors(form, exc)
            else:
                form.add_error("new_password", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("dashboard:home")
    return render(request, "accounts/password.html", {"form": form})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(request, "accounts/tokens.html", {"form": form, "raw": raw, "tokens": request.user.api_tokens.all()})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    try:
        services.revoke_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "令牌已作废")
    return redirect("accounts:tokens")


@login_required
@require_POST
def switch_scope(request):
    role_id = request.POST.get("role")
    if any(str(a.pk) == role_id for a in scoping.active_roles(request.user)):
        request.session[scoping.SCOPE_SESSION_KEY] = int(role_id)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    return redirect(next_url or "dashboard:home")


def _require_granter(user):
    if not scoping.grant_paths(user):
        raise PermissionDenied("您没有管理账号的权限")


def users_visible_to(user):
    """Accounts holding at least one active role inside the granter's subtrees (admins see every account)."""
    if scoping.is_system_admin(user):
        return User.objects.all()
    paths = scoping.grant_paths(user)
    inside = RoleAssignment.objects.active().filter(scoping.path_q("org__path", paths)).values("user_id")
    return User.objects.filter(pk__in=inside)


@login_required
def user_list(request):
    _require_granter(request.user)
    q = request.GET.get("q", "").strip()
    qs = users_visible_to(request.user).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    qs = qs.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("org"), to_attr="roles")
    )
    page = paginate(request, qs)
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "query": query_without_page(request)})


def _grant_form(request, data=None, form_class=GrantForm):
    return form_class(
        data,
        roles=scoping.grantable_roles(request.user),
        orgs=Organization.objects.filter(scoping.path_q("path", scoping.grant_paths(request.user))),
    )


@login_required
def user_create(request):
    _require_granter(request.user)
    form = _grant_form(request, request.POST or None, UserCreateForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user, username=data["username"], full_name=data["full_name"], password=data["password"],
                role=data["role"], org=data["org"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_errors(form, exc)
            else:
                form.add_error("password", exc)
        except PermissionDenied as exc:
            form.add_error("org", str(exc))
        else:
            messages.success(request, f"已新建账号 {user.username}")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
def user_detail(request, pk):
    _require_granter(request.user)
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    form = _grant_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(request.user, account, form.cleaned_data["role"], form.cleaned_data["org"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("org", str(exc))
        else:
            messages.success(request, "已授予角色")
            return redirect("accounts:user_detail", pk=account.pk)
    roles = RoleAssignment.objects.filter(user=account).select_related("org", "granted_by", "revoked_by").order_by("revoked_at", "org__path")
    grant_paths = scoping.grant_paths(request.user)
    for a in roles:
        a.can_revoke = a.revoked_at is None and scoping.covers(grant_paths, a.org.path)
    return render(request, "accounts/user_detail.html", {"account": account, "roles": roles, "form": form})


@login_required
@require_POST
def role_revoke(request, pk):
    _require_granter(request.user)
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(scoping.path_q("org__path", scoping.grant_paths(request.user))).select_related("org", "user"),
        pk=pk,
    )
    try:
        services.revoke_role(request.user, assignment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "已收回角色")
    return redirect("accounts:user_detail", pk=assignment.user_id)


@login_required
@require_POST
def user_unlock(request, pk):
    if not scoping.is_system_admin(request.user):
        raise Http404
    account = get_object_or_404(User, pk=pk)
    services.unlock_user(request.user, account)
    messages.success(request, "已解除锁定")
    return redirect("accounts:user_detail", pk=pk)
