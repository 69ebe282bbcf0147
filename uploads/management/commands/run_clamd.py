"""Run a local clamd for the demo (Procfile `clamd:`), with the local signature database."""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from uploads.localclamd import clamd_binary, write_config


class Command(BaseCommand):
    help = (
        "Run clamd in the foreground on CLAMD_HOST:CLAMD_PORT with a local signature database "
        "that flags the EICAR test file (demo and development; production runs Debian's "
        "clamav-daemon with real signatures)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=str(Path(settings.BASE_DIR) / ".clamd"),
            help="directory for the config and the signature database (default ./.clamd)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        conf = write_config(Path(options["dir"]), settings.CLAMD_PORT, host=settings.CLAMD_HOST)
        binary = clamd_binary()
        # Replace this process: the process manager's Ctrl+C reaches clamd itself.
        os.execv(binary, [binary, f"--config-file={conf}"])  # noqa: S606 - our own config
