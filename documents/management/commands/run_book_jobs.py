"""Queue again the tracking-book jobs whose worker died, now (the periodic reaper's work)."""

from typing import Any

from django.core.management.base import BaseCommand

from documents.jobs import reap_book_jobs


class Command(BaseCommand):
    help = "Queue again tracking-book jobs abandoned by a dead worker and drop old ones."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reap_book_jobs.call()
        self.stdout.write(
            "{requeued} tracking-book jobs queued again, {failed} failed, "
            "{dropped} old rows dropped.".format(**counts)
        )
