from django.contrib import admin

from grassroots.core import scoping


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin is for system administrators to look; every change goes through the services
    (pages or API) so that it is checked and lands in the audit trail."""

    def has_module_permission(self, request):
        return scoping.is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return scoping.is_system_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
