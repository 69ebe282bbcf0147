"""Early warnings, escalation and the leaders' digest, on a frozen clock (time-machine)."""

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from conftest import World
from dossiers import actions, timeliness
from dossiers.models import OutboxMessage, StepWarning, WarningKind
from dossiers.warnings import scan, send_digests
from jobs.periodic import tick
from notify.defaults import TEXTS
from notify.render import fill, values_for
from orgs.models import Role, StaffRole
from testing.clock import vn
from testing.warnings import province_leader, step_due

FRIDAY_16 = vn(2026, 3, 6, 16)  # Friday; + 8 working hours = Monday 9 March 16:00
FILED = vn(2026, 3, 5, 9)


def inbox(kind: str) -> set[tuple[str, str]]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("channel", "recipient"))


@pytest.fixture(autouse=True)
def _eight_hours(settings: Any) -> None:
    settings.WARN_DUE_WITHIN_HOURS = 8
    settings.DUE_SOON_HOURS = 8
    settings.DIGEST_HOUR = 7


def test_a_step_due_soon_warns_its_holders_and_the_leader_once(world: World) -> None:
    world.leader_a.email = "leader@example.vn"
    world.leader_a.save(update_fields=["email"])
    d, step = step_due(world, vn(2026, 3, 9, 15), FILED)
    with time_machine.travel(FRIDAY_16, tick=False):
        result = scan(FRIDAY_16)
    assert (result.due_soon, result.escalated) == (1, 0)
    w = StepWarning.objects.get()
    assert (w.step_id, w.kind, w.threshold_hours, w.leader_unit_id) == (
        step.pk,
        WarningKind.DUE_SOON,
        8,
        world.ward_a.pk,
    )
    assert inbox("step_due_soon") == {
        ("app", "desk_a"),
        ("app", "leader_a"),
        ("email", "leader@example.vn"),
    }
    message = OutboxMessage.objects.filter(kind="step_due_soon", recipient="desk_a").get()
    assert message.user == world.desk_a and message.dossier_id == d.pk
    assert message.payload["code"] == d.code and message.payload["threshold_hours"] == 8
    # The next scans, an hour and a day later, warn nobody again.
    assert scan(FRIDAY_16 + timedelta(hours=1)).messages == 0
    assert scan(vn(2026, 3, 9, 14)).due_soon == 0
    assert (
        StepWarning.objects.count() == 1
        and OutboxMessage.objects.filter(kind="step_due_soon").count() == 3
    )


BOUNDARIES = [
    ("due Monday 15:59, inside the 8 working hours", vn(2026, 3, 9, 15, 59), True),
    ("due Monday 16:00, as the window closes (the due-soon rule)", vn(2026, 3, 9, 16), False),
    ("due Monday 16:01, outside", vn(2026, 3, 9, 16, 1), False),
    ("due now", FRIDAY_16, True),
]


@pytest.mark.parametrize(("case", "due", "warned"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_working_time_boundaries_on_friday_afternoon(
    world: World, case: str, due: datetime, warned: bool
) -> None:
    # Friday 16:00 + 8 working hours (07:00-11:30, 13:30-17:00) is Monday 16:00: one hour on
    # Friday, 4.5 + 2.5 on Monday; the weekend does not count.
    assert timeliness.due_soon_until(FRIDAY_16, world.ward_a, timedelta(hours=8)) == vn(
        2026, 3, 9, 16
    )
    step_due(world, due, FILED)
    assert (scan(FRIDAY_16).due_soon == 1) is warned


def test_holidays_of_the_calendar_do_not_count(world: World) -> None:
    # Wednesday 29 April 2026, 16:00: 30 April and 1 May are holidays, then the weekend.
    at = vn(2026, 4, 29, 16)
    assert timeliness.due_soon_until(at, world.ward_a, timedelta(hours=8)) == vn(2026, 5, 4, 16)
    step_due(world, vn(2026, 5, 4, 15), vn(2026, 4, 28, 9))
    assert scan(at).due_soon == 1


def test_a_paused_dossier_is_never_warned_nor_escalated(world: World) -> None:
    d, _step = step_due(world, vn(2026, 3, 9, 15), FILED)
    actions.request_supplement(
        d, actor=world.desk_a, at=vn(2026, 3, 6, 9), reason="Thiếu", missing_documents=["X"]
    )
    assert scan(FRIDAY_16) == scan(vn(2026, 3, 20, 9))
    assert not StepWarning.objects.exists() and not inbox("step_due_soon")


def test_a_finished_step_is_not_warned(world: World) -> None:
    d, _step = step_due(world, vn(2026, 3, 9, 15), FILED)
    actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 6, 9))
    # The next step (the specialist's) is due later; the desk's step is closed.
    assert not StepWarning.objects.filter(step=_step).exists()
    scan(FRIDAY_16)
    assert not StepWarning.objects.filter(step=_step).exists()


