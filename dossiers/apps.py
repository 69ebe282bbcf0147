from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # Models can be imported only once the app registry is ready.
        from dossiers.figures import forget_deleted_dossier  # noqa: PLC0415
        from dossiers.models import Dossier  # noqa: PLC0415

        post_delete.connect(forget_deleted_dossier, sender=Dossier, dispatch_uid="dossiers.figures")
