from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from dossiers.models import Dossier

        post_delete.connect(_forget_deleted_dossier, sender=Dossier, dispatch_uid="stats.figures")


def _forget_deleted_dossier(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Dossiers are never deleted by the lifecycle (cancel keeps the row), but an administrator
    # or a test may delete rows: their contributions leave the counters in the same transaction.
    from stats.figures import FigureFields, record

    record(FigureFields.of(instance), None)
