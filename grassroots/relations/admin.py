from django.contrib import admin

from grassroots.core.admin_support import ReadOnlyAdmin

from .models import FloatingRecord, LostContactCase, SearchAttempt, Transfer


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["letter_number", "member", "kind", "from_org", "to_org", "issued_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["letter_number", "member__name"]
    list_select_related = ["member", "from_org", "to_org"]


@admin.register(FloatingRecord)
class FloatingRecordAdmin(ReadOnlyAdmin):
    list_display = ["member", "org", "left_on", "destination", "returned_on"]
    search_fields = ["member__name", "destination"]
    list_select_related = ["member", "org"]


@admin.register(LostContactCase)
class LostContactCaseAdmin(ReadOnlyAdmin):
    list_display = ["member", "org", "last_contact_on", "state"]
    list_filter = ["state"]
    list_select_related = ["member", "org"]


@admin.register(SearchAttempt)
class SearchAttemptAdmin(ReadOnlyAdmin):
    list_display = ["case", "tried_on", "method", "searcher", "found"]
    list_select_related = ["case__member"]
