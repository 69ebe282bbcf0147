"""The business words of dossiers.timeliness: the desk and the report agree, boundaries, calendar.

Monday 2 March 2026, 09:00: a birth registration (3 working days) is received at the desk of
ward A; it is due on Thursday 5 March at 17:00 (the Civil Code rule: the day of receipt is not
counted). The default office hours are 07:00-11:30 and 13:30-17:00.
"""

import importlib
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions, figures, timeliness
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, FigureCount, Punctuality, Status
from orgs.models import Unit
from stats.report import Column, GroupBy, Period, report, report_from_rows
from workdays.calendars import calendar_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
US = timedelta(microseconds=1)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


DUE = vn(2026, 3, 5, 17)  # the appointment of a dossier received on Monday 2 March, 09:00


def file_at_desk(w: World, at: datetime, competent: Unit | None = None) -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        competent_unit=competent,
        channel="1",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )


def signed_in(username: str) -> Client:
    client = Client()
    r = client.post("/desk/login/", {"username": username, "password": "pw-" + username})
    assert r.status_code == 302
    return client


def codes_in(page: str) -> set[str]:
    return set(re.findall(r'href="/desk/dossiers/([^/"]+)/"', page))


# --- the desk's inbox and the report's column agree -----------------------------------------


def test_desk_and_report_agree_on_a_dossier_paused_past_its_due_instant(world: World) -> None:
    w = world
    paused_late = actions.forward(
        file_at_desk(w, vn(2026, 3, 2, 9)), actor=w.desk_a, at=vn(2026, 3, 2, 10)
    )
    paused_in_time = actions.forward(
        file_at_desk(w, vn(2026, 3, 2, 9, 5)), actor=w.desk_a, at=vn(2026, 3, 2, 10, 5)
    )
    running_late = actions.forward(
        file_at_desk(w, vn(2026, 3, 2, 9, 10)), actor=w.desk_a, at=vn(2026, 3, 2, 10, 10)
    )
    assert paused_late.due_at == paused_in_time.due_at == running_late.due_at == DUE
    # The specialist asks for a supplement a day after the appointment had passed...
    actions.request_supplement(
        paused_late,
        actor=w.specialist_a,
        at=vn(2026, 3, 6, 9),
        reason="Thiếu",
        missing_documents=["Tờ khai"],
    )
    # ... and, for the other one, while it was still within time.
    actions.request_supplement(
        paused_in_time,
        actor=w.specialist_a,
        at=vn(2026, 3, 3, 9),
        reason="Thiếu",
        missing_documents=["Tờ khai"],
    )
    overdue = {paused_late.code, running_late.code}

    with time_machine.travel(vn(2026, 3, 9, 10), tick=False):
        desk = signed_in("desk_a")
        page = desk.get("/desk/queue/overdue/").content.decode()
        assert codes_in(page) == overdue
        link = r'href="/desk/queue/overdue/"[^>]*>\s*<span>[^<]*</span>\s*'
        nav = re.search(link + r'<span class="count[^"]*">(\d+)<', page)
        assert nav is not None and int(nav.group(1)) == 2
        assert paused_in_time.code in codes_in(
            desk.get("/desk/queue/awaiting_supplement/").content.decode()
        )
        assert paused_in_time.code not in codes_in(
            desk.get("/desk/queue/due_soon/").content.decode()
        )

        # The report for a period ending today judges the same dossiers overdue.
        period = Period(date(2026, 3, 1), date(2026, 3, 9))
        ioc = signed_in("ioc")
        query = f"unit={w.province.code}&start=2026-03-01&end=2026-03-09&by=unit"
        cell = ioc.get(f"/ioc/dossiers/?{query}&column=overdue").content.decode()
        assert codes_in(cell) == overdue
        within = ioc.get(f"/ioc/dossiers/?{query}&column=within_time").content.decode()
        assert codes_in(within) == {paused_in_time.code}

    for compute in (report, report_from_rows):
        total = compute(w.province, period, GroupBy.UNIT).total.counts
        assert total[Column.OVERDUE] == 2
        assert total[Column.WITHIN_TIME] == 1
    assert (
        set(Dossier.objects.overdue(vn(2026, 3, 9, 10)).values_list("code", flat=True)) == overdue
    )


