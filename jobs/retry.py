"""Retry a task later with exponential back-off.

Neither task backend retries a failed task by itself. A task that wants retries takes an
`attempt` keyword (1 for the first run) and, when it fails in a way worth retrying, calls
`retry_later`, which queues the same task again with `run_after` set after the back-off.
See docs/adr/0007-background-tasks.md.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django_tasks.base import Task


@dataclass(frozen=True)
class Backoff:
    """Waits of base, base x factor, base x factor², ... capped, for at most max_attempts runs."""

    base: timedelta = timedelta(seconds=10)
    factor: int = 2
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 5

    def delay(self, attempt: int) -> timedelta:
        """The wait after failed attempt number `attempt` (1-based) before the next one."""
        return min(self.cap, self.base * self.factor ** (attempt - 1))

    def next_run(self, attempt: int, now: datetime) -> datetime | None:
        """When attempt `attempt + 1` may start, or None when the attempts are spent."""
        if attempt >= self.max_attempts:
            return None
        return now + self.delay(attempt)


DEFAULT_BACKOFF = Backoff()


def retry_later(
    task: Task[Any, Any],
    *args: Any,
    attempt: int,
    now: datetime,
    backoff: Backoff = DEFAULT_BACKOFF,
    **kwargs: Any,
) -> datetime | None:
    """Queue task(*args, attempt=attempt + 1, **kwargs) after the back-off; None if spent."""
    run_after = backoff.next_run(attempt, now)
    if run_after is None:
        return None
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return run_after
