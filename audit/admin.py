"""The list exports in the admin: read only, never edited nor deleted (ADR 20)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import ListExport


@admin.register(ListExport)
class ListExportAdmin(admin.ModelAdmin[ListExport]):
    list_display = ("at", "user", "what", "rows", "channel", "client_address")
    list_filter = ("what", "channel")
    search_fields = ("user__username",)
    fields = ("at", "user", "what", "filters", "rows", "channel", "client_address")
    readonly_fields = fields
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