def test_an_overdue_step_is_escalated_once_to_the_parent_units_leader(world: World) -> None:
    province_leader(world)
    d, _step = step_due(world, vn(2026, 3, 6, 10), FILED)
    result = scan(FRIDAY_16)
    assert (result.due_soon, result.escalated) == (0, 1)
    w = StepWarning.objects.get()
    assert w.kind == WarningKind.OVERDUE and w.leader_unit == world.province
    assert w.threshold_hours == 0
    assert inbox("step_overdue") == {("app", "leader_p"), ("email", "p@example.vn")}
    assert scan(FRIDAY_16 + timedelta(hours=2)).escalated == 0
    assert scan(vn(2026, 3, 12, 9)).escalated == 0
    assert OutboxMessage.objects.filter(kind="step_overdue").count() == 2
    assert OutboxMessage.objects.get(kind="step_overdue", channel="app").dossier_id == d.pk


def test_escalation_falls_back_to_the_units_own_leader(world: World) -> None:
    # Ward A's parent (the province) has no leader in the world: ward A's leader is told.
    step_due(world, vn(2026, 3, 6, 10), FILED)
    assert scan(FRIDAY_16).escalated == 1
    assert inbox("step_overdue") == {("app", "leader_a")}
    # A unit without a parent escalates to its own leader as well.
    world.ward_a.parent = None
    world.ward_a.save()
    _d, second = step_due(world, vn(2026, 3, 6, 11), FILED)
    scan(FRIDAY_16)
    assert StepWarning.objects.get(step=second).leader_unit == world.ward_a


def test_a_new_threshold_warns_again_once(world: World, settings: Any) -> None:
    step_due(world, vn(2026, 3, 9, 10), FILED)
    settings.WARN_DUE_WITHIN_HOURS = 16
    assert scan(vn(2026, 3, 5, 16)).due_soon == 1
    settings.WARN_DUE_WITHIN_HOURS = 8
    assert scan(FRIDAY_16).due_soon == 1
    assert scan(FRIDAY_16).due_soon == 0
    assert sorted(StepWarning.objects.values_list("threshold_hours", flat=True)) == [8, 16]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_warn_once(world: World) -> None:
    province_leader(world)
    step_due(world, vn(2026, 3, 9, 15), FILED)
    step_due(world, vn(2026, 3, 6, 10), FILED)
    start = threading.Barrier(2)
    results = []
    errors: list[BaseException] = []

    def clock() -> None:
        try:
            start.wait()
            results.append(scan(FRIDAY_16))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted((r.due_soon, r.escalated) for r in results) == [(0, 0), (1, 1)]
    assert StepWarning.objects.count() == 2
    assert OutboxMessage.objects.filter(kind__startswith="step_").count() == 4


def test_the_digest_goes_to_leaders_once_per_working_day(world: World) -> None:
    d, _step = step_due(world, vn(2026, 3, 9, 15), FILED)
    scan(FRIDAY_16)
    monday = vn(2026, 3, 9, 8)
    assert send_digests(vn(2026, 3, 9, 6, 59)) == 0  # before DIGEST_HOUR
    assert send_digests(monday) == 1
    assert send_digests(monday + timedelta(hours=3)) == 0
    digest = OutboxMessage.objects.get(kind="digest")
    assert (digest.channel, digest.recipient, digest.user) == ("app", "leader_a", world.leader_a)
    # The dossier (due Tuesday 17:00) is not due soon on Monday 08:00; its step was warned
    # on Friday 16:00, more than a day before.
    assert d.due_at == vn(2026, 3, 10, 17)
    assert digest.payload == {
        "unit": world.ward_a.name,
        "day": "2026-03-09",
        "due_soon": 0,
        "overdue": 0,
        "warned": 0,
        "count": 0,
        "due_soon_list": [],
        "overdue_list": [],
    }
    assert send_digests(vn(2026, 3, 14, 9)) == 0  # Saturday
    scan(vn(2026, 3, 10, 8))  # the step, due Monday 15:00, is escalated on Tuesday
    assert send_digests(vn(2026, 3, 10, 9)) == 1
    tuesday = OutboxMessage.objects.filter(kind="digest").latest("created_at")
    assert (tuesday.payload["due_soon"], tuesday.payload["warned"]) == (1, 1)
    count = tuesday.payload["due_soon"] + tuesday.payload["overdue"]
    assert tuesday.payload["count"] == count
    # The digest's wording (notify's seeded template) is filled from that payload.
    assert f"Có {count} hồ sơ cần chú ý" in fill(TEXTS["digest"][1], values_for(tuesday))
    [listed] = tuesday.payload["due_soon_list"]
    assert listed["code"] == d.code and datetime.fromisoformat(listed["due_at"]) == d.due_at
    assert OutboxMessage.objects.filter(kind="digest").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_periodic_tasks_are_registered_and_run(world: World) -> None:
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - db backend only

    with time_machine.travel(FRIDAY_16, tick=False):
        queued = tick(FRIDAY_16, by="node-a")
    assert {"warn-steps", "leader-digest"} <= set(queued)
    assert DBTaskResult.objects.filter(task_path="dossiers.warnings.scan_task").count() == 1
    assert StaffRole.objects.filter(role=Role.LEADER).exists()
