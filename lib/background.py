"""Run a job beside the request that started it.

Long work started from a page (a large tracking book, a history import) runs in a thread of
the web process and reports through a database row that any node can read. With
settings.BACKGROUND_INLINE it runs before `run_beside` returns instead (tests, or a deployment
that prefers to wait).
"""

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection


def run_beside(job: Callable[..., Any], *args: Any) -> None:
    """Run job(*args) in a daemon thread that closes its own database connection at the end."""
    if settings.BACKGROUND_INLINE:
        job(*args)
        return
    threading.Thread(target=_closing, args=(job, *args), daemon=True).start()


def _closing(job: Callable[..., Any], *args: Any) -> None:
    try:
        job(*args)
    finally:
        connection.close()  # the thread's own connection
