"""The index answers exactly what the plain day-by-day walk answers, on any calendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache, partial
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testing.calendars import national, national_reference
from testing.clock import TZ_NAME
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
from workcal.reference import ReferenceCalendar

FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2030, 12, 31)

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Calendar = WorkCalendar | ReferenceCalendar
Outcome = tuple[str, object]


def outcome(compute: Callable[[], object]) -> Outcome:
    """Return what a query gives: ("ok", UTC value or timedelta) or ("error", its type)."""
    try:
        value = compute()
    except OutOfRange:
        return ("error", OutOfRange)
    if isinstance(value, datetime):
        # Same instant, and same local wall clock in the calendar's zone.
        zone = str(value.tzinfo)
        return ("ok", (value.astimezone(UTC), value.replace(tzinfo=None), value.utcoffset(), zone))
    return ("ok", value)


# -- strategies ------------------------------------------------------------------------------

minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    """Draw 1-3 sorted, disjoint periods on whole minutes (sometimes with seconds)."""
    count = draw(st.integers(1, 3))
    marks = sorted(draw(st.sets(minutes_of_day, min_size=2 * count, max_size=2 * count)))
    seconds = draw(st.sampled_from([0, 0, 0, 30]))
    periods = []
    for k in range(count):
        start, end = marks[2 * k], marks[2 * k + 1]
        periods.append((time(*divmod(start, 60)), time(*divmod(end, 60), second=seconds)))
    return OfficeHours(periods)


days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
overrides = st.lists(
    st.builds(DayOverride, day=days, working=st.booleans()),
    max_size=25,
    unique_by=lambda o: o.day,
).map(tuple)


@dataclass(frozen=True)
class Synthetic:
    """A synthetic HolidaySource provider for tests."""

    source: HolidaySet

    def __call__(self, years: range) -> HolidaySet:
        return self.source


def _saturday_or_sunday(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


synthetic_providers = st.builds(
    lambda holidays, workdays: Synthetic(HolidaySet(frozenset(holidays), frozenset(workdays))),
    st.sets(days, max_size=60),
    st.sets(days.map(_saturday_or_sunday), max_size=15),
)


@dataclass(frozen=True)
class Pair:
    """An indexed calendar and the reference calendar built from the same rules."""

    index: WorkCalendar
    reference: ReferenceCalendar
    hours: OfficeHours


@cache
def _pair(
    hours: OfficeHours, days_off: tuple[DayOverride, ...], provider: Synthetic | None
) -> Pair:
    index = WorkCalendar(
        hours=hours, overrides=days_off, holidays_provider=provider, first_year=2019, last_year=2032
    )
    reference = ReferenceCalendar(
        hours=hours, overrides=days_off, holidays_provider=provider, first_year=2019, last_year=2032
    )
    return Pair(index, reference, hours)


random_pairs = st.builds(
    _pair,
    office_hours(),
    overrides,
    st.one_of(st.none(), synthetic_providers),
)

INPUT_ZONES = [ZoneInfo(TZ_NAME), UTC, timezone(timedelta(hours=9)), ZoneInfo("Europe/Paris")]


@st.composite
def instants(
    draw: st.DrawFn, hours: OfficeHours, tz: ZoneInfo, cutoff: time | None = None
) -> datetime:
    """Draw an aware instant, often on or next to an office-hours boundary or the cutoff."""
    day = draw(days)
    marks = [t for period in hours.periods for t in period]
    if cutoff is not None:
        marks.append(cutoff)
    near = draw(st.sampled_from(marks))
    offset = draw(st.sampled_from([0, 0, -1, 1, -60, 60, -3600]))
    base = datetime.combine(day, near, tzinfo=tz) + timedelta(seconds=offset)
    anywhere = datetime.combine(day, time(0), tzinfo=tz) + timedelta(
        seconds=draw(st.integers(0, 86399))
    )
    chosen = draw(st.sampled_from([base, anywhere]))
    if draw(st.integers(0, 4)) == 0:
        chosen += timedelta(microseconds=draw(st.integers(1, 999_999)))
    return chosen.astimezone(draw(st.sampled_from(INPUT_ZONES)))


limits = st.one_of(
    st.builds(Limit, st.integers(1, 90), st.just(LimitUnit.DAYS)),
    st.builds(Limit, st.integers(1, 500), st.just(LimitUnit.HOURS)),
    st.just(Limit.same_day()),
)
cutoffs = st.one_of(
    st.none(), st.just(time(15)), st.builds(time, st.integers(0, 23), st.integers(0, 59))
)
rules = st.sampled_from(list(DayRule))
durations = st.one_of(
    st.just(timedelta(0)),
    st.integers(1, 500 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(1, 500 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us)),
)


def check_same_answers(
    index: WorkCalendar, reference: ReferenceCalendar, data: st.DataObject, hours: OfficeHours
) -> None:
    """Draw queries and compare both calendars on each of them."""
    cutoff = data.draw(cutoffs, label="cutoff")
    a = data.draw(instants(hours, index.tz, cutoff), label="a")
    b = data.draw(instants(hours, index.tz), label="b")
    limit = data.draw(limits, label="limit")
    rule = data.draw(rules, label="rule")
    duration = data.draw(durations, label="duration")
    queries: dict[str, Callable[[Calendar], object]] = {
        "due": lambda cal: cal.due(a, limit, cutoff=cutoff, day_rule=rule),
        "between": lambda cal: cal.between(a, b),
        "add": lambda cal: cal.add(a, duration),
        "effective_start": lambda cal: cal.effective_start(a, cutoff=cutoff),
        "next_working_start": lambda cal: cal.next_working_start(b),
    }
    for name, query in queries.items():
        assert outcome(partial(query, index)) == outcome(partial(query, reference)), name
    assert index.is_working_day(a.date()) == reference.is_working_day(a.date())


# -- index == reference ----------------------------------------------------------------------


@settings(SETTINGS, max_examples=800)
@given(st.data())
def test_national_calendar_matches_reference(data: st.DataObject) -> None:
    check_same_answers(national(), national_reference(), data, national().hours)


@settings(SETTINGS, max_examples=120)
@given(random_pairs, st.data())
def test_random_calendars_match_reference(pair: Pair, data: st.DataObject) -> None:
    for _ in range(4):
        check_same_answers(pair.index, pair.reference, data, pair.hours)


DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


@cache
def _dst_pair(hours: OfficeHours) -> Pair:
    # The clock changes on Sundays; make those Sundays working so the periods meet the jump.
    days_on = tuple(DayOverride(d, working=True) for d in DST_DAYS)
    index = WorkCalendar(
        hours=hours, overrides=days_on, tz="Europe/Paris", first_year=2025, last_year=2028
    )
    reference = ReferenceCalendar(
        hours=hours, overrides=days_on, tz="Europe/Paris", first_year=2025, last_year=2028
    )
    return Pair(index, reference, hours)


night_hours = st.sampled_from(
    [
        OfficeHours.parse("01:00-02:30,02:45-04:00,08:00-17:00"),
        OfficeHours.parse("00:30-02:15,03:15-05:00"),
        OfficeHours.parse("00:30-02:45,03:15-05:00"),  # 02:45 in the gap is after 03:15 in UTC
        OfficeHours.parse("02:10-02:20,02:40-09:00"),  # the first period vanishes in the gap
        OfficeHours.parse("01:30-03:30"),
        OfficeHours.parse("07:00-11:30,13:30-17:00"),
    ]
)


@settings(SETTINGS, max_examples=400)
@given(night_hours, st.sampled_from(DST_DAYS), st.integers(-2 * 86400, 2 * 86400), st.data())
def test_daylight_saving_zone_matches_reference(
    hours: OfficeHours, dst_day: date, offset: int, data: st.DataObject
) -> None:
    pair = _dst_pair(hours)
    tz = pair.index.tz
    a = datetime.combine(dst_day, time(0), tzinfo=tz).astimezone(UTC) + timedelta(seconds=offset)
    b = data.draw(instants(hours, tz))
    b = b.replace(year=dst_day.year, month=dst_day.month, day=dst_day.day)
    duration = timedelta(seconds=data.draw(st.integers(0, 30 * 3600)))
    limit = data.draw(limits)
    queries: list[Callable[[Calendar], object]] = [
        lambda cal: cal.between(a, b),
        lambda cal: cal.add(a, duration),
        lambda cal: cal.next_working_start(a),
        lambda cal: cal.due(a, limit),
    ]
    for query in queries:
        assert outcome(partial(query, pair.index)) == outcome(partial(query, pair.reference))


# -- relations -------------------------------------------------------------------------------

national_instants = instants(national().hours, national().tz)


@settings(SETTINGS, max_examples=300)
@given(national_instants, durations)
def test_between_measures_what_add_added(a: datetime, duration: timedelta) -> None:
    cal = national()
    assert cal.between(a, cal.add(a, duration)) == duration


@settings(SETTINGS, max_examples=300)
@given(national_instants, national_instants)
def test_add_between_lands_on_the_last_working_instant_up_to_b(a: datetime, b: datetime) -> None:
    cal = national()
    a, b = min(a, b), max(a, b)
    landed = cal.add(a, cal.between(a, b))
    assert landed <= b or cal.between(a, b) == timedelta(0)
    assert cal.between(landed, b) == timedelta(0)


@settings(SETTINGS, max_examples=300)
@given(national_instants, national_instants, national_instants)
def test_between_is_additive_and_antisymmetric(a: datetime, b: datetime, c: datetime) -> None:
    cal = national()
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)
    assert cal.between(a, b) == -cal.between(b, a)


@settings(SETTINGS, max_examples=300)
@given(national_instants, national_instants, limits, cutoffs, rules)
def test_later_receipt_is_never_due_earlier(
    a: datetime, b: datetime, limit: Limit, cutoff: time | None, rule: DayRule
) -> None:
    cal = national()
    a, b = min(a, b), max(a, b)
    assert cal.due(a, limit, cutoff=cutoff, day_rule=rule) <= cal.due(
        b, limit, cutoff=cutoff, day_rule=rule
    )
