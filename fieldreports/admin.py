from django.contrib import admin

from fieldreports.models import Category, FieldReport, UnitPlace


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "agency_kind", "deadline_hours", "is_active", "order")
    list_editable = ("deadline_hours", "is_active", "order")


@admin.register(UnitPlace)
class UnitPlaceAdmin(admin.ModelAdmin):
    list_display = ("unit", "lat", "long")
    autocomplete_fields = ("unit",)


@admin.register(FieldReport)
class FieldReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "category", "unit", "status", "requested_at", "expected_at")
    list_filter = ("status", "category")
    readonly_fields = ("requested_at", "updated_at", "closed_at", "warned_at", "escalated_at")
    raw_id_fields = ("unit", "agency", "reporter")
