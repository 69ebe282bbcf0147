"""Daily office hours of a unit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

Period = tuple[time, time]


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _format(t: time) -> str:
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def _parse_time(text: str, source: str) -> time:
    pieces = text.strip().split(":")
    if len(pieces) not in (2, 3) or not all(p.isdigit() for p in pieces):
        raise ValueError(f"bad time {text.strip()!r} in office hours {source!r}; expected HH:MM")
    numbers = [int(p) for p in pieces]
    second = numbers[2] if len(numbers) == 3 else 0
    try:
        return time(numbers[0], numbers[1], second)
    except ValueError as exc:
        raise ValueError(f"bad time {text.strip()!r} in office hours {source!r}: {exc}") from None


@dataclass(frozen=True, slots=True, init=False)
class OfficeHours:
    """The working periods of one day, in local time, e.g. 07:00-11:30 and 13:30-17:00."""

    periods: tuple[Period, ...]

    def __init__(self, periods: Iterable[Period]) -> None:
        """Store the periods as a tuple and validate them."""
        object.__setattr__(self, "periods", tuple((start, end) for start, end in periods))
        self._validate()

    def _validate(self) -> None:
        if not self.periods:
            raise ValueError("office hours need at least one period")
        for t in (t for period in self.periods for t in period):
            if not isinstance(t, time):
                raise TypeError(f"office hours need datetime.time values, got {t!r}")
            if t.tzinfo is not None:
                raise ValueError(f"office hours are local wall times; {t} has a tzinfo")
            if t.microsecond:
                raise ValueError(f"office hours are whole seconds; got {t}")
        previous_end = time.min
        for start, end in self.periods:
            if start >= end:
                raise ValueError(
                    f"office period {_format(start)}-{_format(end)} is empty or reversed"
                )
            if start < previous_end:
                raise ValueError(f"office periods must be sorted and must not overlap: {self}")
            previous_end = end

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse "07:00-11:30,13:30-17:00" (the format `str()` produces)."""
        periods: list[Period] = []
        for chunk in text.split(","):
            bounds = chunk.split("-")
            if len(bounds) != 2:
                raise ValueError(f"bad period {chunk.strip()!r} in office hours {text!r}")
            periods.append((_parse_time(bounds[0], text), _parse_time(bounds[1], text)))
        return cls(periods)

    @property
    def seconds_per_day(self) -> int:
        """Return the nominal working seconds of one working day."""
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods)

    @property
    def hours_per_day(self) -> float:
        """Return the nominal working hours of one working day."""
        return self.seconds_per_day / 3600

    def __str__(self) -> str:
        return ",".join(f"{_format(start)}-{_format(end)}" for start, end in self.periods)


DEFAULT_HOURS = OfficeHours(((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))))
