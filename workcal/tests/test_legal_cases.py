"""One row per case the law and the 2026 announcements describe.

Every row is checked on the indexed calendar and on the plain reference walk.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from testing.calendars import national, national_reference
from testing.clock import vn
from workcal import DayRule, Limit, PauseMode, WorkCalendar

CUTOFF = time(15, 0)
DAY = Limit.days(1)

# (received, limit, cutoff, day rule, expected appointment)
DUE_CASES = {
    # Tết 2026: 16-20/2 are holidays, 14/2-22/2 is nine days without work.
    "tet: Friday 13/2, 1 day -> Monday 23/2": (
        vn(2026, 2, 13, 10),
        DAY,
        None,
        None,
        vn(2026, 2, 23, 17),
    ),
    "tet: Friday 13/2, 3 days -> Wednesday 25/2": (
        vn(2026, 2, 13, 10),
        Limit.days(3),
        None,
        None,
        vn(2026, 2, 25, 17),
    ),
    "tet: filed online during Tết counts from Monday 23/2": (
        vn(2026, 2, 18, 9),
        DAY,
        None,
        None,
        vn(2026, 2, 24, 17),
    ),
    # 1/1/2026 off; Friday 2/1 swapped for Saturday 10/1 (our overrides).
    "new year: 31/12/2025 skips 1/1, swapped 2/1 and the weekend": (
        vn(2025, 12, 31, 10),
        DAY,
        None,
        None,
        vn(2026, 1, 5, 17),
    ),
    "swap: Saturday 10/1 is worked": (vn(2026, 1, 9, 10), DAY, None, None, vn(2026, 1, 10, 17)),
    "swap: receipt on the worked Saturday counts from it": (
        vn(2026, 1, 10, 8),
        DAY,
        None,
        None,
        vn(2026, 1, 12, 17),
    ),
    # Hùng Kings 10/3 lunar = Sunday 26/4/2026 -> Monday 27/4 off.
    "hung kings: Sunday 26/4 gives Monday 27/4 off": (
        vn(2026, 4, 24, 10),
        DAY,
        None,
        None,
        vn(2026, 4, 28, 17),
    ),
    "30/4 and 1/5 (Thursday, Friday)": (vn(2026, 4, 29, 10), DAY, None, None, vn(2026, 5, 4, 17)),
    # National Day 2/9 + 1/9, and 31/8 off swapped with Saturday 22/8 (in the holidays package).
    "national day: 31/8 swapped, 1/9 and 2/9 off": (
        vn(2026, 8, 28, 10),
        DAY,
        None,
        None,
        vn(2026, 9, 3, 17),
    ),
    "national day swap: Saturday 22/8 is worked": (
        vn(2026, 8, 21, 10),
        DAY,
        None,
        None,
        vn(2026, 8, 22, 17),
    ),
    "culture day 24/11 (from 2026)": (vn(2026, 11, 23, 10), DAY, None, None, vn(2026, 11, 25, 17)),
    # The 15:00 rule.
    "cutoff: 15:30 counts from the next working day": (
        vn(2026, 1, 5, 15, 30),
        DAY,
        CUTOFF,
        None,
        vn(2026, 1, 7, 17),
    ),
    "cutoff: exactly 15:00 is after the cutoff": (
        vn(2026, 1, 5, 15, 0),
        DAY,
        CUTOFF,
        None,
        vn(2026, 1, 7, 17),
    ),
    "cutoff: 14:59 is before the cutoff": (
        vn(2026, 1, 5, 14, 59),
        DAY,
        CUTOFF,
        None,
        vn(2026, 1, 6, 17),
    ),
    "cutoff: none configured, 15:30 counts today": (
        vn(2026, 1, 5, 15, 30),
        DAY,
        None,
        None,
        vn(2026, 1, 6, 17),
    ),
    "cutoff: 31/12 15:30 counts from Monday 5/1 (1/1 and 2/1 off)": (
        vn(2025, 12, 31, 15, 30),
        DAY,
        CUTOFF,
        None,
        vn(2026, 1, 6, 17),
    ),
    # Receipt outside office hours.
    "receipt on Saturday counts from Monday": (
        vn(2026, 3, 7, 9),
        DAY,
        None,
        None,
        vn(2026, 3, 10, 17),
    ),
    "receipt 11:45 (lunch) counts from 13:30": (
        vn(2026, 3, 9, 11, 45),
        Limit.hours(2),
        None,
        None,
        vn(2026, 3, 9, 15, 30),
    ),
    # Same-day procedures (certified copies, civil-status extracts).
    "same day: 10:00 -> 17:00": (
        vn(2026, 3, 9, 10),
        Limit.same_day(),
        None,
        None,
        vn(2026, 3, 9, 17),
    ),
    "same day: 15:30 with cutoff -> next working day": (
        vn(2026, 3, 9, 15, 30),
        Limit.same_day(),
        CUTOFF,
        None,
        vn(2026, 3, 10, 17),
    ),
    "same day: Friday 16:00 with cutoff -> Monday": (
        vn(2026, 3, 6, 16),
        Limit.same_day(),
        CUTOFF,
        None,
        vn(2026, 3, 9, 17),
    ),
    "same day: Friday 16:00 without cutoff -> Friday": (
        vn(2026, 3, 6, 16),
        Limit.same_day(),
        None,
        None,
        vn(2026, 3, 6, 17),
    ),
    "same day: 17:30 -> next working day": (
        vn(2026, 3, 9, 17, 30),
        Limit.same_day(),
        None,
        None,
        vn(2026, 3, 10, 17),
    ),
    # 1 day under the Civil Code vs 8 elapsed working hours.
    "1 day, civil code: close of the next working day": (
        vn(2026, 3, 10, 10),
        DAY,
        None,
        DayRule.CIVIL_CODE,
        vn(2026, 3, 11, 17),
    ),
    "1 day, elapsed: same time the next working day": (
        vn(2026, 3, 10, 10),
        DAY,
        None,
        DayRule.ELAPSED,
        vn(2026, 3, 11, 10),
    ),
    "2 days, elapsed, over the weekend": (
        vn(2026, 3, 6, 14),
        Limit.days(2),
        None,
        DayRule.ELAPSED,
        vn(2026, 3, 10, 14),
    ),
    # Limits in hours.
    "hours: 2 h over lunch": (vn(2026, 3, 10, 10), Limit.hours(2), None, None, vn(2026, 3, 10, 14)),
    "hours: 8 h over lunch and night": (
        vn(2026, 3, 10, 10),
        Limit.hours(8),
        None,
        None,
        vn(2026, 3, 11, 10),
    ),
    "hours: 8 h from Friday over the weekend": (
        vn(2026, 3, 6, 16),
        Limit.hours(8),
        None,
        None,
        vn(2026, 3, 9, 16),
    ),
    "hours: landing on 17:00 returns 17:00, not 07:00": (
        vn(2026, 3, 10, 14),
        Limit.hours(3),
        None,
        None,
        vn(2026, 3, 10, 17),
    ),
    "hours: landing on 11:30 returns 11:30": (
        vn(2026, 3, 10, 7, 30),
        Limit.hours(4),
        None,
        None,
        vn(2026, 3, 10, 11, 30),
    ),
    # Boundary minutes.
    "16:59 is still today": (vn(2026, 3, 9, 16, 59), DAY, None, None, vn(2026, 3, 10, 17)),
    "17:00 is tomorrow": (vn(2026, 3, 9, 17, 0), DAY, None, None, vn(2026, 3, 11, 17)),
    "06:59 counts from 07:00": (vn(2026, 3, 10, 6, 59), DAY, None, None, vn(2026, 3, 11, 17)),
    "07:00 counts from 07:00": (vn(2026, 3, 10, 7, 0), DAY, None, None, vn(2026, 3, 11, 17)),
    "11:30 counts from 13:30": (
        vn(2026, 3, 10, 11, 30),
        Limit.hours(1),
        None,
        None,
        vn(2026, 3, 10, 14, 30),
    ),
    "11:29 has one minute before lunch": (
        vn(2026, 3, 10, 11, 29),
        Limit.hours(1),
        None,
        None,
        vn(2026, 3, 10, 14, 29),
    ),
}


@pytest.mark.parametrize(
    ("received", "limit", "cutoff", "day_rule", "expected"),
    list(DUE_CASES.values()),
    ids=list(DUE_CASES),
)
def test_due(
    received: datetime,
    limit: Limit,
    cutoff: time | None,
    day_rule: DayRule | None,
    expected: datetime,
) -> None:
    rule = day_rule or DayRule.CIVIL_CODE
    for cal in (national(), national_reference()):
        assert cal.due(received, limit, cutoff=cutoff, day_rule=rule) == expected


WORKING_DAYS = {
    date(2025, 12, 31): True,
    date(2026, 1, 1): False,  # New Year
    date(2026, 1, 2): False,  # swapped (override)
    date(2026, 1, 10): True,  # worked Saturday (override)
    date(2026, 1, 11): False,
    date(2026, 2, 13): True,
    **{date(2026, 2, d): False for d in range(14, 23)},  # Tết
    date(2026, 2, 23): True,
    date(2026, 4, 26): False,  # Hùng Kings on a Sunday
    date(2026, 4, 27): False,  # ... observed on Monday
    date(2026, 4, 28): True,
    date(2026, 4, 30): False,
    date(2026, 5, 1): False,
    date(2026, 8, 22): True,  # Saturday worked for 31/8
    date(2026, 8, 31): False,
    date(2026, 9, 1): False,
    date(2026, 9, 2): False,
    date(2026, 9, 3): True,
    date(2026, 11, 24): False,  # Vietnamese Culture Day
    date(2026, 11, 25): True,
}


@pytest.mark.parametrize(("day", "working"), WORKING_DAYS.items(), ids=str)
def test_is_working_day(day: date, working: bool) -> None:
    assert national().is_working_day(day) is working
    assert national_reference().is_working_day(day) is working


def test_the_holidays_package_lacks_the_january_2026_swap() -> None:
    bare = WorkCalendar(first_year=2025, last_year=2027)
    assert bare.is_working_day(date(2026, 1, 2))
    assert not bare.is_working_day(date(2026, 1, 10))


# (instant, expected effective start without a cutoff)
BOUNDARIES = {
    "16:59 inside": (vn(2026, 3, 10, 16, 59), vn(2026, 3, 10, 16, 59)),
    "17:00 closed": (vn(2026, 3, 10, 17, 0), vn(2026, 3, 11, 7, 0)),
    "07:00 open": (vn(2026, 3, 10, 7, 0), vn(2026, 3, 10, 7, 0)),
    "06:59 not yet": (vn(2026, 3, 10, 6, 59), vn(2026, 3, 10, 7, 0)),
    "11:29 inside": (vn(2026, 3, 10, 11, 29), vn(2026, 3, 10, 11, 29)),
    "11:30 lunch": (vn(2026, 3, 10, 11, 30), vn(2026, 3, 10, 13, 30)),
    "13:29 lunch": (vn(2026, 3, 10, 13, 29), vn(2026, 3, 10, 13, 30)),
    "13:30 open": (vn(2026, 3, 10, 13, 30), vn(2026, 3, 10, 13, 30)),
    "Friday 17:00 -> Monday": (vn(2026, 3, 6, 17, 0), vn(2026, 3, 9, 7, 0)),
    "Sunday noon -> Monday": (vn(2026, 3, 8, 12, 0), vn(2026, 3, 9, 7, 0)),
}


@pytest.mark.parametrize(("at", "expected"), BOUNDARIES.values(), ids=list(BOUNDARIES))
def test_effective_start_at_boundary_minutes(at: datetime, expected: datetime) -> None:
    cal = national()
    assert cal.effective_start(at) == expected
    assert cal.next_working_start(at) == expected
    assert national_reference().effective_start(at) == expected


# (start, working time to add, expected)
ADDITIONS = {
    "16:59 + 1 min -> 17:00 the same day": (vn(2026, 3, 10, 16, 59), 1, vn(2026, 3, 10, 17, 0)),
    "17:00 + 1 min -> 07:01 the next day": (vn(2026, 3, 10, 17, 0), 1, vn(2026, 3, 11, 7, 1)),
    "11:29 + 1 min -> 11:30": (vn(2026, 3, 10, 11, 29), 1, vn(2026, 3, 10, 11, 30)),
    "11:30 + 1 min -> 13:31": (vn(2026, 3, 10, 11, 30), 1, vn(2026, 3, 10, 13, 31)),
    "06:59 + 0 -> 07:00": (vn(2026, 3, 10, 6, 59), 0, vn(2026, 3, 10, 7, 0)),
    "10:00 + 0 -> 10:00": (vn(2026, 3, 10, 10, 0), 0, vn(2026, 3, 10, 10, 0)),
    "Friday 16:00 + 2 h -> Monday 08:00": (vn(2026, 3, 6, 16), 120, vn(2026, 3, 9, 8, 0)),
}


@pytest.mark.parametrize(("start", "minutes", "expected"), ADDITIONS.values(), ids=list(ADDITIONS))
def test_add(start: datetime, minutes: int, expected: datetime) -> None:
    for cal in (national(), national_reference()):
        assert cal.add(start, timedelta(minutes=minutes)) == expected


BETWEEN = {
    "a whole working day": (vn(2026, 3, 10, 7), vn(2026, 3, 10, 17), timedelta(hours=8)),
    "over the weekend": (vn(2026, 3, 6, 16), vn(2026, 3, 9, 8), timedelta(hours=2)),
    "over Tết": (vn(2026, 2, 13, 16), vn(2026, 2, 23, 8), timedelta(hours=2)),
    "lunch only": (vn(2026, 3, 10, 11, 30), vn(2026, 3, 10, 13, 30), timedelta(0)),
    "backwards is negative": (vn(2026, 3, 10, 17), vn(2026, 3, 10, 7), timedelta(hours=-8)),
}


@pytest.mark.parametrize(("a", "b", "expected"), BETWEEN.values(), ids=list(BETWEEN))
def test_between(a: datetime, b: datetime, expected: timedelta) -> None:
    for cal in (national(), national_reference()):
        assert cal.between(a, b) == expected


# A 2-day dossier received Monday 9/3 10:00 is due Wednesday 11/3 17:00; a supplement request
# on Tuesday 10/3 10:00 leaves 13 working hours (Tuesday 5 h, Wednesday 8 h).
DUE_BEFORE_PAUSE = vn(2026, 3, 11, 17)
PAUSED_AT = vn(2026, 3, 10, 10)

RESUMPTIONS = {
    "resume: 13 h from Monday 16/3 09:00": (
        vn(2026, 3, 16, 9),
        PauseMode.RESUME,
        None,
        vn(2026, 3, 17, 16),
    ),
    "resume after the cutoff: 13 h from Tuesday 07:00": (
        vn(2026, 3, 16, 15, 30),
        PauseMode.RESUME,
        CUTOFF,
        vn(2026, 3, 18, 14),
    ),
    "resume on a Saturday: from Monday 07:00": (
        vn(2026, 3, 14, 9),
        PauseMode.RESUME,
        None,
        vn(2026, 3, 17, 14),
    ),
    "restart: the whole 2 days again": (
        vn(2026, 3, 16, 9),
        PauseMode.RESTART,
        None,
        vn(2026, 3, 18, 17),
    ),
}


@pytest.mark.parametrize(
    ("resumed_at", "mode", "cutoff", "expected"), RESUMPTIONS.values(), ids=list(RESUMPTIONS)
)
def test_resume(
    resumed_at: datetime, mode: PauseMode, cutoff: time | None, expected: datetime
) -> None:
    cal = national()
    assert cal.due(vn(2026, 3, 9, 10), Limit.days(2)) == DUE_BEFORE_PAUSE
    new_due = cal.resume(
        DUE_BEFORE_PAUSE, PAUSED_AT, resumed_at, Limit.days(2), mode=mode, cutoff=cutoff
    )
    assert new_due == expected


def test_resume_when_paused_after_the_due_instant_leaves_nothing() -> None:
    cal = national()
    resumed = vn(2026, 3, 16, 9)
    assert cal.resume(DUE_BEFORE_PAUSE, vn(2026, 3, 12, 9), resumed, Limit.days(2)) == resumed


def test_resume_before_pause_is_an_error() -> None:
    with pytest.raises(ValueError, match="before being paused"):
        national().resume(DUE_BEFORE_PAUSE, PAUSED_AT, vn(2026, 3, 9), Limit.days(2))


FINISHED = {
    "the day before the due day": (vn(2026, 3, 10, 16), "early"),
    "the due day, morning": (vn(2026, 3, 11, 9), "on_time"),
    "the due instant itself": (vn(2026, 3, 11, 17), "on_time"),
    "one minute late": (vn(2026, 3, 11, 17, 1), "late"),
    "the next day": (vn(2026, 3, 12, 8), "late"),
}


@pytest.mark.parametrize(("finished", "expected"), FINISHED.values(), ids=list(FINISHED))
def test_classify_finished(finished: datetime, expected: str) -> None:
    assert national().classify_finished(finished, DUE_BEFORE_PAUSE) == expected
