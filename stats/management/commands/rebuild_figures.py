"""Recompute the report's counters from the dossier rows (after a bulk load or a repair)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from documents.digitization import refresh
from dossiers.figures import rebuild


class Command(BaseCommand):
    help = "Replace the stored report counters by a recount from the dossier rows."

    def handle(self, *args: Any, **options: Any) -> None:
        # The digitisation flags first (from the files), then every counter from the rows.
        refresh()
        rows = rebuild()
        self.stdout.write(_("Rebuilt %(n)s counter rows from the dossiers.") % {"n": rows})
