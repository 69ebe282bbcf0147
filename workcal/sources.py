"""Where working days come from: public holidays, announced swaps and overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

import holidays


class HolidaySource(Protocol):
    """Public holidays and announced weekend workdays for a range of years."""

    @property
    def holiday_dates(self) -> Set[date]:
        """Return the days off that would otherwise be working days (weekend ones too)."""
        ...

    @property
    def weekend_workdays(self) -> Set[date]:
        """Return the Saturdays and Sundays announced as working days."""
        ...


@dataclass(frozen=True, slots=True)
class HolidaySet:
    """A plain HolidaySource, e.g. a synthetic one for tests."""

    holiday_dates: frozenset[date] = field(default_factory=frozenset)
    weekend_workdays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class DayOverride:
    """An announced exception: a worked Saturday (working=True) or an extra day off (False)."""

    day: date
    working: bool

    def __post_init__(self) -> None:
        """Reject datetimes, which would silently compare unequal to dates."""
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise TypeError(f"DayOverride.day must be a date, got {self.day!r}")


def override_map(overrides: Iterable[DayOverride]) -> Mapping[date, bool]:
    """Return day -> working from `overrides`, rejecting contradictory entries."""
    result: dict[date, bool] = {}
    for override in overrides:
        known = result.setdefault(override.day, override.working)
        if known != override.working:
            raise ValueError(f"contradictory overrides for {override.day.isoformat()}")
    return result


@lru_cache(maxsize=8)
def vn_holidays(years: range) -> HolidaySet:
    """Return Vietnam's public holidays and weekend workdays from the `holidays` package."""
    vn = holidays.country_holidays("VN", years=years)
    in_range = set(years)
    return HolidaySet(
        holiday_dates=frozenset(d for d in vn if d.year in in_range),
        weekend_workdays=frozenset(d for d in vn.weekend_workdays if d.year in in_range),
    )
