"""Periodic tasks: one run per period, however many clocks tick at once."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobs.models import PeriodicRun
from jobs.periodic import claim, period_start, tick

T0 = datetime(2026, 5, 4, 2, 0, 30, tzinfo=UTC)
PROBE = {"probe": ("jobs.tests.sample_tasks.tick_probe", 60)}


@pytest.mark.parametrize(
    ("now", "every", "start"),
    [
        (T0, timedelta(minutes=1), datetime(2026, 5, 4, 2, 0, tzinfo=UTC)),
        (T0, timedelta(hours=1), datetime(2026, 5, 4, 2, 0, tzinfo=UTC)),
        (T0, timedelta(days=1), datetime(2026, 5, 4, tzinfo=UTC)),
        (
            datetime(2026, 5, 4, 2, 0, 59, 999999, tzinfo=UTC),
            timedelta(minutes=1),
            T0.replace(second=0),
        ),
    ],
)
def test_the_period_holding_an_instant(now: datetime, every: timedelta, start: datetime) -> None:
    assert period_start(now, every) == start


@pytest.mark.django_db(transaction=True)  # the command closes old connections between ticks
def test_ticks_queue_a_task_once_per_period(settings: Any) -> None:
    settings.PERIODIC_TASKS = PROBE
    with time_machine.travel(T0, tick=False) as traveller:
        assert tick(T0, by="node-a") == ["probe"]
        assert tick(T0, by="node-b") == []
        traveller.shift(timedelta(seconds=29))  # 02:00:59, same minute
        call_command("run_periodic", "--once")
        assert DBTaskResult.objects.count() == 1
        traveller.shift(timedelta(seconds=1))  # 02:01:00, the next minute
        call_command("run_periodic", "--once")
    assert DBTaskResult.objects.count() == 2
    first = PeriodicRun.objects.order_by("period_start").first()
    assert first is not None and first.claimed_by == "node-a"


@pytest.mark.django_db(transaction=True)
def test_two_clocks_racing_for_one_period_claim_it_once() -> None:
    """Two threads, each with its own database connection, insert the same claim at once."""
    period = period_start(T0, timedelta(minutes=1))
    start = threading.Barrier(2)
    wins: list[bool] = []

    def clock(name: str) -> None:
        try:
            start.wait()
            wins.append(claim("probe", period, now=T0, by=name))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=clock, args=(f"node-{n}",)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False, True]
    assert PeriodicRun.objects.filter(name="probe", period_start=period).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clocks_racing_queue_the_task_once(settings: Any) -> None:
    settings.PERIODIC_TASKS = PROBE
    start = threading.Barrier(2)
    queued: list[list[str]] = []

    def clock(name: str) -> None:
        try:
            start.wait()
            queued.append(tick(T0, by=name))
        finally:
            connection.close()

    threads = [threading.Thread(target=clock, args=(f"node-{n}",)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(queued) == [[], ["probe"]]
    assert DBTaskResult.objects.count() == 1
