"""Templates, switches and opt-outs are edited in the admin; messages are read there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dossiers.models import OutboxMessage
from lib.ids import mask_contact
from notify.models import Attempt, OptOut, Switch, Template
from notify.render import PLACEHOLDERS


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin[Template]):
    list_display = ["event", "channel", "body", "zns_template_id"]
    list_filter = ["channel"]
    search_fields = ["event", "body"]

    def get_form(
        self, request: HttpRequest, obj: Template | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["help_texts"] = {
            "body": _("Placeholders: %(names)s")
            % {"names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)}
        }
        return super().get_form(request, obj, change, **kwargs)


@admin.register(Switch)
class SwitchAdmin(admin.ModelAdmin[Switch]):
    list_display = ["unit", "event", "channel", "enabled"]
    list_filter = ["enabled", "channel"]
    autocomplete_fields = ["unit"]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin[OptOut]):
    list_display = ["user", "channel", "created_at"]
    raw_id_fields = ["user"]


class AttemptInline(admin.TabularInline[Attempt, OutboxMessage]):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status", "detail"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """What was sent, to whom (masked), and how it went; nothing is edited here."""

    list_display = ["created_at", "kind", "channel", "masked_recipient", "status", "attempts"]
    list_filter = ["status", "channel", "kind"]
    fields = (
        "dossier",
        "kind",
        "channel",
        "masked_recipient",
        "status",
        "reference",
        "created_at",
        "sent_at",
        "delivered_at",
        "attempts",
        "provider_id",
        "error",
    )
    readonly_fields = fields
    inlines = [AttemptInline]
    date_hierarchy = "created_at"

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: OutboxMessage) -> str:
        return obj.recipient if obj.channel == "app" else mask_contact(obj.recipient)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
