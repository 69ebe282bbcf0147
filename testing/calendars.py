"""Calendars shared by the working-time tests: the national one with the 2026 swaps."""

from __future__ import annotations

from datetime import date
from functools import cache

from workcal import DayOverride, WorkCalendar
from workcal.reference import ReferenceCalendar

# The 2026 swap the `holidays` package does not know: Friday 2/1 off, Saturday 10/1 worked.
SWAPS_2026 = (
    DayOverride(date(2026, 1, 2), working=False),
    DayOverride(date(2026, 1, 10), working=True),
)


@cache
def national() -> WorkCalendar:
    """Return the default calendar with the 2026 announced swaps."""
    return WorkCalendar(overrides=SWAPS_2026)


@cache
def national_reference() -> ReferenceCalendar:
    """Return the reference calendar with the same rules as national()."""
    return ReferenceCalendar(overrides=SWAPS_2026)
