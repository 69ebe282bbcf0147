"""Start a task worker for the configured backend (settings.TASKS_BACKEND)."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks: db_worker for TASKS_BACKEND=db, an RQ worker for rq."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default=None, help="worker name (unique per worker)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if settings.TASKS_BACKEND == "rq":
            # Without --job-class every job fails with "'Task' object is not callable";
            # --with-scheduler moves tasks queued with run_after (retries) when they are due.
            argv = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
            call_command("rqworker", *argv, *(["--name", name] if name else []))
            return
        argv = ["--no-reload", "--queue-name", "default"]
        call_command("db_worker", *argv, *(["--worker-id", name] if name else []))
