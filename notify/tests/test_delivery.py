"""Delivery through the local peers: statuses, history, retries, claims and the sweep."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from jobs.testing import run_queued_tasks
from notify import delivery
from notify.models import Attempt, OptOut, Switch
from testing.clock import vn
from testing.dossiers import intake
from testing.notify import LivePeer
from testing.world import World

AT = vn(2026, 3, 2, 9)


def _sms(w: World) -> OutboxMessage:
    d = intake(w, AT)
    return OutboxMessage.objects.get(dossier=d, channel="sms")


def test_sms_is_sent_once_then_delivered_by_the_report(
    world: World, sms_gateway: LivePeer, client: Any, settings: Any
) -> None:
    message = _sms(world)
    before = len(sms_gateway.received()["messages"])
    assert delivery.deliver(message.pk, AT) == MessageStatus.SENDING
    message.refresh_from_db()
    assert message.sent_at == AT and message.provider_id and message.attempts == 1
    got = sms_gateway.received()["messages"][before:]
    assert len(got) == 1 and got[0]["request_id"] == str(message.reference)
    assert "Phường An Bình" in got[0]["text"] and got[0]["unicode"] == "1"
    # The report comes back to the callback with the shared secret in its path.
    report = got[0]["report"]
    wrong = client.post("/notify/sms/report/nope/", report, content_type="application/json")
    assert wrong.status_code == 403
    url = f"/notify/sms/report/{settings.SMS_CALLBACK_SECRET}/"
    assert client.post(url, report, content_type="application/json").json() == {"ok": True}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at is not None
    statuses = list(Attempt.objects.filter(message=message).values_list("status", flat=True))
    assert statuses == [MessageStatus.SENDING, MessageStatus.DELIVERED]
    # A second report changes nothing.
    assert client.post(url, report, content_type="application/json").json() == {"ok": False}


def test_a_failed_report_is_a_permanent_failure(
    world: World, sms_gateway: LivePeer, client: Any, settings: Any
) -> None:
    message = _sms(world)
    sms_gateway.spoil_next("report_failed")
    delivery.deliver(message.pk, AT)
    report = sms_gateway.received()["messages"][-1]["report"]
    url = f"/notify/sms/report/{settings.SMS_CALLBACK_SECRET}/"
    client.post(url, report, content_type="application/json")
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE


def test_temporary_failures_back_off_then_become_technical(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    settings.NOTIFY_RETRY_HOURS = 1
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    message = _sms(world)
    now = AT
    waits = []
    while True:
        sms_gateway.spoil_next("busy")
        status = delivery.deliver(message.pk, now)
        message.refresh_from_db()
        if status != MessageStatus.TEMPORARY_FAILURE:
            break
        assert message.next_attempt_at is not None
        # Not before its time: a claim now finds nothing to take.
        assert delivery.deliver(message.pk, now) is None
        waits.append((message.next_attempt_at - now).total_seconds())
        now = message.next_attempt_at
    assert waits == [60, 120, 240, 480, 960]  # 1860 s; the next 1920 s would pass the hour
    assert status == MessageStatus.TECHNICAL_FAILURE
    assert message.attempts == 6
    assert Attempt.objects.filter(message=message).count() == 6


def test_a_gateway_that_is_down_is_retried_and_then_delivers(
    world: World, sms_gateway: LivePeer
) -> None:
    message = _sms(world)
    sms_gateway.spoil_next("down")
    assert delivery.deliver(message.pk, AT) == MessageStatus.TEMPORARY_FAILURE
    message.refresh_from_db()
    assert delivery.deliver(message.pk, message.next_attempt_at) == MessageStatus.SENDING


def test_a_refusal_is_permanent(world: World, sms_gateway: LivePeer) -> None:
    message = _sms(world)
    sms_gateway.spoil_next("reject")
    assert delivery.deliver(message.pk, AT) == MessageStatus.PERMANENT_FAILURE


def test_a_worker_killed_mid_send_is_replaced_and_the_gateway_drops_the_repeat(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    message = _sms(world)
    assert delivery.claim(message.pk, AT)
    attempt = 1
    # The worker sends, then dies before writing down the outcome.
    from notify.providers import sms  # noqa: PLC0415 - the provider as the dead worker ran it
    from notify.render import render, values_for  # noqa: PLC0415

    msg = OutboxMessage.objects.get(pk=message.pk)
    text = render("", "Hồ sơ {code}", values_for(msg), channel="sms")
    first = sms.send(msg, text, None)
    assert first.status == "sending"
    # Within the lease nobody takes it; after it, the sweep queues it and a worker sends again.
    assert not delivery.claim(message.pk, AT + timedelta(seconds=30))
    later = AT + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    before = sms_gateway.received()["duplicates"]
    with time_machine.travel(later, tick=False):
        assert delivery.sweep(timezone.now()) >= 1
        run_queued_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING and message.attempts == 2
    assert message.provider_id == first.provider_id  # the gateway answered with the first SMSID
    assert sms_gateway.received()["duplicates"] == before + 1
    # The dead worker's late write cannot overwrite the new claimant's.
    assert delivery.record(msg, attempt, first, later) is None


def test_switches_and_opt_outs_mark_the_message(world: World, sms_gateway: LivePeer) -> None:
    Switch.objects.create(unit=None, event="", channel="sms", enabled=False)
    Switch.objects.create(unit=world.ward_a, event="receive", channel="sms", enabled=True)
    d = intake(world, AT)
    on = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert delivery.deliver(on.pk, AT) == MessageStatus.SENDING  # the unit's row wins
    row = Switch.objects.get(unit=world.ward_a)
    row.enabled = False
    row.save()
    d2 = intake(world, AT)
    off = OutboxMessage.objects.get(dossier=d2, channel="sms")
    assert delivery.deliver(off.pk, AT) == MessageStatus.PERMANENT_FAILURE
    off.refresh_from_db()
    assert off.error == delivery.SWITCHED_OFF

    for row in Switch.objects.all():
        row.delete()
    d3 = intake(world, AT)
    d3.applicant_user = world.citizen
    d3.save(update_fields=["applicant_user"])
    OptOut.objects.create(user=world.citizen, channel="sms", created_at=AT)
    out = OutboxMessage.objects.get(dossier=d3, channel="sms")
    assert delivery.deliver(out.pk, AT) == MessageStatus.PERMANENT_FAILURE
    out.refresh_from_db()
    assert out.error == delivery.OPTED_OUT


@pytest.mark.django_db(transaction=True)
def test_a_row_written_is_queued_after_commit_and_delivered_by_the_worker(
    world: World, sms_gateway: LivePeer
) -> None:
    with time_machine.travel(AT, tick=False):
        d = intake(world, AT)
        run_queued_tasks()
    message = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert message.status == MessageStatus.SENDING
    assert any(
        m["request_id"] == str(message.reference) for m in sms_gateway.received()["messages"]
    )


def test_history_rows_are_never_queued(world: World, sms_gateway: LivePeer) -> None:
    with delivery.history():
        d = intake(world, AT)
    message = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert message.status == MessageStatus.HISTORICAL
    assert delivery.deliver(message.pk, AT) is None
    assert delivery.sweep(AT + timedelta(days=1)) == 0


def test_the_sweep_queues_lost_messages_and_ends_those_out_of_time(
    world: World, sms_gateway: LivePeer, settings: Any
) -> None:
    message = _sms(world)  # its on-commit task never ran (the test's transaction)
    later = AT + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert delivery.sweep(timezone.now()) == 1
        run_queued_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    # Written, never sent, past its window: a technical failure, with its history row.
    late = _sms(world)
    after_window = AT + timedelta(hours=settings.NOTIFY_RETRY_HOURS, seconds=1)
    assert delivery.sweep(after_window) == 0
    late.refresh_from_db()
    assert late.status == MessageStatus.TECHNICAL_FAILURE and late.error == "out of time"
    assert Attempt.objects.filter(message=late, status=MessageStatus.TECHNICAL_FAILURE).exists()
