"""Build `workcal.WorkCalendar` objects from the database, cached per process.

A calendar's index takes a moment to build, so it is kept per (office hours, overrides) and
rebuilt only when an administrator changes the overrides table: the cache key carries a
fingerprint of that table, read with one small aggregate query.
"""

from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Max, Q

from orgs.models import Unit
from workcal import DEFAULT_HOURS, DayOverride as CalOverride, OfficeHours, WorkCalendar
from workdays.models import DayOverride


@lru_cache(maxsize=64)
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
    chosen: dict[object, tuple[int, bool]] = {}
    for day, working, unit_id in rows.values_list("day", "working", "unit_id"):
        rank = -1 if unit_id is None else depth[unit_id]
        if day not in chosen or rank > chosen[day][0]:
            chosen[day] = (rank, working)
    return tuple(CalOverride(day=d, working=w) for d, (_, w) in sorted(chosen.items()))


def _fingerprint() -> tuple[object, ...]:
    agg = DayOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def calendar_for(unit: Unit | None = None) -> WorkCalendar:
    """Return the working calendar of `unit` (national defaults when None)."""
    hours = unit.hours if unit is not None else DEFAULT_HOURS
    path = unit.path if unit is not None else "/"
    return _build(hours, _overrides(path, _fingerprint()))
