from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalog.actions import publish_version
from catalog.models import (
    Field,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
    WorkflowStep,
    workflow_mismatch,
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


VERSION_COLUMNS = ("number", "status", "level", "limit_amount", "limit_unit", "fee_vnd")


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    fields = VERSION_COLUMNS
    readonly_fields = VERSION_COLUMNS
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "is_active"]
    list_filter = ["field", "is_active", "versions__level"]
    search_fields = ["code", "name"]
    inlines = [VersionInline]


class StepFormSet(BaseInlineFormSet):
    """Refuse a workflow whose allotments don't add up to the version's legal limit."""

    def clean(self) -> None:
        super().clean()
        version = self.instance
        hours = [
            Decimal(form.cleaned_data["hours"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("hours") is not None
        ]
        if version.limit_unit:
            mismatch = workflow_mismatch(version.limit_amount, version.limit_unit, hours)
            if mismatch:
                raise ValidationError(mismatch)


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class StepInline(admin.TabularInline):
    model = WorkflowStep
    formset = StepFormSet
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "status", "level", "limit_display", "fee_vnd"]
    list_filter = ["status", "level", "procedure__field"]
    search_fields = ["procedure__code", "procedure__name"]
    autocomplete_fields = ["procedure"]
    inlines = [DocumentInline, StepInline]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A dossier keeps the version it was filed under: only drafts may change.
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return [f.name for f in ProcedureVersion._meta.fields]
        return ["status"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and obj.status != VersionStatus.DRAFT:
            for inline in inlines:
                inline.max_num = 0
                inline.can_delete = False
                # Fresh instances per request, so setting it here is safe; django-stubs
                # declares readonly_fields a ClassVar, which Django itself doesn't require.
                inline.readonly_fields = [f.name for f in inline.model._meta.fields]  # type: ignore[misc]
        return inlines

    @admin.action(description=_("Publish the selected versions"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                publish_version(version)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Published %(v)s.") % {"v": version})
