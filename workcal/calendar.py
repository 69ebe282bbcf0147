"""The working-time calendar: an index of working periods answering queries in O(log n)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Set
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from workcal.hours import DEFAULT_HOURS, OfficeHours
from workcal.limits import DayRule, Limit, LimitUnit, PauseMode
from workcal.sources import DayOverride, HolidaySource, override_map, vn_holidays

Punctuality = Literal["early", "on_time", "late"]
HolidayProvider = Callable[[range], HolidaySource]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_MAX_CACHED_CUTOFFS = 16

_DAYS = LimitUnit.DAYS
_HOURS = LimitUnit.HOURS
_CIVIL_CODE = DayRule.CIVIL_CODE
_ELAPSED = DayRule.ELAPSED


class OutOfRange(ValueError):
    """An instant or a result lies outside the calendar's precomputed years."""


@cache
def zone(name: str) -> ZoneInfo:
    """Return the ZoneInfo for `name`, cached."""
    return ZoneInfo(name)


def _naive(value: object) -> ValueError:
    return ValueError(f"expected an aware datetime, got {value!r}")


def _local_seconds(day: date, at: time, tz: ZoneInfo) -> int:
    """Return the UTC epoch seconds of local wall time `at` on `day` (fold=0 if ambiguous)."""
    return (datetime.combine(day, at, tzinfo=tz) - _EPOCH) // _SECOND


def _fixed_offset(tz: ZoneInfo, first_year: int, last_year: int) -> bool:
    """Return whether `tz` keeps one UTC offset from first_year to last_year (± 2 days)."""
    day = date(first_year, 1, 1) - 2 * _ONE_DAY
    last = date(last_year + 1, 1, 1) + 2 * _ONE_DAY
    offset = datetime.combine(day, time(0), tzinfo=tz).utcoffset()
    while day <= last:
        for hour in (0, 12):
            if datetime.combine(day, time(hour), tzinfo=tz).utcoffset() != offset:
                return False
        day += _ONE_DAY
    return True


def _is_working_day_by_rule(
    day: date, holiday_dates: Set[date], weekend_workdays: Set[date], forced: Mapping[date, bool]
) -> bool:
    """Apply the working-day rule; overrides win over holidays and weekends."""
    if day in forced:
        return forced[day]
    return (day.weekday() < 5 and day not in holiday_dates) or day in weekend_workdays