# --- the words at the boundary instants ------------------------------------------------------


def _row(w: World, **fields: Any) -> Dossier:
    """A dossier row of ward A received on Monday 2 March at 09:00 and due at DUE."""
    values: dict[str, Any] = {
        "code": f"T-{Dossier.objects.count() + 1}",
        "procedure_version": ProcedureVersion.objects.get(procedure__code="1.001193"),
        "receiving_unit": w.ward_a,
        "competent_unit": w.ward_a,
        "channel": "1",
        "status": Status.IN_PROGRESS,
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn A",
        "applicant_id_number": "087095000123",
        "public_secret": "123456",
        "submitted_at": vn(2026, 3, 2, 9),
        "received_at": vn(2026, 3, 2, 9),
        "due_at": DUE,
    }
    values.update(fields)
    if values.get("paused_at"):
        values["status"] = Status.SUPPLEMENT_REQUESTED
    if values.get("finished_at"):
        values["status"] = Status.RESULT_READY
    return Dossier.objects.create(**values)


# (case, paused at, finished at, judged at, overdue?)
OVERDUE_TABLE = [
    ("running, a microsecond before the due instant", None, None, DUE - US, False),
    ("running, at the due instant", None, None, DUE, False),
    ("running, a microsecond after the due instant", None, None, DUE + US, True),
    ("running, the next morning", None, None, vn(2026, 3, 6, 7), True),
    (
        "paused a minute before due, judged days later",
        DUE - timedelta(minutes=1),
        None,
        vn(2026, 3, 20),
        False,
    ),
    ("paused exactly at the due instant, judged later", DUE, None, vn(2026, 3, 20), False),
    (
        "paused a minute after due, judged days later",
        DUE + timedelta(minutes=1),
        None,
        vn(2026, 3, 20),
        True,
    ),
    (
        "paused a minute after due, judged before the pause",
        DUE + timedelta(minutes=1),
        None,
        DUE + US,
        True,
    ),
    (
        "paused a minute after due, judged before the due instant",
        DUE + timedelta(minutes=1),
        None,
        DUE - US,
        False,
    ),
    (
        "finished late, judged while still open",
        None,
        DUE + timedelta(hours=1),
        DUE + timedelta(minutes=30),
        True,
    ),
    (
        "finished late, judged as it finished",
        None,
        DUE + timedelta(hours=1),
        DUE + timedelta(hours=1),
        True,
    ),
    (
        "finished late, judged after it finished",
        None,
        DUE + timedelta(hours=1),
        DUE + timedelta(hours=1) + US,
        False,
    ),
    ("judged before receipt", None, None, vn(2026, 3, 2, 9), False),
]


@pytest.mark.parametrize(
    ("case", "paused", "finished", "at", "expected"),
    OVERDUE_TABLE,
    ids=[r[0] for r in OVERDUE_TABLE],
)
def test_overdue_at_the_boundaries(
    world: World,
    case: str,
    paused: datetime | None,
    finished: datetime | None,
    at: datetime,
    expected: bool,
) -> None:
    d = _row(world, paused_at=paused, finished_at=finished)
    assert timeliness.is_overdue(d, at) is expected
    rows = Dossier.objects.filter(timeliness.overdue_at(at))
    assert rows.filter(pk=d.pk).exists() is expected
    # Within time is the rest of "in progress", paused dossiers included.
    in_progress = timeliness.in_progress(d, at)
    within = Dossier.objects.filter(timeliness.within_time_at(at), pk=d.pk).exists()
    assert within is (in_progress and not expected)
    # The report's counters start counting it on the day this instant falls on.
    start = timeliness.overdue_from(d.received_at, d.due_at, d.paused_at)
    assert (start is not None and start < at and in_progress) is expected


