"""Finish tracking-book jobs that are queued or whose process died (for a worker or cron)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from documents.jobs import STALE_AFTER, run
from documents.models import BookJob, JobStatus


class Command(BaseCommand):
    help = "Run queued tracking-book jobs and those abandoned by a dead process."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        waiting = BookJob.objects.filter(
            Q(status=JobStatus.QUEUED, created_at__lt=now - STALE_AFTER)
            | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        ).values_list("pk", flat=True)
        done = sum(1 for pk in list(waiting) if run(pk))
        self.stdout.write(f"{done} tracking-book jobs run.")
