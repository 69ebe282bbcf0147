from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every outbox row written from now on is queued for delivery after its commit.
        from notify import signals  # noqa: F401, PLC0415 - connects the receivers
