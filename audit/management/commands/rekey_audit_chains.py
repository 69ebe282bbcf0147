"""Recompute every dossier's chain with the current AUDIT_KEY (ADR 9).

For databases whose chains were made before the key (unkeyed SHA-256) or under another key.
It trusts the rows as they stand, so run it only on a database known to be intact, then write
a checkpoint at once.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.actions.chain import rekey
from dossiers.models import Dossier


class Command(BaseCommand):
    help = "Recompute every event's MAC and state digest with the current audit key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the rows are known to be intact"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            self.stderr.write(
                _(
                    "This makes the current rows the trusted state. Check them first, then run "
                    "again with --yes."
                )
            )
            return
        dossiers = events = 0
        for d in Dossier.objects.order_by("pk").iterator(chunk_size=500):
            with transaction.atomic():
                locked = Dossier.objects.select_for_update().get(pk=d.pk)
                events += rekey(locked)
            dossiers += 1
        self.stdout.write(
            _("%(d)s dossiers, %(e)s events re-keyed.") % {"d": dossiers, "e": events}
        )
