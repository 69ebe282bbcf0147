"""Retries with exponential back-off: the waits, and the task queued again after them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from jobs.retry import Backoff, retry_later
from jobs.testing import run_queued_tasks
from jobs.tests.sample_tasks import flaky

T0 = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attempt", "wait"),
    [
        (1, timedelta(seconds=10)),
        (2, timedelta(seconds=20)),
        (3, timedelta(seconds=40)),
        (9, timedelta(seconds=2560)),
        (10, timedelta(hours=1)),  # 5,120 s capped at the hour
    ],
)
def test_the_wait_doubles_up_to_the_cap(attempt: int, wait: timedelta) -> None:
    assert Backoff(max_attempts=20).delay(attempt) == wait


def test_attempts_run_out() -> None:
    backoff = Backoff(max_attempts=3)
    assert backoff.next_run(2, T0) == T0 + timedelta(seconds=20)
    assert backoff.next_run(3, T0) is None


@pytest.mark.django_db
def test_a_retry_is_queued_after_its_back_off_and_not_run_before() -> None:
    backoff = Backoff(base=timedelta(seconds=30), max_attempts=3)
    with time_machine.travel(T0, tick=False) as traveller:
        assert retry_later(flaky, "sms", attempt=2, now=T0, backoff=backoff) == T0 + timedelta(
            minutes=1
        )
        queued = DBTaskResult.objects.get()
        assert queued.run_after == T0 + timedelta(minutes=1)
        assert queued.args_kwargs == {"args": ["sms"], "kwargs": {"attempt": 3}}
        traveller.shift(timedelta(seconds=59))
        run_queued_tasks()
        assert DBTaskResult.objects.get().status == "READY"
        traveller.shift(timedelta(seconds=1))
        run_queued_tasks()
        done = DBTaskResult.objects.get()
        assert (done.status, done.return_value) == ("SUCCESSFUL", "sms 3")
        # The third attempt was the last one: nothing more is queued.
        assert retry_later(flaky, "sms", attempt=3, now=T0, backoff=backoff) is None
        assert DBTaskResult.objects.count() == 1
