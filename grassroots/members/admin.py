from django.contrib import admin

from grassroots.core.admin_support import ReadOnlyAdmin

from .models import Member


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "gender", "status", "state", "org"]
    list_filter = ["status", "state", "gender"]
    search_fields = ["name", "initials"]
    list_select_related = ["org"]
