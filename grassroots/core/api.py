import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from grassroots.core import scoping

from . import notifications
from .api_support import paginated
from .dashboard import dashboard_data
from .models import AuditLog, Notification

router = Router(tags=["首页与审计"])


class AuditOut(Schema):
    id: int
    time: datetime.datetime
    actor: str
    action: str
    action_label: str
    object_type: str | None
    object_id: str
    object_repr: str
    request_id: str
    client_ip: str
    before: dict | None
    after: dict | None
    note: str


class AuditPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AuditOut]


class DashboardOut(Schema):
    org_id: int
    org_name: str
    orgs_total: int
    orgs_by_kind: dict[str, int]
    counts: dict[str, int]
    by_category: list[dict]
    by_age: dict


def _audit_out(rows):
    return [
        {
            "id": e.id, "time": e.time, "actor": e.actor_name, "action": e.action, "action_label": e.get_action_display(),
            "object_type": e.content_type.model if e.content_type_id else None, "object_id": e.object_id,
            "object_repr": e.object_repr, "request_id": e.request_id, "client_ip": e.client_ip,
            "before": e.before, "after": e.after, "note": e.note,
        }
        for e in rows
    ]


@router.get("/audit", response=AuditPage, summary="审计日志查询")
def audit_search(
    request, actor: str = "", object: str = "", action: str = "", start: datetime.date | None = None,
    end: datetime.date | None = None, page: int = 1, page_size: int = 50,
):
    if not scoping.audit_paths(request.user):
        raise PermissionDenied("您没有查看审计日志的权限")
    qs = AuditLog.objects.visible_to(request.user).select_related("content_type")
    qs = qs.search(actor=actor, obj=object, action=action, start=start, end=end)
    return paginated(qs, page, page_size, _audit_out)


@router.get("/dashboard", response={200: DashboardOut, 404: dict}, summary="首页统计（当前范围）")
def dashboard(request, org_id: int | None = None):
    from django.shortcuts import get_object_or_404

    from grassroots.orgs.models import Organization

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


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    is_read: bool


class NotificationPage(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    items: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int


def _notification_out(n):
    return {
        "id": n.id, "kind": n.kind, "kind_label": n.get_kind_display(), "title": n.title, "body": n.body, "link": n.link,
        "created_at": n.created_at, "read_at": n.read_at, "is_read": n.read_at is not None,
    }


@router.get("/notifications", response=NotificationPage, summary="我的通知（最新在前）")
def notification_list(request, unread: bool = False, page: int = 1, page_size: int = 50):
    qs = Notification.objects.visible_to(request.user)
    if unread:
        qs = qs.unread()
    result = paginated(qs, page, page_size, lambda rows: [_notification_out(n) for n in rows])
    result["unread"] = result["count"] if unread else notifications.unread_count(request.user)
    return result


@router.post("/notifications/read-all", response=ReadAllOut, summary="全部标为已读")
def notification_read_all(request):
    return {"marked": notifications.mark_all_read(request.user)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, 404: dict}, summary="标为已读")
def notification_read(request, notification_id: int):
    notification = notifications.get_for(request.user, notification_id)
    return _notification_out(notifications.mark_read(request.user, notification))
