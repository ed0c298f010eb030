import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from grassroots.core import scoping
from grassroots.core.api_support import ErrorOut, paginated
from grassroots.core.roles import Role
from grassroots.orgs.models import Organization

from . import services
from .models import RoleAssignment
from .views import users_visible_to

router = Router(tags=["账号与角色"])


class RoleOut(Schema):
    id: int
    user_id: int
    username: str
    role: Role
    role_label: str
    org_id: int
    org_name: str
    granted_at: datetime.datetime
    revoked_at: datetime.datetime | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[RoleOut]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    is_active: bool
    roles: list[RoleOut]


class UserPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[UserOut]


class GrantIn(Schema):
    user_id: int
    role: str
    org_id: int


def _role_out(a):
    return {
        "id": a.id, "user_id": a.user_id, "username": a.user.username, "role": a.role, "role_label": a.get_role_display(),
        "org_id": a.org_id, "org_name": a.org.name, "granted_at": a.granted_at, "revoked_at": a.revoked_at,
    }


@router.get("/me", response=MeOut, summary="当前账号与角色")
def me(request):
    user = request.user
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "roles": [_role_out(a) for a in scoping.active_roles(user)]}


@router.get("/users", response=UserPage, summary="可管理的账号")
def list_users(request, q: str = "", page: int = 1, page_size: int = 50):
    if not scoping.grant_paths(request.user):
        return paginated(users_visible_to(request.user).none(), page, page_size)
    qs = users_visible_to(request.user).order_by("username")
    if q:
        qs = qs.filter(username__icontains=q)
    qs = qs.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("org", "user"), to_attr="roles")
    )

    def convert(users):
        return [
            {"id": u.id, "username": u.username, "full_name": u.full_name, "is_active": u.is_active, "roles": [_role_out(a) for a in u.roles]}
            for u in users
        ]

    return paginated(qs, page, page_size, convert)


@router.post("/roles", response={201: RoleOut, 403: ErrorOut, 422: ErrorOut}, summary="授予角色")
def grant(request, payload: GrantIn):
    if payload.role not in Role.values:
        raise ValidationError({"role": "不是有效的角色"})
    account = users_visible_to(request.user).filter(pk=payload.user_id).first()
    if account is None:
        raise ValidationError({"user_id": "找不到该账号，或不在您的管理范围内"})
    org = Organization.objects.filter(scoping.path_q("path", scoping.grant_paths(request.user)), pk=payload.org_id).first()
    if org is None:
        raise ValidationError({"org_id": "找不到该党组织，或不在您的管理范围内"})
    return Status(201, _role_out(services.grant_role(request.user, account, Role(payload.role), org)))


@router.post("/roles/{role_id}/revoke", response={200: RoleOut, 403: ErrorOut, 422: ErrorOut}, summary="收回角色")
def revoke(request, role_id: int):
    qs = RoleAssignment.objects.filter(scoping.path_q("org__path", scoping.grant_paths(request.user))).select_related("org", "user")
    return _role_out(services.revoke_role(request.user, get_object_or_404(qs, pk=role_id)))
