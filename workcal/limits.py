"""Legal time limits and the rules for counting them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_DAYS = 3650
MAX_HOURS = 29200


class LimitUnit(StrEnum):
    """Unit of a legal time limit."""

    DAYS = "days"
    HOURS = "hours"
    SAME_DAY = "same_day"


class DayRule(StrEnum):
    """How a limit in days is turned into an instant."""

    # N days -> close of office on the N-th working day after the (effective) receipt day;
    # the day of receipt is not counted (Civil Code art. 147).
    CIVIL_CODE = "civil_code"
    # N days -> effective receipt instant + N * hours-per-day of working time.
    ELAPSED = "elapsed"


class PauseMode(StrEnum):
    """What happens to a running limit after a supplement request."""

    RESUME = "resume"  # the remaining working time continues from the resumption
    RESTART = "restart"  # the whole limit starts again from the resumption


@dataclass(frozen=True, slots=True)
class Limit:
    """A legal time limit: an amount of working days or hours, or same-day service."""

    amount: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        """Validate the amount against the unit; accept the unit as its string value."""
        try:
            unit = LimitUnit(self.unit)
        except ValueError:
            choices = ", ".join(repr(u.value) for u in LimitUnit)
            raise ValueError(
                f"unknown limit unit {self.unit!r}; expected one of {choices}"
            ) from None
        object.__setattr__(self, "unit", unit)
        amount = self.amount
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError(f"limit amount must be an int, not {type(amount).__name__}")
        if amount < 0:
            raise ValueError(f"limit amount must not be negative, got {amount} {unit.value}")
        if unit is LimitUnit.SAME_DAY:
            return  # the amount means nothing here; catalogs may store 0 or 1
        if amount == 0:
            raise ValueError(f"a limit of 0 {unit.value} is not allowed; use a same-day limit")
        ceiling = MAX_DAYS if unit is LimitUnit.DAYS else MAX_HOURS
        if amount > ceiling:
            raise ValueError(
                f"limit of {amount} {unit.value} is absurd; at most {ceiling} {unit.value} allowed"
            )

    @classmethod
    def days(cls, amount: int) -> Limit:
        """Return a limit of `amount` working days."""
        return cls(amount, LimitUnit.DAYS)

    @classmethod
    def hours(cls, amount: int) -> Limit:
        """Return a limit of `amount` working hours."""
        return cls(amount, LimitUnit.HOURS)

    @classmethod
    def same_day(cls) -> Limit:
        """Return the same-day limit (result at close of office on the day of receipt)."""
        return cls(0, LimitUnit.SAME_DAY)

    def __str__(self) -> str:
        if self.unit is LimitUnit.SAME_DAY:
            return "same day"
        return f"{self.amount} {self.unit.value}"
