"""History imports started from the admin page: a background task, progress in a row.

A province's history can hold tens of thousands of rows (about a millisecond each to check and
to write), longer than a web worker may spend on one request. The page stores the upload in a
`HistoryImportJob` row and queues a task (Django's tasks API, ADR 7) that any worker may run;
the page polls the job's state, which lives in the same row so any app node can show it.
The job calls the importer's public functions: every row checked first, then all written in
one transaction, or nothing (dossiers/importer.py). A job killed half way (worker killed)
has written nothing; its state stops moving, the page says so after STALE_AFTER and the person
uploads the file again.
"""

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dossiers.importer import ImportFormatError, Planned, read_history, write_history
from dossiers.models import HistoryImportJob, Status

log = logging.getLogger(__name__)

EXTENSIONS = ("csv", "xlsx")
# No word from a running import for this long means its process died. Writing is one
# transaction whose progress others cannot see, so this must exceed the longest write
# (a 10 MB file writes in well under a minute).
STALE_AFTER = timedelta(minutes=10)
# Progress is written about this many times per phase, not once a row.
PROGRESS_STEPS = 100


@dataclass
class JobState:
    """What the status page shows: the phase, its progress, then the errors or the summary."""

    job: str
    filename: str
    user_id: int
    phase: str = "queued"  # queued, checking, writing, refused, done, failed
    done: int = 0
    total: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    message: str = ""
    imported: int = 0
    by_unit: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    first_received: str = ""
    last_received: str = ""

    @property
    def finished(self) -> bool:
        return self.phase in ("refused", "done", "failed")

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0


def save_state(state: JobState) -> None:
    """Store the state in its row (one UPDATE, or the INSERT the first time)."""
    HistoryImportJob.objects.update_or_create(
        id=uuid.UUID(state.job),
        defaults={"user_id": state.user_id, "state": asdict(state), "updated_at": timezone.now()},
    )


def load_state(job: str) -> JobState | None:
    """Read a job's state, or None for an unknown job."""
    try:
        row = HistoryImportJob.objects.filter(id=uuid.UUID(job)).first()
    except ValueError:
        return None
    if row is None:
        return None
    raw = dict(row.state)
    raw["errors"] = [tuple(e) for e in raw.get("errors", [])]
    raw["by_unit"] = [tuple(e) for e in raw.get("by_unit", [])]
    raw["by_status"] = [tuple(e) for e in raw.get("by_status", [])]
    state = JobState(**raw)
    if not state.finished and timezone.now() - row.updated_at > STALE_AFTER:
        # Its process died (nothing was written: the import is one transaction).
        state.phase = "failed"
        state.message = _(
            "The import stopped answering (the server restarted?); nothing was written. "
            "Upload the file again."
        )
    return state


def start(content: bytes, filename: str, user_id: int) -> str:
    """Save the upload and queue the task that checks and imports it; return the job id."""
    # Reports of old imports are not kept for ever.
    HistoryImportJob.objects.filter(updated_at__lt=timezone.now() - timedelta(days=30)).delete()
    job = uuid.uuid4().hex
    save_state(JobState(job=job, filename=filename, user_id=user_id))
    HistoryImportJob.objects.filter(id=uuid.UUID(job)).update(upload=content)
    import_history.enqueue(job)
    return job


@task()
def import_history(job: str) -> str:
    """The task: import the job's upload, then forget the file; return the final phase."""
    row = HistoryImportJob.objects.filter(id=uuid.UUID(job)).values_list("upload", flat=True)
    content = row.first()
    state = load_state(job)
    if content is None or state is None or state.phase != "queued":
        return "gone"  # already run (a task queued twice) or dropped
    try:
        return run(job, bytes(content), state.filename).phase
    finally:
        HistoryImportJob.objects.filter(id=uuid.UUID(job)).update(upload=None)


def _progress(state: JobState) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        step = max(1, total // PROGRESS_STEPS)
        if done == total or done % step == 0:
            state.done, state.total = done, total
            save_state(state)

    return report


def run(job: str, content: bytes, filename: str) -> JobState:
    """Check every row, then write them all, or record why nothing was written."""
    state = load_state(job)
    assert state is not None
    try:
        state.phase = "checking"
        save_state(state)
        try:
            parsed = read_history(content, filename, progress=_progress(state))
        except ImportFormatError as exc:
            parsed = None
            state.phase, state.message = "refused", str(exc)
        if parsed is not None and not parsed.ok:
            state.phase, state.errors = "refused", list(parsed.errors)
        elif parsed is not None:
            state.phase, state.done = "writing", 0
            save_state(state)
            state.imported = write_history(parsed.planned, progress=_progress(state))
            _summarise(state, parsed.planned)
            state.phase = "done"
    except Exception as exc:  # the page must say the job ended, whatever happened
        log.exception("history import %s failed", job)
        state.phase = "failed"
        state.message = _("The import stopped with an error; nothing was written: %(err)s") % {
            "err": exc
        }
    save_state(state)
    return state


def _summarise(state: JobState, planned: list[Planned]) -> None:
    units = Counter(p.receiving.name for p in planned)
    labels = dict(Status.choices)
    statuses = Counter(str(labels.get(p.status, p.status)) for p in planned)
    state.by_unit = sorted(units.items())
    state.by_status = sorted(statuses.items())
    received = sorted(p.received_at for p in planned)
    if received:
        state.first_received = f"{timezone.localtime(received[0]):%d/%m/%Y}"
        state.last_received = f"{timezone.localtime(received[-1]):%d/%m/%Y}"
