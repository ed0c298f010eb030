"""The home dashboard's figures through the API (/api/v1/dashboard), scoped like the page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from grassroots.core import scoping
from grassroots.orgs.models import Organization

from .figures import dashboard_data

router = Router(tags=["首页"])


class DashboardOut(Schema):
    org_id: int
    org_name: str
    orgs_total: int
    orgs_by_kind: dict[str, int]
    counts: dict[str, int]
    by_category: list[dict]
    by_age: dict


@router.get("/dashboard", response={200: DashboardOut, 404: dict}, summary="首页统计（当前范围）")
def dashboard(request, org_id: int | None = None):
    if org_id is None:
        roles = [a for a in scoping.active_roles(request.user) if a.role != "member"]
        if not roles:
            raise PermissionDenied("您的角色没有统计范围")
        org = roles[0].org
    else:
        org = get_object_or_404(Organization.objects.filter(scoping.path_q("path", scoping.record_paths(request.user))), pk=org_id)
    data = dashboard_data(org)
    return {
        "org_id": org.id, "org_name": org.name, "orgs_total": data["orgs_total"], "orgs_by_kind": data["orgs_by_kind"],
        "counts": data["counts"], "by_category": data["chart"]["by_category"], "by_age": data["chart"]["by_age"],
    }
