"""Periodic tasks queued exactly once per period, however many clocks tick.

settings.PERIODIC_TASKS maps a name to (task path, period in seconds). Each app node runs a
clock (`manage.py run_periodic`); on every tick it tries to claim the current period of each
periodic task by inserting a `PeriodicRun` row. The unique (name, period_start) constraint lets
exactly one INSERT win; the winner queues the task in the same transaction. See
docs/adr/0007-background-tasks.md.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from jobs.models import PeriodicRun

# Claims are kept this long (what ran when), then dropped by the winner of a later claim.
KEEP_CLAIMS_FOR = timedelta(days=7)


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period of length `every` holding `now`, counted from the Unix epoch."""
    seconds = int(every.total_seconds())
    if seconds <= 0:
        raise ValueError("a period must last at least one second")
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=UTC)


def claim(name: str, period: datetime, *, now: datetime, by: str) -> bool:
    """Insert the (name, period) row; True only for the caller whose INSERT won."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(
                name=name, period_start=period, claimed_at=now, claimed_by=by[:200]
            )
    except IntegrityError:
        return False
    return True


def tick(now: datetime, *, by: str) -> list[str]:
    """Queue each periodic task whose current period nobody has claimed; return their names.

    The claim and the enqueue share one transaction: with the database backend the task row
    and the claim commit together, so a crash between them loses neither.
    """
    queued = []
    for name, (path, seconds) in settings.PERIODIC_TASKS.items():
        period = period_start(now, timedelta(seconds=seconds))
        with transaction.atomic():
            if not claim(name, period, now=now, by=by):
                continue
            import_string(path).enqueue()
            PeriodicRun.objects.filter(name=name, period_start__lt=now - KEEP_CLAIMS_FOR).delete()
        queued.append(name)
    return queued
