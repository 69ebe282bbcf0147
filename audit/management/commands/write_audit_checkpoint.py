"""Write a signed checkpoint of every chain head now (the periodic task does it hourly)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.checkpoints import write_checkpoint
from documents.signing import SigningError


class Command(BaseCommand):
    help = "Write a checkpoint of every dossier's chain head to AUDIT_CHECKPOINT_DIR, signed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = write_checkpoint(timezone.now())
        except SigningError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(_("Checkpoint written: %(path)s") % {"path": path})
