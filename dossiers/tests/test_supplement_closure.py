"""Decree 118/2025 art. 19.5: a supplement request unanswered 15 calendar days after the notice
closes the dossier, by a scheduled task, one transaction and one chained event each."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions, figures
from dossiers.access import is_system_account
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, OutboxMessage, Punctuality, Status
from dossiers.routing import close_unanswered, close_unanswered_task, closing_before
from dossiers.workflow import Verb
from testing.clock import vn

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _file(w: World, at: datetime, channel: str = "1") -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a if channel == "1" else w.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel=channel,
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )


def _asked(w: World, d: Dossier, at: datetime) -> Dossier:
    return actions.request_supplement(
        d, actor=w.desk_a, at=at, reason="Thiếu tờ khai", missing_documents=["Tờ khai"]
    )


def test_unanswered_requests_close_on_the_sixteenth_day_and_answered_ones_stay(
    world: World,
) -> None:
    appraised = actions.forward(
        _file(world, vn(2026, 3, 2, 9, 0)), actor=world.desk_a, at=vn(2026, 3, 2, 10, 0)
    )
    appraised = _asked(world, appraised, vn(2026, 3, 3, 9, 0))  # Tuesday 3/3
    at_intake = _asked(world, _file(world, vn(2026, 3, 3, 8, 0), channel="2"), vn(2026, 3, 3, 16))
    answered = _asked(world, _file(world, vn(2026, 3, 2, 9, 30)), vn(2026, 3, 3, 9, 0))
    answered = actions.supplement(answered, actor=world.desk_a, at=vn(2026, 3, 10, 9, 0))

    # The 15 days after 3/3 run to the end of 18/3.
    assert close_unanswered(vn(2026, 3, 18, 23, 59)) == []
    closed = close_unanswered(vn(2026, 3, 19, 0, 0))
    assert sorted(closed) == sorted([appraised.code, at_intake.code])

    appraised.refresh_from_db()
    assert appraised.status == Status.STOPPED
    assert appraised.finished_at == vn(2026, 3, 19, 0, 0)
    # Judged at the request, when its clock stopped (due 5/3): early.
    assert appraised.punctuality == Punctuality.EARLY and appraised.paused_at is None
    event = appraised.events.get(verb=Verb.CLOSE_UNANSWERED)
    assert event.actor is not None and is_system_account(event.actor)
    assert "15 ngày" in event.reason and "Điều 19" in event.reason
    assert actions.verify_chain(appraised)
    assert OutboxMessage.objects.filter(
        dossier=appraised, kind="close_unanswered", channel="sms"
    ).exists()
    at_intake.refresh_from_db()
    assert at_intake.status == Status.STOPPED and at_intake.punctuality is None
    answered.refresh_from_db()
    assert answered.status == Status.IN_PROGRESS
    assert figures.verify_counters() == []
    # Run again: nothing more to close, nothing closed twice.
    assert close_unanswered(vn(2026, 3, 20, 9, 0)) == []


def test_the_days_are_a_setting_and_zero_never_closes(world: World, settings: Any) -> None:
    d = _asked(world, _file(world, vn(2026, 3, 2, 9, 0)), vn(2026, 3, 2, 10, 0))
    settings.SUPPLEMENT_CLOSE_DAYS = 0
    assert close_unanswered(vn(2026, 6, 1, 9, 0)) == []
    settings.SUPPLEMENT_CLOSE_DAYS = 5
    assert close_unanswered(vn(2026, 3, 7, 23, 0)) == []
    assert close_unanswered(vn(2026, 3, 8, 0, 0)) == [d.code]


def test_only_the_system_account_closes_and_nobody_can_sign_in_as_it(
    world: World, client: Any
) -> None:
    d = _asked(world, _file(world, vn(2026, 3, 2, 9, 0)), vn(2026, 3, 2, 10, 0))
    with pytest.raises(actions.NotAllowed):
        actions.perform(
            Verb.CLOSE_UNANSWERED, d, actor=world.desk_a, at=vn(2026, 3, 30), reason="x"
        )
    impostor = User.objects.create_user(username="he-thong", password="pw-he-thong")
    with pytest.raises(actions.NotAllowed):
        actions.perform(Verb.CLOSE_UNANSWERED, d, actor=impostor, at=vn(2026, 3, 30), reason="x")


def test_the_periodic_task_closes_at_the_present_instant(world: World, settings: Any) -> None:
    assert (
        settings.PERIODIC_TASKS["close-unanswered"][0] == "dossiers.routing.close_unanswered_task"
    )
    d = _asked(world, _file(world, vn(2026, 3, 2, 9, 0)), vn(2026, 3, 2, 10, 0))
    with time_machine.travel(vn(2026, 3, 17, 23, 0), tick=False):
        assert close_unanswered_task.call() == 0
    with time_machine.travel(vn(2026, 3, 18, 7, 0), tick=False):
        assert close_unanswered_task.call() == 1
    d.refresh_from_db()
    assert d.status == Status.STOPPED


instants = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - local wall time, zone added by hypothesis
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(VN),
)


@given(asked=instants, now=instants, days=st.integers(min_value=1, max_value=60))
def test_a_request_closes_exactly_when_more_than_the_days_separate_the_local_dates(
    asked: datetime, now: datetime, days: int
) -> None:
    gap = (now.date() - asked.date()).days
    assert (asked < closing_before(now, days)) == (gap > days)


def test_closing_before_is_local_midnight() -> None:
    assert closing_before(vn(2026, 3, 19, 0, 0), 15) == datetime(2026, 3, 4, tzinfo=VN)
    assert closing_before(vn(2026, 3, 18, 23, 59), 15).date() == date(2026, 3, 3)
    assert closing_before(vn(2026, 3, 19, 0, 0), 15) - closing_before(
        vn(2026, 3, 18, 0, 0), 15
    ) == timedelta(days=1)
