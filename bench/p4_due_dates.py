"""P4: due-date computations per second, indexed WorkCalendar vs the day-by-day reference."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bench import benchmark, best_rates, report
from workcal import DayOverride, Limit, WorkCalendar, vn_holidays
from workcal.reference import ReferenceCalendar

RECEIPTS = 20_000
SEED = 4
SWAPS_2026 = (DayOverride(date(2026, 1, 2), working=False), DayOverride(date(2026, 1, 10), True))
GOAL_RATIO_60 = 20
GOAL_RATE = 300_000


def _receipts(tz: ZoneInfo, count: int) -> list[datetime]:
    """Return `count` random receipt instants over 2025-2027, local time, whole seconds."""
    rng = random.Random(SEED)
    low = int(datetime(2025, 1, 1, tzinfo=tz).timestamp())
    high = int(datetime(2028, 1, 1, tzinfo=tz).timestamp())
    return [datetime.fromtimestamp(rng.randrange(low, high), tz) for _ in range(count)]


def _loop(
    due: Callable[[datetime, Limit], datetime], receipts: list[datetime], limit: Limit
) -> Callable[[], int]:
    """Return a function computing every receipt's due date and returning how many it did."""

    def run() -> int:
        for received in receipts:
            due(received, limit)
        return len(receipts)

    return run


@benchmark("p4")
def due_dates() -> None:
    """Time due() for 1- and 60-working-day limits on the same random receipts."""
    started = time.perf_counter()
    vn_holidays(range(2010, 2046))
    fetched = time.perf_counter()
    calendar = WorkCalendar(overrides=SWAPS_2026)
    built = time.perf_counter()
    reference = ReferenceCalendar(overrides=SWAPS_2026)
    report(
        "p4.build",
        (built - fetched) * 1000,
        "ms",
        note=f"index of {calendar._n:,} working periods 2010-2045; "
        f"holidays package {(fetched - started) * 1000:.0f} ms before it",
    )
    receipts = _receipts(calendar.tz, RECEIPTS)
    ratios: dict[int, float] = {}
    rates: dict[int, float] = {}
    for days in (1, 60):
        limit = Limit.days(days)
        indexed = [calendar.due(r, limit) for r in receipts]
        walked = [reference.due(r, limit) for r in receipts]
        if indexed != walked:
            wrong = next(i for i, (a, b) in enumerate(zip(indexed, walked, strict=True)) if a != b)
            raise AssertionError(f"{receipts[wrong]}: index {indexed[wrong]} != {walked[wrong]}")
        rates[days], baseline = best_rates(
            _loop(calendar.due, receipts, limit), _loop(reference.due, receipts, limit), repeat=4
        )
        ratios[days] = rates[days] / baseline
        report(f"p4.due_{days}d", rates[days], "due/s", baseline=baseline)
    met = ratios[60] >= GOAL_RATIO_60 and min(rates.values()) >= GOAL_RATE
    print(
        f"p4.goal: {'met' if met else 'NOT MET'} (>= {GOAL_RATIO_60}x the loop at 60 days: "
        f"{ratios[60]:.1f}x; >= {GOAL_RATE:,} due/s: {min(rates.values()):,.0f}); "
        f"{RECEIPTS:,} receipts over 2025-2027, answers identical"
    )
