from django.contrib import admin

from workdays.models import DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "working", "unit", "reason", "reference"]
    list_filter = ["working", ("unit", admin.EmptyFieldListFilter)]
    search_fields = ["reason", "reference"]
    date_hierarchy = "day"
    autocomplete_fields = ["unit"]
