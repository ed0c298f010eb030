from django.contrib import admin

from .admin_support import ReadOnlyAdmin
from .models import AuditLog, Notification


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_name", "action", "object_repr", "client_ip", "request_id"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "request_id"]
    date_hierarchy = "time"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
