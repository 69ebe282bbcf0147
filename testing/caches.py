"""Per-process caches that must not outlive the rows they were read from."""

from dossiers.access import _version_documents, _version_kinds, _version_steps
from lib.ttl import clear_all
from workdays.calendars import forget_overrides


def forget_process_caches() -> None:
    """Empty every per-process cache keyed by row ids.

    Row ids are reused between tests after rollback; per-process caches keyed by id (published
    workflow steps, calendars) and the few-seconds lookup caches (tokens, roles, units,
    agencies, versions) must not leak from one test, or one module's data, to the next.
    """
    _version_steps.cache_clear()
    _version_kinds.cache_clear()
    _version_documents.cache_clear()
    forget_overrides()
    clear_all()
