"""Batch delivery: one claim UPDATE per batch, two batch workers at once, a killed batch, the
wake-up queued once per transaction."""

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from jobs.testing import run_queued_tasks
from notify import delivery
from notify.providers import sms
from notify.render import render, values_for
from testing.clock import vn
from testing.dossiers import intake
from testing.notify import LivePeer
from testing.world import World

AT = vn(2026, 3, 2, 9)


def _sms_ids(world: World, n: int) -> list[int]:
    for _ in range(n):
        intake(world, AT)
    OutboxMessage.objects.exclude(channel="sms").update(status=MessageStatus.DELIVERED)
    return list(
        OutboxMessage.objects.filter(channel="sms").order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_two_batch_workers_send_each_message_once(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    settings.NOTIFY_BATCH_SIZE = 4  # many small batches: the two workers collide often
    ids = _sms_ids(world, 20)
    before = sms_gateway.received()
    start = threading.Barrier(2)
    sent = [0, 0]
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            start.wait()
            with time_machine.travel(AT, tick=False):
                sent[k] = delivery.deliver_due_now()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sent[0] + sent[1] == len(ids)
    after = sms_gateway.received()
    assert after["duplicates"] == before["duplicates"]  # no message posted twice
    assert len(after["messages"]) - len(before["messages"]) == len(ids)
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (MessageStatus.SENDING, 1)
    }


def test_a_killed_batch_is_sent_again_after_its_lease_and_the_gateway_drops_the_repeats(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    ids = _sms_ids(world, 3)
    taken, found = delivery.claim_batch(AT, limit=10)
    assert found and [m.pk for m in taken] == ids
    # The worker posts two of them, then dies before writing anything down.
    for message in taken[:2]:
        text = render("", "Hồ sơ {code}", values_for(message), channel="sms")
        assert sms.send(message, text, None).status == "sending"
    # Within the lease the batch is nobody else's.
    assert delivery.deliver_batch(AT + timedelta(seconds=30)) is None
    later = AT + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    before = sms_gateway.received()["duplicates"]
    with time_machine.travel(later, tick=False):
        assert delivery.sweep(timezone.now()) == 3
        run_queued_tasks()
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (MessageStatus.SENDING, 2)
    }
    assert sms_gateway.received()["duplicates"] == before + 2  # the two posted before the kill
    # The dead batch's late write cannot overwrite its successor's.
    late = [(m, m.attempts, sms.Outcome("delivered")) for m in taken]
    assert delivery.record_batch(late, taken[0].lease_until, later) == [None, None, None]
    assert delivery.record_many(late, later) == [None, None, None]
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (MessageStatus.SENDING, 2)
    }


def test_a_batch_out_of_time_gives_back_what_it_did_not_send(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    ids = _sms_ids(world, 2)
    settings.NOTIFY_LEASE_SECONDS = 0  # half the lease is already over at the first send
    assert delivery.deliver_batch(AT) == []
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "sent_at")) == {
        (MessageStatus.SENDING, None)
    }
    settings.NOTIFY_LEASE_SECONDS = 120
    # Given back: the next claim takes them at once, no lease to wait for.
    assert delivery.deliver_batch(AT) == [MessageStatus.SENDING, MessageStatus.SENDING]


@pytest.mark.django_db(transaction=True)
def test_one_wake_up_waits_for_many_transactions(world: World, sms_gateway: LivePeer) -> None:
    DBTaskResult.objects.all().delete()
    # A retry's wake-up, due later, does not count: it would not start now.
    delivery.deliver_due.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    with transaction.atomic():
        intake(world, AT)
        intake(world, AT)
    intake(world, AT)  # a transaction of its own, while the first wake-up still waits
    assert OutboxMessage.objects.filter(status=MessageStatus.CREATED).count() >= 3
    queued = DBTaskResult.objects.filter(task_path="notify.delivery.deliver_due")
    assert queued.count() == 2
    # Once it has started, a commit queues another (the running one may have read too early).
    queued.ready().update(status="RUNNING")
    intake(world, AT)
    assert queued.count() == 3
    queued.filter(status="RUNNING").delete()
    with time_machine.travel(AT, tick=False):
        run_queued_tasks()
    assert not OutboxMessage.objects.filter(status=MessageStatus.CREATED).exists()