# (case, due, judged at, due soon?) with DUE_SOON_HOURS = 8: from Thursday 5 March, 09:00, the
# window ends 8 working hours later, on Friday 6 March at 09:00.
DUE_SOON_TABLE = [
    ("due at the end of the day", vn(2026, 3, 5, 17), vn(2026, 3, 5, 9), True),
    ("due a microsecond before the window closes", vn(2026, 3, 6, 9) - US, vn(2026, 3, 5, 9), True),
    ("due as the window closes", vn(2026, 3, 6, 9), vn(2026, 3, 5, 9), False),
    ("due exactly now", vn(2026, 3, 5, 9), vn(2026, 3, 5, 9), True),
    ("due a microsecond ago: overdue instead", vn(2026, 3, 5, 9) - US, vn(2026, 3, 5, 9), False),
    # Friday 15:00 + 8 working hours = Monday 15:00: the weekend does not count.
    ("due on Monday, judged on Friday afternoon", vn(2026, 3, 9, 14), vn(2026, 3, 6, 15), True),
    (
        "due after the window, judged on Friday afternoon",
        vn(2026, 3, 9, 15),
        vn(2026, 3, 6, 15),
        False,
    ),
]


@pytest.mark.parametrize(
    ("case", "due", "at", "expected"), DUE_SOON_TABLE, ids=[r[0] for r in DUE_SOON_TABLE]
)
def test_due_soon_at_the_boundaries(
    world: World, settings: Any, case: str, due: datetime, at: datetime, expected: bool
) -> None:
    settings.DUE_SOON_HOURS = 8
    d = _row(world, due_at=due)
    assert Dossier.objects.due_soon(at).filter(pk=d.pk).exists() is expected


def test_a_paused_dossier_is_never_due_soon(world: World) -> None:
    d = _row(world, paused_at=vn(2026, 3, 5, 8))
    assert not Dossier.objects.due_soon(vn(2026, 3, 5, 9)).filter(pk=d.pk).exists()
    assert timeliness.is_paused(d, vn(2026, 3, 5, 9))
    assert timeliness.remaining(d, vn(2026, 3, 5, 9)) is None


# (case, ended at, re-appointed, verdict)
VERDICT_TABLE = [
    ("the day before the due day, at closing", vn(2026, 3, 4, 17), False, Punctuality.EARLY),
    ("the last instant of the day before", vn(2026, 3, 5) - US, False, Punctuality.EARLY),
    ("the first instant of the due day", vn(2026, 3, 5), False, Punctuality.ON_TIME),
    ("at the due instant", DUE, False, Punctuality.ON_TIME),
    ("a microsecond after the due instant", DUE + US, False, Punctuality.LATE),
    ("early, but re-appointed", vn(2026, 3, 3, 9), True, Punctuality.LATE),
]


@pytest.mark.parametrize(
    ("case", "ended", "reappointed", "expected"), VERDICT_TABLE, ids=[r[0] for r in VERDICT_TABLE]
)
def test_verdict_at_the_boundaries(
    world: World, case: str, ended: datetime, reappointed: bool, expected: Punctuality
) -> None:
    d = _row(world, reappointed=reappointed)
    assert timeliness.dossier_verdict(d, ended) == expected


def test_a_dossier_ending_while_paused_is_judged_at_the_request(world: World) -> None:
    in_time = _row(world, paused_at=DUE - timedelta(hours=1))
    assert timeliness.dossier_verdict(in_time, vn(2026, 3, 20)) == Punctuality.ON_TIME
    too_late = _row(world, paused_at=DUE + timedelta(hours=1))
    assert timeliness.dossier_verdict(too_late, vn(2026, 3, 20)) == Punctuality.LATE


# --- one calendar: the receiving unit's ------------------------------------------------------


def _hours_left(page: str) -> list[float]:
    # "12,5 giờ làm việc còn lại" / "12.5 working hours left": the badges of the page, the
    # dossier's first, then the open steps'.
    found = re.findall(r'<span class="badge (?:ok|bad)">(-?[\d.,]+) ', page)
    return [float(v.replace(",", ".")) for v in found]


