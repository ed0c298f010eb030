from django.contrib import admin

from grassroots.core.admin_support import ReadOnlyAdmin

from .models import Organization, Post


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "category", "depth", "is_active"]
    list_filter = ["kind", "category", "is_active", "depth"]
    search_fields = ["name", "code", "initials"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["org", "title", "holder", "started_on", "ended_on"]
    list_select_related = ["org", "holder"]
