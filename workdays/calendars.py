"""Build `workcal.WorkCalendar` objects from the database, cached per process.

A calendar's index takes a moment to build, so it is kept per (office hours, overrides) and
rebuilt only when an administrator changes the overrides table: the cache key carries a
fingerprint of that table, read with one small aggregate query.
"""

import time
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save

from orgs.models import Unit
from workcal import DEFAULT_HOURS, OfficeHours, WorkCalendar
from workcal import DayOverride as CalOverride
from workdays.models import DayOverride


# About 7 MB per calendar (2010-2045): a handful of distinct office-hour settings per province.
@lru_cache(maxsize=16)
def _build(hours: OfficeHours, overrides: tuple[CalOverride, ...]) -> WorkCalendar:
    return WorkCalendar(
        hours=hours,
        overrides=overrides,
        tz=settings.TIME_ZONE,
        first_year=settings.CALENDAR_FIRST_YEAR,
        last_year=settings.CALENDAR_LAST_YEAR,
    )


@lru_cache(maxsize=256)
def _overrides(unit_path: str, fingerprint: tuple[object, ...]) -> tuple[CalOverride, ...]:
    del fingerprint  # part of the cache key only
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = DayOverride.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids))
    # A unit-specific decision beats the national one for the same day; the deepest unit wins.
    depth = {pk: i for i, pk in enumerate(ids)}
    chosen: dict[date, tuple[int, bool]] = {}
    for day, working, unit_id in rows.values_list("day", "working", "unit_id"):
        rank = -1 if unit_id is None else depth[unit_id]
        if day not in chosen or rank > chosen[day][0]:
            chosen[day] = (rank, working)
    return tuple(CalOverride(day=d, working=w) for d, (_, w) in sorted(chosen.items()))


# The overrides table changes a few times a year; its fingerprint is re-read at most every
# few seconds per process, and at once in the process that changed it (signals below).
_FINGERPRINT_TTL = 5.0
_fingerprint_cache: tuple[float, tuple[object, ...]] | None = None


def _fingerprint() -> tuple[object, ...]:
    global _fingerprint_cache
    now = time.monotonic()
    if _fingerprint_cache is not None and now - _fingerprint_cache[0] < _FINGERPRINT_TTL:
        return _fingerprint_cache[1]
    agg = DayOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    value = (agg["n"], agg["last"])
    _fingerprint_cache = (now, value)
    return value


def forget_overrides(**_kwargs: object) -> None:
    """Drop the cached fingerprint so the next calendar sees the changed overrides."""
    global _fingerprint_cache
    _fingerprint_cache = None


post_save.connect(forget_overrides, sender=DayOverride)
post_delete.connect(forget_overrides, sender=DayOverride)


def calendar_for(unit: Unit | None = None) -> WorkCalendar:
    """Return the working calendar of `unit` (national defaults when None)."""
    hours = unit.hours if unit is not None else DEFAULT_HOURS
    path = unit.path if unit is not None else "/"
    return _build(hours, _overrides(path, _fingerprint()))
