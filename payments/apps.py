from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The transition engine asks us, without importing us, whether a fee blocks a verb.
        from dossiers.actions import (  # noqa: PLC0415 - models load after the app registry
            register_follow_up,
            register_precondition,
        )
        from payments.actions import tell_payment_due  # noqa: PLC0415 - same
        from payments.fees import fees_unpaid  # noqa: PLC0415 - same

        register_precondition(fees_unpaid)
        register_follow_up(tell_payment_due)
