"""The clock: queue the periodic tasks, once per period across all the nodes that run it."""

import logging
import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from jobs.periodic import tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue each periodic task once per period (settings.PERIODIC_TASKS); loops until stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="tick once and exit (cron, tests)")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between two ticks (default 1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        me = f"{socket.gethostname()}:{os.getpid()}"
        while True:
            close_old_connections()
            try:
                for name in tick(timezone.now(), by=me):
                    logger.info("queued periodic task %s", name)
            except Exception:
                # The database or Redis restarting must not stop the clock: a failed tick
                # rolled its claim back, and the next tick tries the same period again.
                logger.exception("periodic tick failed")
            if options["once"]:
                return
            time.sleep(options["interval"])