class WorkCalendar:
    """Working days and office hours of one unit, indexed for O(log n) due-date arithmetic."""

    # Every working period of every working day from first_year to last_year is laid out on
    # one axis of UTC epoch seconds: _starts[i], _ends[i]. _cum[i] is the working time before
    # period i, so the "working position" of an instant t inside period i is t - _shift[i]
    # with _shift[i] = _starts[i] - _cum[i]; adding working time is adding to the position.
    # Queries bisect these arrays; only __init__ loops over days.

    def __init__(
        self,
        *,
        hours: OfficeHours = DEFAULT_HOURS,
        overrides: Iterable[DayOverride] = (),
        tz: str = "Asia/Ho_Chi_Minh",
        first_year: int = 2010,
        last_year: int = 2045,
        holidays_provider: HolidayProvider | None = None,
    ) -> None:
        """Build the index of working periods for the years first_year..last_year."""
        if not 1 < first_year <= last_year < 9999:
            raise ValueError(f"bad calendar years {first_year}..{last_year}")
        self.hours = hours
        self.tz = zone(tz)
        self.first_year = first_year
        self.last_year = last_year
        self.seconds_per_day = hours.seconds_per_day
        provider = holidays_provider or vn_holidays
        source = provider(range(first_year, last_year + 1))
        forced = override_map(overrides)
        self.overrides = dict(sorted(forced.items()))

        self._first_day = date(first_year, 1, 1)
        self._last_day = date(last_year, 12, 31)
        self._lo = _local_seconds(self._first_day, time(0), self.tz)
        self._hi = _local_seconds(date(last_year + 1, 1, 1), time(0), self.tz)
        self._cutoffs: dict[time, list[int]] = {}
        self._anchor = datetime.combine(self._first_day, time(0), tzinfo=self.tz)
        # Inputs in the calendar's own zone take a fast path when its offset never changes
        # over the calendar's years (Vietnam: UTC+7 since 1975).
        self._fixed_tz = self.tz if _fixed_offset(self.tz, first_year, last_year) else None

        self._index(source, forced)

    def _index(self, source: HolidaySource, forced: Mapping[date, bool]) -> None:
        """Lay out every working period of the calendar's years on the UTC axis."""
        working: set[date] = set()
        starts: list[int] = []
        ends: list[int] = []
        cum: list[int] = []
        period_day: list[int] = []  # period index -> working-day index
        day_first: list[int] = []  # working-day index -> index of its first period
        day_dates: list[date] = []  # working-day index -> date
        total = 0
        holiday_dates = source.holiday_dates
        weekend_workdays = source.weekend_workdays
        day = self._first_day
        while day <= self._last_day:
            if _is_working_day_by_rule(day, holiday_dates, weekend_workdays, forced):
                periods = self._day_periods(day)
                if not periods:
                    raise ValueError(f"office hours {self.hours} vanish on {day} in {self.tz}")
                if starts and periods[0][0] < ends[-1]:
                    raise ValueError(f"office hours {self.hours} overlap the day before {day}")
                working.add(day)
                day_first.append(len(starts))
                for start, end in periods:
                    period_day.append(len(day_dates))
                    starts.append(start)
                    ends.append(end)
                    cum.append(total)
                    total += end - start
                day_dates.append(day)
            day += _ONE_DAY
        if not starts:
            raise ValueError(f"no working day between {self.first_year} and {self.last_year}")
        cum.append(total)

        self._working = frozenset(working)
        self._starts = starts
        self._ends = ends
        self._cum = cum
        self._cum_end = cum[1:]
        self._shift = [start - before for start, before in zip(starts, cum[:-1], strict=True)]
        self._period_day = period_day
        self._day_first = day_first
        self._day_dates = day_dates
        self._n = len(starts)
        self._n_days = len(day_dates)
        # Results are returned as these shared immutable objects where possible.
        fromtimestamp = datetime.fromtimestamp
        self._start_dt = [fromtimestamp(s, self.tz) for s in starts]
        self._end_dt = [fromtimestamp(e, self.tz) for e in ends]
        self._close_dt = [self._end_dt[first - 1] for first in [*day_first[1:], self._n]]

    def _day_periods(self, day: date) -> list[tuple[int, int]]:
        """Return the non-empty working periods of `day` as UTC epoch seconds."""
        result: list[tuple[int, int]] = []
        for local_start, local_end in self.hours.periods:
            start = _local_seconds(day, local_start, self.tz)
            end = _local_seconds(day, local_end, self.tz)
            if result and start < result[-1][1]:  # wall times made ambiguous by a DST jump
                start = result[-1][1]
            if end > start:
                result.append((start, end))
        return result

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(hours={str(self.hours)!r}, tz={self.tz.key!r}, "
            f"years={self.first_year}..{self.last_year}, overrides={len(self.overrides)})"
        )

    @property
    def hours_per_day(self) -> float:
        """Return the nominal working hours of one working day."""
        return self.seconds_per_day / 3600

    # -- low-level helpers -------------------------------------------------------------------

    def _out_of_range(self, what: object) -> OutOfRange:
        return OutOfRange(
            f"{what} is outside the working calendar {self.first_year}-{self.last_year}"
        )

    def _instant(self, at: datetime) -> tuple[int, int]:
        """Return (UTC epoch seconds, microseconds) of an aware in-range instant."""
        try:
            # A naive `at` (tzinfo None) may take either branch; both raise TypeError for it.
            if at.tzinfo is self._fixed_tz:
                # Same tzinfo on both sides: a wall-clock difference, exact under a fixed offset.
                delta = at - self._anchor
                seconds = self._lo + delta.days * 86400 + delta.seconds
            else:
                delta = at - _EPOCH
                seconds = delta.days * 86400 + delta.seconds
        except (TypeError, AttributeError):
            raise _naive(at) from None
        if not self._lo <= seconds < self._hi:
            raise self._out_of_range(at)
        return seconds, delta.microseconds

    def _start_period(self, seconds: int, cutoff: time | None) -> int:
        """Return the index of the period an intake at `seconds` starts counting in."""
        i = bisect_right(self._ends, seconds)  # first period ending after the instant
        if i == self._n:
            raise self._out_of_range("the next working period")
        if cutoff is not None:
            day = self._period_day[i]
            # If the instant is at/after the cutoff, it is on that working day's date (it is
            # before the day's close), so the intake moves to the next working day.
            if seconds >= self._cutoff_seconds(cutoff)[day]:
                if day + 1 == self._n_days:
                    raise self._out_of_range("the next working day")
                return self._day_first[day + 1]
        return i

    def _cutoff_seconds(self, cutoff: time) -> list[int]:
        """Return, per working day, the UTC epoch seconds of the local `cutoff` (cached)."""
        found = self._cutoffs.get(cutoff)
        if found is not None:
            return found
        if not isinstance(cutoff, time) or cutoff.tzinfo is not None:
            raise ValueError(f"cutoff must be a naive local datetime.time, got {cutoff!r}")
        if len(self._cutoffs) >= _MAX_CACHED_CUTOFFS:
            self._cutoffs.clear()
        found = [_local_seconds(day, cutoff, self.tz) for day in self._day_dates]
        self._cutoffs[cutoff] = found
        return found

    def _at_position(self, position: int, micro: int) -> datetime:
        """Return the instant at working `position` (+`micro` µs), a period's end if it is one."""
        j = bisect_left(self._cum_end, position + 1 if micro else position)
        if j == self._n:
            raise self._out_of_range("the result")
        if not micro and position == self._cum_end[j]:
            return self._end_dt[j]
        result = datetime.fromtimestamp(position + self._shift[j], self.tz)
        return result.replace(microsecond=micro) if micro else result

    def _position(self, seconds: int, micro: int) -> tuple[int, int]:
        """Return the working time before the instant, as (seconds, microseconds)."""
        i = bisect_right(self._ends, seconds)
        if i == self._n:
            return self._cum[i], 0
        if self._starts[i] <= seconds:
            return seconds - self._shift[i], micro
        return self._cum[i], 0

    def _close(self, day: int) -> datetime:
        if day >= self._n_days:
            raise self._out_of_range("the due day")
        return self._close_dt[day]

    # -- public queries ----------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Return whether `d` is a working day."""
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"expected a date, got {d!r}")
        if not self._first_day <= d <= self._last_day:
            raise self._out_of_range(d)
        return d in self._working

    def next_working_start(self, at: datetime) -> datetime:
        """Return `at` if it is inside a working period, else the start of the next one."""
        return self.effective_start(at)

    def effective_start(self, at: datetime, *, cutoff: time | None = None) -> datetime:
        """Return the instant an intake at `at` starts counting from."""
        # Outside office hours or on a day off: the start of the next working period. On a
        # working day at or after `cutoff` (local wall time): the start of the next working day.
        seconds, _ = self._instant(at)
        i = self._start_period(seconds, cutoff)
        if self._starts[i] <= seconds:
            return at.astimezone(self.tz)
        return self._start_dt[i]

    def add(self, at: datetime, duration: timedelta) -> datetime:
        """Return the instant `duration` of working time after `at`."""
        # A sum landing exactly on the end of a period returns that end (17:00, not 07:00 of
        # the next day); a zero duration returns next_working_start(at).
        seconds, micro = self._instant(at)
        if duration < _ZERO:
            raise ValueError(f"working time to add must not be negative, got {duration}")
        i = self._start_period(seconds, None)
        inside = self._starts[i] <= seconds
        if not duration:
            return at.astimezone(self.tz) if inside else self._start_dt[i]
        if inside:
            position = seconds - self._shift[i]
        else:
            position, micro = self._cum[i], 0
        position += duration.days * 86400 + duration.seconds
        micro += duration.microseconds
        if micro >= 1_000_000:
            position += 1
            micro -= 1_000_000
        return self._at_position(position, micro)

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Return the working time in [a, b); negative if b < a."""
        seconds_a, micro_a = self._position(*self._instant(a))
        seconds_b, micro_b = self._position(*self._instant(b))
        return timedelta(seconds=seconds_b - seconds_a, microseconds=micro_b - micro_a)

    def due(
        self,
        received: datetime,
        limit: Limit,
        *,
        cutoff: time | None = None,
        day_rule: DayRule = DayRule.CIVIL_CODE,
    ) -> datetime:
        """Return the appointment instant for a dossier received at `received`."""
        seconds, micro = self._instant(received)
        i = self._start_period(seconds, cutoff)
        unit = limit.unit
        if unit is _DAYS:
            if day_rule is not _CIVIL_CODE and day_rule is not _ELAPSED:
                day_rule = DayRule(day_rule)
            if day_rule is _CIVIL_CODE:
                return self._close(self._period_day[i] + limit.amount)
            work = limit.amount * self.seconds_per_day
        elif unit is _HOURS:
            work = limit.amount * 3600
        else:  # SAME_DAY: the cutoff has already moved a late intake to the next working day
            return self._close(self._period_day[i])
        if self._starts[i] <= seconds:
            return self._at_position(seconds - self._shift[i] + work, micro)
        return self._at_position(self._cum[i] + work, 0)

    def resume(
        self,
        due: datetime,
        paused_at: datetime,
        resumed_at: datetime,
        limit: Limit,
        *,
        mode: PauseMode = PauseMode.RESUME,
        cutoff: time | None = None,
        day_rule: DayRule = DayRule.CIVIL_CODE,
    ) -> datetime:
        """Return the new appointment after a pause from `paused_at` to `resumed_at`."""
        # RESUME: the working time left at the pause continues from the effective resumption
        # (the cutoff applies to the resumption as to an intake). RESTART: the whole limit is
        # counted again from the resumption, as for a new intake.
        if self._instant(resumed_at) < self._instant(paused_at):
            raise ValueError(f"resumed at {resumed_at} before being paused at {paused_at}")
        if PauseMode(mode) is PauseMode.RESTART:
            return self.due(resumed_at, limit, cutoff=cutoff, day_rule=day_rule)
        remaining = max(self.between(paused_at, due), _ZERO)
        return self.add(self.effective_start(resumed_at, cutoff=cutoff), remaining)

    def classify_finished(self, finished: datetime, due: datetime) -> Punctuality:
        """Return "early" (a local day before the due day), "on_time" (<= due) or "late"."""
        for value in (finished, due):
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise _naive(value)
        if finished > due:
            return "late"
        if finished.astimezone(self.tz).date() < due.astimezone(self.tz).date():
            return "early"
        return "on_time"
