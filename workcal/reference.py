"""A deliberately plain working-time calendar that walks day by day, with no index.

It is the oracle of the property tests and the baseline of the benchmarks, so it favours
obviousness over speed: every query recomputes each day's periods from the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workcal.calendar import OutOfRange
from workcal.hours import DEFAULT_HOURS, OfficeHours
from workcal.limits import DayRule, Limit, LimitUnit
from workcal.sources import DayOverride, HolidaySource, vn_holidays

_ONE_DAY = timedelta(days=1)


class ReferenceCalendar:
    """Same constructor and answers as WorkCalendar, computed by walking the calendar."""

    def __init__(
        self,
        *,
        hours: OfficeHours = DEFAULT_HOURS,
        overrides: Iterable[DayOverride] = (),
        tz: str = "Asia/Ho_Chi_Minh",
        first_year: int = 2010,
        last_year: int = 2045,
        holidays_provider: Callable[[range], HolidaySource] | None = None,
    ) -> None:
        """Remember the rules; compute nothing in advance."""
        self.hours = hours
        self.tz = ZoneInfo(tz)
        provider = holidays_provider or vn_holidays
        source = provider(range(first_year, last_year + 1))
        self.holiday_dates = set(source.holiday_dates)
        self.weekend_workdays = set(source.weekend_workdays)
        self.overrides = {override.day: override.working for override in overrides}
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        self.lowest = datetime.combine(self.first_day, time(0), tzinfo=self.tz)
        self.highest = datetime.combine(self.last_day + _ONE_DAY, time(0), tzinfo=self.tz)

    def is_working_day(self, d: date) -> bool:
        """Return whether `d` is a working day: overrides, then weekdays minus holidays."""
        if not self.first_day <= d <= self.last_day:
            raise OutOfRange(f"{d} is outside the calendar")
        if d in self.overrides:
            return self.overrides[d]
        if d.weekday() < 5 and d not in self.holiday_dates:
            return True
        return d in self.weekend_workdays

    def periods(self, d: date) -> list[tuple[datetime, datetime]]:
        """Return the working periods of `d` as UTC datetimes (none on a day off)."""
        if not self.is_working_day(d):
            return []
        result: list[tuple[datetime, datetime]] = []
        for local_start, local_end in self.hours.periods:
            start = datetime.combine(d, local_start, tzinfo=self.tz).astimezone(UTC)
            end = datetime.combine(d, local_end, tzinfo=self.tz).astimezone(UTC)
            if result and start < result[-1][1]:
                start = result[-1][1]
            if end > start:
                result.append((start, end))
        return result

    def _utc(self, at: datetime) -> datetime:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"expected an aware datetime, got {at!r}")
        if not self.lowest <= at < self.highest:
            raise OutOfRange(f"{at} is outside the calendar")
        return at.astimezone(UTC)

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def _days_from(self, d: date) -> Iterator[date]:
        while d <= self.last_day:
            yield d
            d += _ONE_DAY
        raise OutOfRange("walked past the end of the calendar")

    def next_working_start(self, at: datetime) -> datetime:
        """Return `at` if inside a working period, else the start of the next period."""
        now = self._utc(at)
        for d in self._days_from(self._local_date(now)):
            for start, end in self.periods(d):
                if now < end:
                    return max(now, start).astimezone(self.tz)
        raise AssertionError("unreachable")

    def effective_start(self, at: datetime, *, cutoff: time | None = None) -> datetime:
        """Return the start of counting for an intake at `at`, applying the cutoff."""
        now = self._utc(at)
        if cutoff is not None:
            today = self._local_date(now)
            cutoff_instant = datetime.combine(today, cutoff, tzinfo=self.tz)
            if self.is_working_day(today) and now >= cutoff_instant:
                for d in self._days_from(today + _ONE_DAY):
                    if self.is_working_day(d):
                        return self.periods(d)[0][0].astimezone(self.tz)
        return self.next_working_start(at)

    def add(self, at: datetime, duration: timedelta) -> datetime:
        """Return the instant `duration` of working time after `at`."""
        if duration < timedelta(0):
            raise ValueError("negative duration")
        now = self.next_working_start(at).astimezone(UTC)
        if not duration:
            return now.astimezone(self.tz)
        remaining = duration
        for d in self._days_from(self._local_date(now)):
            for start, end in self.periods(d):
                if end <= now:
                    continue
                start = max(start, now)
                if remaining <= end - start:
                    return (start + remaining).astimezone(self.tz)
                remaining -= end - start
        raise AssertionError("unreachable")

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Return the working time in [a, b); negative if b < a."""
        start, stop = self._utc(a), self._utc(b)
        if stop < start:
            return -self.between(b, a)
        total = timedelta(0)
        d = self._local_date(start)
        while d <= self._local_date(stop):
            for period_start, period_end in self.periods(d):
                overlap = min(period_end, stop) - max(period_start, start)
                if overlap > timedelta(0):
                    total += overlap
            d += _ONE_DAY
        return total

    def due(
        self,
        received: datetime,
        limit: Limit,
        *,
        cutoff: time | None = None,
        day_rule: DayRule = DayRule.CIVIL_CODE,
    ) -> datetime:
        """Return the appointment instant, walking the calendar day by day."""
        start = self.effective_start(received, cutoff=cutoff)
        if limit.unit == LimitUnit.HOURS:
            return self.add(start, timedelta(hours=limit.amount))
        if limit.unit == LimitUnit.DAYS and day_rule == DayRule.ELAPSED:
            return self.add(start, limit.amount * timedelta(seconds=self.hours.seconds_per_day))
        day = self._local_date(start)
        if limit.unit == LimitUnit.DAYS:
            counted = 0
            while counted < limit.amount:
                day += _ONE_DAY
                if self.is_working_day(day):
                    counted += 1
        return self.periods(day)[-1][1].astimezone(self.tz)
