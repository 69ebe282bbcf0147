"""The call log in the admin, read-only: rows are written by the FastAGI server alone."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("started_at", "outcome", "end_reason", "caller", "dossiers_found")
    list_filter = ("outcome",)
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
