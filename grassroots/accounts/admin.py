from django.contrib import admin

from grassroots.core.admin_support import ReadOnlyAdmin

from .models import ApiToken, RoleAssignment, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login", "locked_until"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "org", "granted_at", "revoked_at"]
    list_filter = ["role"]
    list_select_related = ["user", "org"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
