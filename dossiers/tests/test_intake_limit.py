"""The 8 working hours the desk has to receive an online filing (Decree 118 art. 17.2c)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from catalog.models import ProcedureVersion
from dossiers import actions, timeliness
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier
from testing.api import login
from testing.clock import vn
from testing.world import World


def _online(w: World, at: datetime) -> Dossier:
    return actions.file_dossier(
        actor=w.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )


# Office hours 07:00-11:30 and 13:30-17:00 (8 working hours a day), Monday-Friday.
@pytest.mark.parametrize(
    ("filed", "limit"),
    [
        # Filed Monday 9:00: 8 working hours end Tuesday 9:00.
        (vn(2026, 3, 2, 9, 0), vn(2026, 3, 3, 9, 0)),
        # Filed on Saturday night: counted from Monday 07:00, so Monday 17:00.
        (vn(2026, 3, 7, 22, 0), vn(2026, 3, 9, 17, 0)),
        # Filed Friday 16:00: one hour on Friday, seven on Monday.
        (vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 16, 0)),
        # Filed during the lunch break: counted from 13:30.
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 3, 11, 30)),
    ],
)
def test_the_intake_limit_is_eight_working_hours_in_the_units_calendar(
    world: World, filed: datetime, limit: datetime
) -> None:
    d = _online(world, filed)
    assert timeliness.intake_due(d) == limit
    assert timeliness.intake_remaining(d, limit - timedelta(minutes=1)) == timedelta(minutes=1)
    assert timeliness.intake_remaining(d, limit) == timedelta(0)
    late = timeliness.intake_remaining(d, limit + timedelta(days=1))
    assert late is not None and late < timedelta(0)


def test_the_limit_stops_mattering_once_received_and_desk_dossiers_have_none(
    world: World,
) -> None:
    d = _online(world, vn(2026, 3, 2, 9, 0))
    d = actions.accept(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    assert timeliness.intake_remaining(d, vn(2026, 3, 2, 11, 0)) is None
    desk = actions.file_dossier(
        actor=world.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="1",
        applicant=Applicant("person", "Nguyễn Văn B", "087095000124", phone="0912345679"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9, 0),
    )
    assert timeliness.intake_due(desk) is None


def test_the_to_receive_inbox_shows_time_left_then_overdue(world: World, client: Client) -> None:
    fresh = _online(world, vn(2026, 3, 2, 9, 0))  # limit Tuesday 9:00
    old = _online(world, vn(2026, 2, 27, 9, 0))  # Friday: limit Monday 9:00
    login(client, "desk_a")
    with time_machine.travel(vn(2026, 3, 2, 14, 30), tick=False):
        page = client.get("/desk/queue/to_receive/").content.decode()
    # 9:00-11:30 and 13:30-14:30 gone: 4.5 of 8 working hours left.
    rows = {
        code: next(r for r in page.split("<tr>") if code in r) for code in (fresh.code, old.code)
    }
    assert "còn 4,5 giờ làm việc để tiếp nhận" in rows[fresh.code]
    assert "quá hạn tiếp nhận" not in rows[fresh.code]
    assert "quá hạn tiếp nhận" in rows[old.code]


def test_a_filing_completed_after_a_supplement_request_gets_a_new_intake_limit(
    world: World, client: Client
) -> None:
    # The desk asked for a supplement within the limit; the applicant completes the filing on
    # Thursday 9:00: the desk has 8 working hours from then, not from Monday's first filing.
    d = _online(world, vn(2026, 3, 2, 9, 0))
    d = actions.request_supplement(
        d,
        actor=world.desk_a,
        at=vn(2026, 3, 2, 10, 0),
        reason="Thiếu bản sao",
        missing_documents=["Tờ khai"],
    )
    d = actions.supplement(d, actor=world.citizen, at=vn(2026, 3, 5, 9, 0))
    assert d.status == "submitted"
    assert timeliness.intake_due(d) == vn(2026, 3, 6, 9, 0)
    assert timeliness.intake_remaining(d, vn(2026, 3, 5, 14, 30)) == timedelta(hours=4.5)
    login(client, "desk_a")
    with time_machine.travel(vn(2026, 3, 5, 14, 30), tick=False):
        page = client.get("/desk/queue/to_receive/").content.decode()
    row = next(r for r in page.split("<tr>") if d.code in r)
    assert "còn 4,5 giờ làm việc để tiếp nhận" in row and "quá hạn tiếp nhận" not in row
