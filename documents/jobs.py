"""Large tracking books in the background, with progress any app node can report.

A job row holds the request, its progress and, at the end, the file. `start` runs the job in
a thread of the web process (the page polls the row); a job whose heartbeat stops (the process
died) can be claimed again by `run`, from the page's retry button or `manage.py run_book_jobs`.
"""

import logging
import time as clock
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.book import BookError, BookQuery, book_dossiers, book_pdf, book_xlsx
from documents.models import BookJob, JobStatus
from lib.background import run_beside

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=60)


def row_count(q: BookQuery) -> int:
    return book_dossiers(q).count()


# Finished books are kept this long for re-download, then dropped with their files.
KEEP_FOR = timedelta(days=7)


def create(q: BookQuery, fmt: str, *, user: "User", at: datetime, total: int) -> BookJob:
    """Record a new job (and drop the files of jobs older than KEEP_FOR)."""
    BookJob.objects.filter(created_at__lt=at - KEEP_FOR).exclude(status=JobStatus.RUNNING).delete()
    return BookJob.objects.create(
        id=uuid.uuid4(),
        requested_by=user,
        unit=q.unit,
        start=q.start,
        end=q.end,
        online_only=q.online_only,
        format=fmt,
        total=total,
        created_at=at,
    )


def owned_job(job_id: "uuid.UUID | str", user: "User") -> BookJob | None:
    """The job if `user` asked for it (without its file), else None."""
    return (
        BookJob.objects.select_related("unit")
        .defer("content")
        .filter(pk=job_id, requested_by=user)
        .first()
    )


def finished_file(job: BookJob) -> bytes | None:
    """The book's bytes once the job is done, else None (read only when needed)."""
    found = BookJob.objects.filter(pk=job.pk, status=JobStatus.DONE).values_list(
        "content", flat=True
    )
    return bytes(found[0]) if found and found[0] is not None else None


def is_stale(job: BookJob, now: datetime) -> bool:
    beat = job.heartbeat_at or job.created_at
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and now - beat > STALE_AFTER


def start(job: BookJob) -> None:
    """Run the job now, beside the request (`lib.background`)."""
    run_beside(run, job.pk)


def _claim(job_id: uuid.UUID, now: datetime) -> int | None:
    """Take the job if it is queued, or running with a dead heartbeat; one taker wins.

    Returns the attempt number the taker must write under, or None if someone else has it.
    """
    dead = Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    fresh = Q(status=JobStatus.QUEUED) | dead
    with transaction.atomic():
        taken = (
            BookJob.objects.filter(pk=job_id)
            .filter(fresh)
            .update(
                status=JobStatus.RUNNING, heartbeat_at=now, progress=0, attempt=F("attempt") + 1
            )
        )
        if taken != 1:
            return None
        return int(BookJob.objects.filter(pk=job_id).values_list("attempt", flat=True).get())


def run(job_id: uuid.UUID) -> bool:
    """Render the job's book and store it; return False if another worker has it."""
    attempt = _claim(job_id, timezone.now())
    if attempt is None:
        return False
    job = BookJob.objects.select_related("unit").defer("content").get(pk=job_id)
    mine = BookJob.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.RUNNING)
    total = max(job.total, 1)
    last = [0.0]

    def progress(phase: str, value: int) -> None:
        if clock.monotonic() - last[0] < 0.5:
            return
        last[0] = clock.monotonic()
        if phase == "rows":
            share = 1000 if job.format == "xlsx" else 500
            per_mille = min(share, share * value // total)
        else:
            per_mille = 500 + value // 2
        mine.update(progress=min(per_mille, 999), heartbeat_at=timezone.now())

    try:
        query = BookQuery(job.unit, job.start, job.end, online_only=job.online_only)
        render = book_xlsx if job.format == "xlsx" else book_pdf
        content = render(query, progress)
    except BookError as exc:
        _fail(mine, str(exc))
        return True
    except Exception:
        logger.exception("tracking book job %s failed", job_id)
        _fail(mine, _("The book could not be made; the error was logged. Try again."))
        return True
    mine.update(
        status=JobStatus.DONE,
        content=content,
        progress=1000,
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
    )
    return True


def _fail(mine: "QuerySet[BookJob]", message: str) -> None:
    mine.update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def retry(job: BookJob) -> bool:
    """Queue a failed or dead job again and start it; False if it is alive or already retried."""
    now = timezone.now()
    dead = Q(status__in=[JobStatus.RUNNING, JobStatus.QUEUED], heartbeat_at__lt=now - STALE_AFTER)
    requeued = (
        BookJob.objects.filter(pk=job.pk)
        .filter(Q(status=JobStatus.FAILED) | dead)
        .update(status=JobStatus.QUEUED, error="", progress=0, heartbeat_at=now)
    )
    if requeued:
        start(job)
    return bool(requeued)
