"""Run queued tasks inside a test, with the real database worker."""

from unittest import mock

from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


def run_queued_tasks() -> None:
    """Run every task that is due with `db_worker --batch` in this process, then return.

    The worker closes "old" connections between tasks; inside a test's transaction that would
    close the test's own connection, so that one call is switched off here.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
