"""Fee lines edited on their own page (per procedure version); payments shown, never edited:
they change only through payments.actions."""

from django.contrib import admin

from payments.models import FeeLine, Payment


@admin.register(FeeLine)
class FeeLineAdmin(admin.ModelAdmin[FeeLine]):
    list_display = ["version", "position", "kind", "label", "amount_vnd", "due"]
    list_filter = ["kind", "due"]
    search_fields = ["version__procedure__code", "version__procedure__name", "label"]
    raw_id_fields = ["version"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin[Payment]):
    list_display = ["txn_ref", "dossier", "amount_vnd", "method", "provider", "status", "paid_at"]
    list_filter = ["status", "method", "provider"]
    search_fields = ["txn_ref", "provider_ref", "receipt_number", "dossier__code"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
