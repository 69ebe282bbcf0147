"""Large tracking books in the background, with progress any app node can report.

A `BookJob` row holds the request, its progress and, at the end, the file. `book_or_job` makes
a small book at once and queues a large one as a task (Django's tasks API, ADR 7) that any
worker may take. A worker claims the job (one taker wins), writes a heartbeat with its progress
and writes only under its own attempt number, so a worker presumed dead cannot overwrite the
one that replaced it. The periodic `reap_book_jobs` queues again the jobs whose heartbeat
stopped (the worker was killed) and drops old jobs; the page's retry button does the same for
one job.
"""

import logging
import os
import time as clock
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from documents.book import BookError, BookQuery, book_dossiers, book_pdf, book_xlsx
from documents.models import BookJob, JobStatus
from jobs.retry import Backoff

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Finished books are kept this long for re-download, then dropped with their files.
KEEP_FOR = timedelta(days=7)
# An unexpected error is retried after 10 s, then 20 s; the third failure is final. A worker
# that died counts as a failed attempt too.
BACKOFF = Backoff(base=timedelta(seconds=10), max_attempts=3)
# Progress (and the heartbeat with it) is written at most this often.
BEAT_EVERY = 0.5


def stale_after() -> timedelta:
    """How long a job may go without a heartbeat before its worker is presumed dead."""
    return timedelta(seconds=settings.BOOK_JOB_STALE_SECONDS)


def row_count(q: BookQuery) -> int:
    return book_dossiers(q).count()


def book_or_job(q: BookQuery, fmt: str, *, user: "User", at: datetime) -> bytes | BookJob:
    """The book's bytes when it has at most BOOK_SYNC_MAX_ROWS rows, else a queued job."""
    total = row_count(q)
    if total <= settings.BOOK_SYNC_MAX_ROWS:
        return book_xlsx(q) if fmt == "xlsx" else book_pdf(q)
    job = create(q, fmt, user=user, at=at, total=total)
    start(job)
    return job


def create(q: BookQuery, fmt: str, *, user: "User", at: datetime, total: int) -> BookJob:
    """Record a new job (committed at once: the worker may look for it immediately)."""
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
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and now - beat > stale_after()


def start(job: BookJob, run_after: datetime | None = None) -> None:
    """Queue the task that makes the job's book (after `run_after` when given)."""
    queued = build_book.using(run_after=run_after) if run_after else build_book
    queued.enqueue(str(job.pk))


@task()
def build_book(job_id: str) -> bool:
    """The task: make the job's book; False if another worker has it."""
    return run(uuid.UUID(job_id))


def _claim(job_id: uuid.UUID, now: datetime) -> int | None:
    """Take the job if it is queued, or running with a dead heartbeat; one taker wins.

    Returns the attempt number the taker must write under, or None if someone else has it.
    """
    dead = Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - stale_after())
    # A job queued for a retry carries its due instant as heartbeat: not before then.
    due = Q(status=JobStatus.QUEUED) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lte=now))
    with transaction.atomic():
        taken = (
            BookJob.objects.filter(pk=job_id)
            .filter(due | dead)
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
        pause = phase == "rows" and value == settings.BOOK_JOB_PAUSE_AT_ROW
        if not pause and clock.monotonic() - last[0] < BEAT_EVERY:
            return
        last[0] = clock.monotonic()
        if phase == "rows":
            share = 1000 if job.format == "xlsx" else 500
            per_mille = min(share, share * value // total)
        else:
            per_mille = 500 + value // 2
        mine.update(progress=min(per_mille, 999), heartbeat_at=timezone.now())
        if pause:
            _pause_for_test(mine)

    try:
        query = BookQuery(job.unit, job.start, job.end, online_only=job.online_only)
        render = book_xlsx if job.format == "xlsx" else book_pdf
        content = render(query, progress)
    except BookError as exc:
        _fail(mine, str(exc))
        return True
    except Exception:
        logger.exception("tracking book job %s failed (attempt %s)", job_id, attempt)
        _retry_or_fail(mine, job, attempt)
        return True
    mine.update(
        status=JobStatus.DONE,
        content=content,
        progress=1000,
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
    )
    return True


def _pause_for_test(mine: "QuerySet[BookJob]") -> None:
    """Scale-out test hook (BOOK_JOB_PAUSE_AT_ROW): wait, alive, until the release file exists.

    The test kills the worker while it waits here, mid-job, then creates the file so that the
    worker that retries the job goes through. `<file>.pid` tells the test which process waits.
    """
    release = Path(settings.BOOK_JOB_PAUSE_FILE)
    release.with_name(release.name + ".pid").write_text(str(os.getpid()))
    while not release.exists():
        mine.update(heartbeat_at=timezone.now())
        clock.sleep(0.1)


def _retry_or_fail(mine: "QuerySet[BookJob]", job: BookJob, attempt: int) -> None:
    """Queue the job again after the back-off, or fail it for good when attempts are spent."""
    run_after = BACKOFF.next_run(attempt, timezone.now())
    if run_after is None:
        _fail(mine, _("The book could not be made; the error was logged. Try again."))
        return
    # The heartbeat holds the due instant, so neither the reaper nor a claim takes it early.
    if mine.update(status=JobStatus.QUEUED, progress=0, heartbeat_at=run_after):
        start(job, run_after=run_after)


def _fail(mine: "QuerySet[BookJob]", message: str) -> None:
    mine.update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def retry(job: BookJob) -> bool:
    """Queue a failed or dead job again; False if it is alive or already retried."""
    now = timezone.now()
    dead = Q(status__in=[JobStatus.RUNNING, JobStatus.QUEUED], heartbeat_at__lt=now - stale_after())
    requeued = (
        BookJob.objects.filter(pk=job.pk)
        .filter(Q(status=JobStatus.FAILED) | dead)
        .update(status=JobStatus.QUEUED, error="", progress=0, heartbeat_at=now)
    )
    if requeued:
        start(job)
    return bool(requeued)


@task()
def reap_book_jobs() -> dict[str, int]:
    """Periodic task: queue again the jobs whose worker died, fail those out of attempts, and
    drop finished jobs older than KEEP_FOR with their files."""
    now = timezone.now()
    dropped, _by_model = (
        BookJob.objects.filter(created_at__lt=now - KEEP_FOR)
        .exclude(status=JobStatus.RUNNING)
        .delete()
    )
    silent = Q(heartbeat_at__lt=now - stale_after()) | Q(
        heartbeat_at__isnull=True, created_at__lt=now - stale_after()
    )
    requeued = failed = 0
    stale = BookJob.objects.filter(silent, status__in=[JobStatus.RUNNING, JobStatus.QUEUED])
    for job in stale.defer("content"):
        if job.attempt >= BACKOFF.max_attempts:
            failed += (
                BookJob.objects.filter(pk=job.pk, attempt=job.attempt)
                .filter(silent)
                .update(
                    status=JobStatus.FAILED,
                    error=_("The book could not be made; the error was logged. Try again."),
                    finished_at=now,
                )
            )
            continue
        # One UPDATE guarded by the same conditions: a reaper running twice queues it once.
        if (
            BookJob.objects.filter(pk=job.pk, attempt=job.attempt)
            .filter(silent)
            .update(status=JobStatus.QUEUED, progress=0, heartbeat_at=now)
        ):
            start(job)
            requeued += 1
    return {"requeued": requeued, "failed": failed, "dropped": dropped}