def test_the_dossier_page_counts_time_left_in_the_calendar_of_its_steps(world: World) -> None:
    w = world
    # Ward B, competent for this dossier, keeps shorter afternoons than ward A, which received it.
    w.ward_b.office_hours = "07:00-11:30,13:30-15:00"
    w.ward_b.save()
    d = file_at_desk(w, vn(2026, 3, 2, 9), competent=w.ward_b)
    d = actions.forward(d, actor=w.desk_a, at=vn(2026, 3, 2, 10))
    assert d.competent_unit == w.ward_b and d.current_step is not None
    receiving, competent = calendar_for(w.ward_a), calendar_for(w.ward_b)
    # The step's due instant was set in the receiving unit's calendar (actions._calendar).
    step = d.current_step
    assert step.due_at == receiving.add(
        vn(2026, 3, 2, 10), timedelta(hours=float(step.allotted_hours))
    )
    assert timeliness.counted_in(d) == w.ward_a

    now = vn(2026, 3, 3, 16)  # after ward B's closing time: the calendars differ today
    with time_machine.travel(now, tick=False):
        page = signed_in("desk_a").get(f"/desk/dossiers/{d.code}/").content.decode()
    assert d.due_at is not None
    expected = receiving.between(now, d.due_at).total_seconds() / 3600
    elsewhere = competent.between(now, d.due_at).total_seconds() / 3600
    assert round(expected, 1) != round(elsewhere, 1)  # the case tells the calendars apart
    step_left = receiving.between(now, step.due_at).total_seconds() / 3600
    assert _hours_left(page) == [round(expected, 1), round(step_left, 1)]


def test_the_due_soon_window_is_counted_in_each_dossiers_calendar(
    world: World, settings: Any
) -> None:
    settings.DUE_SOON_HOURS = 8
    world.ward_b.office_hours = "07:00-11:30,13:30-15:00"
    world.ward_b.save()
    at = vn(2026, 3, 5, 14)  # Thursday
    # Eight working hours from Thursday 14:00 end on Friday at 14:00 in ward A's hours, on
    # Monday at 08:00 in ward B's: a dossier due on Friday at 16:00 is due soon only in B.
    in_a = _row(world, due_at=vn(2026, 3, 6, 16))
    b = world.ward_b
    in_b = _row(world, due_at=vn(2026, 3, 6, 16), receiving_unit=b, competent_unit=b)
    assert set(Dossier.objects.due_soon(at)) == {in_b}
    assert timeliness.due_soon_until(at, world.ward_b) == vn(2026, 3, 9, 8)
    assert timeliness.due_soon_until(at, world.ward_a) == vn(2026, 3, 6, 14)
    assert in_a not in Dossier.objects.due_soon(at)


def test_the_step_verdicts_the_actions_stored_are_the_modules(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9))
    first = d.current_step
    assert first is not None and first.due_at == vn(2026, 3, 2, 15)
    late_at = vn(2026, 3, 2, 15, 1)
    d = actions.forward(d, actor=world.desk_a, at=late_at)
    first.refresh_from_db()
    assert first.punctuality == Punctuality.LATE == timeliness.step_verdict(d, first, late_at)
    assert timeliness.step_verdict(d, first, first.due_at) == Punctuality.ON_TIME


def test_the_migration_recounts_the_units_holding_dossiers_paused_past_due(world: World) -> None:
    w = world
    d = actions.forward(file_at_desk(w, vn(2026, 3, 2, 9)), actor=w.desk_a, at=vn(2026, 3, 2, 10))
    actions.request_supplement(
        d, actor=w.specialist_a, at=vn(2026, 3, 6, 9), reason="Thiếu", missing_documents=["X"]
    )
    kept = figures.stored()
    FigureCount.objects.all().delete()  # as if counted under the old rule
    migration = importlib.import_module("stats.migrations.0004_overdue_from_the_due_instant")
    migration.rebuild_changed_counters(apps, None)
    assert figures.stored() == kept
