import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from grassroots.core import scoping

from . import notifications
from .api_support import paginated
from .models import AuditLog, Notification

router = Router(tags=["审计与通知"])


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
