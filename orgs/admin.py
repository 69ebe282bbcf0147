from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from orgs.models import Agency, AgencyKind, StaffRole, Unit


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0
    fields = ["code", "name", "kind", "is_active"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_until", "successor"]
    list_filter = [
        "kind",
        "require_two_factor",
        "is_demo",
        ("valid_until", admin.EmptyFieldListFilter),
    ]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]
    inlines = [AgencyInline]


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "agency"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__full_name", "unit__name", "agency__name"]
    autocomplete_fields = ["user", "unit", "agency"]


# Staff accounts are edited with their roles, so the user admin lives here, above accounts.
class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1
    autocomplete_fields = ["unit", "agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "phone", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
    inlines = [StaffRoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )
