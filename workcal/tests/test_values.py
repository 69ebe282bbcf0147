"""Limits, office hours, overrides and the errors the calendar raises."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from testing.calendars import national
from testing.clock import vn
from workcal import (
    DayOverride,
    DayRule,
    HolidaySet,
    Limit,
    LimitUnit,
    OfficeHours,
    OutOfRange,
    WorkCalendar,
)


def test_limit_accepts_unit_values_from_the_database() -> None:
    assert Limit(3, "days") == Limit.days(3)  # type: ignore[arg-type]
    assert Limit(0, LimitUnit.SAME_DAY) == Limit.same_day()
    assert str(Limit.hours(4)) == "4 hours"
    assert str(Limit.same_day()) == "same day"


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (-1, LimitUnit.DAYS, "must not be negative"),
        (-1, LimitUnit.SAME_DAY, "must not be negative"),
        (0, LimitUnit.DAYS, "use a same-day limit"),
        (0, LimitUnit.HOURS, "use a same-day limit"),
        (3651, LimitUnit.DAYS, "at most 3650 days"),
        (29201, LimitUnit.HOURS, "at most 29200 hours"),
        (3, "weeks", "unknown limit unit"),
    ],
)
def test_limit_rejects_nonsense(amount: int, unit: LimitUnit, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Limit(amount, unit)


def test_limit_amount_must_be_an_int() -> None:
    with pytest.raises(TypeError):
        Limit(1.5, LimitUnit.DAYS)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Limit(True, LimitUnit.DAYS)


def test_the_longest_limits_are_allowed() -> None:
    assert Limit.days(3650).amount == 3650
    assert Limit.hours(29200).amount == 29200


def test_office_hours_round_trip() -> None:
    hours = OfficeHours.parse("07:00-11:30,13:30-17:00")
    assert str(hours) == "07:00-11:30,13:30-17:00"
    assert OfficeHours.parse(str(hours)) == hours
    assert hours.seconds_per_day == 8 * 3600
    assert hours.hours_per_day == 8.0
    assert OfficeHours.parse(" 7:30 - 11:30:15 ").seconds_per_day == 4 * 3600 + 15
    assert str(OfficeHours.parse("07:30-11:30:15")) == "07:30-11:30:15"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "bad period"),
        ("07:00", "bad period"),
        ("07:00-06:00", "empty or reversed"),
        ("07:00-07:00", "empty or reversed"),
        ("07:00-12:00,11:00-13:00", "must not overlap"),
        ("13:30-17:00,07:00-11:30", "sorted"),
        ("25:00-26:00", "hour must be in"),
        ("7h-11h", "expected HH:MM"),
    ],
)
def test_office_hours_reject_nonsense(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OfficeHours.parse(text)


def test_office_hours_need_local_times() -> None:
    with pytest.raises(ValueError, match="tzinfo"):
        OfficeHours([(time(7, tzinfo=UTC), time(11))])
    with pytest.raises(ValueError, match="at least one period"):
        OfficeHours([])


def test_overrides_must_agree_and_be_dates() -> None:
    with pytest.raises(ValueError, match="contradictory"):
        WorkCalendar(
            overrides=[DayOverride(date(2026, 1, 2), True), DayOverride(date(2026, 1, 2), False)],
            first_year=2026,
            last_year=2026,
        )
    with pytest.raises(TypeError):
        DayOverride(datetime(2026, 1, 2, tzinfo=UTC), True)


def test_a_synthetic_holiday_source_drives_the_calendar() -> None:
    monday = date(2030, 1, 7)
    saturday = date(2030, 1, 12)
    cal = WorkCalendar(
        holidays_provider=lambda years: HolidaySet(frozenset({monday}), frozenset({saturday})),
        first_year=2030,
        last_year=2030,
    )
    assert not cal.is_working_day(monday)
    assert cal.is_working_day(saturday)
    assert cal.is_working_day(date(2030, 1, 1))  # no New Year in this synthetic source


def test_naive_datetimes_are_refused() -> None:
    cal = national()
    naive = datetime(2026, 3, 10, 10)  # noqa: DTZ001 - the point of the test
    for call in (
        lambda: cal.due(naive, Limit.days(1)),
        lambda: cal.add(naive, timedelta(hours=1)),
        lambda: cal.between(naive, vn(2026, 3, 10)),
        lambda: cal.between(vn(2026, 3, 10), naive),
        lambda: cal.effective_start(naive),
        lambda: cal.next_working_start(naive),
        lambda: cal.classify_finished(naive, vn(2026, 3, 10)),
        lambda: cal.resume(vn(2026, 3, 11, 17), naive, vn(2026, 3, 12), Limit.days(2)),
    ):
        with pytest.raises(ValueError, match="aware datetime"):
            call()


def test_dates_are_not_instants() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        national().due(date(2026, 3, 10), Limit.days(1))  # type: ignore[arg-type]


def test_negative_working_time_cannot_be_added() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        national().add(vn(2026, 3, 10, 10), timedelta(minutes=-1))


def test_unknown_day_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="fortnightly"):
        national().due(vn(2026, 3, 10, 10), Limit.days(1), day_rule="fortnightly")  # type: ignore[arg-type]
    assert national().due(vn(2026, 3, 10, 10), Limit.days(1), day_rule="elapsed") == vn(  # type: ignore[arg-type]
        2026, 3, 11, 10
    )


def test_cutoff_must_be_a_local_time() -> None:
    with pytest.raises(ValueError, match="cutoff"):
        national().effective_start(vn(2026, 3, 10, 10), cutoff=time(15, tzinfo=UTC))


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2009, 12, 31, 23, 59, tzinfo=national().tz),
        datetime(2046, 1, 1, tzinfo=national().tz),
        datetime(1990, 6, 1, tzinfo=UTC),
    ],
)
def test_instants_outside_the_calendar_are_out_of_range(instant: datetime) -> None:
    cal = national()
    with pytest.raises(OutOfRange, match="outside the working calendar 2010-2045"):
        cal.due(instant, Limit.days(1))
    with pytest.raises(OutOfRange):
        cal.between(vn(2026, 1, 5), instant)


def test_results_beyond_the_calendar_are_out_of_range() -> None:
    cal = national()
    late = vn(2045, 12, 1, 10)
    with pytest.raises(OutOfRange):
        cal.due(late, Limit.days(60))
    with pytest.raises(OutOfRange):
        cal.due(late, Limit.days(60), day_rule=DayRule.ELAPSED)
    with pytest.raises(OutOfRange):
        cal.add(late, timedelta(hours=500))
    with pytest.raises(OutOfRange):
        cal.effective_start(vn(2045, 12, 31, 18))
    with pytest.raises(OutOfRange):
        cal.is_working_day(date(2046, 1, 1))
    assert isinstance(OutOfRange("x"), ValueError)


def test_the_first_instant_of_the_calendar_is_in_range() -> None:
    assert national().effective_start(datetime(2010, 1, 1, tzinfo=national().tz)) == datetime(
        2010, 1, 4, 7, tzinfo=national().tz
    )


def test_results_are_in_the_calendar_zone_whatever_the_input_zone() -> None:
    cal = national()
    received = vn(2026, 3, 10, 10).astimezone(UTC)
    for result in (
        cal.due(received, Limit.hours(1)),
        cal.due(received, Limit.days(1)),
        cal.effective_start(received),
        cal.add(received, timedelta(0)),
    ):
        assert result.tzinfo is cal.tz


def test_microseconds_are_kept() -> None:
    cal = national()
    received = vn(2026, 3, 10, 11, 29, 59) + timedelta(microseconds=250_000)
    assert cal.add(received, timedelta(seconds=1)) == vn(2026, 3, 10, 13, 30, 0) + timedelta(
        microseconds=250_000
    )
    assert cal.between(received, vn(2026, 3, 10, 11, 30)) == timedelta(microseconds=750_000)


def test_calendar_describes_itself() -> None:
    cal = national()
    assert cal.hours_per_day == 8.0
    assert cal.seconds_per_day == 28800
    assert "07:00-11:30,13:30-17:00" in repr(cal)
