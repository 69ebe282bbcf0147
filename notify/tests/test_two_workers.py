"""Two workers at once, each with its own database connection: every message reaches the
gateway exactly once (the claim is one conditional UPDATE)."""

import threading
from typing import Any

import pytest
from django.db import connection

from dossiers.choices import MessageStatus
from dossiers.models import OutboxMessage
from notify import delivery
from testing.clock import vn
from testing.dossiers import intake
from testing.notify import LivePeer
from testing.world import World

AT = vn(2026, 3, 2, 9)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_message_once(world: World, sms_gateway: LivePeer) -> None:
    for _ in range(12):
        intake(world, AT)
    ids = list(
        OutboxMessage.objects.filter(channel="sms").order_by("pk").values_list("pk", flat=True)
    )
    before = sms_gateway.received()
    start = threading.Barrier(2)
    won: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            start.wait()
            for pk in ids if k == 0 else reversed(ids):
                if delivery.deliver(pk, AT) is not None:
                    won[k].append(pk)
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(won[0] + won[1]) == ids  # each message taken by exactly one worker
    after = sms_gateway.received()
    assert after["duplicates"] == before["duplicates"]
    references = {str(r) for r in OutboxMessage.objects.values_list("reference", flat=True)}
    new = after["messages"][len(before["messages"]) :]
    sent = [m for m in new if m["request_id"] in references]
    assert len(sent) == len(ids), (
        len(new),
        sorted(references)[:2],
        [m["request_id"] for m in new][:2],
    )
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (MessageStatus.SENDING, 1)
    }


def test_claims_are_exclusive(world: World, settings: Any) -> None:
    d = intake(world, AT)
    pk = OutboxMessage.objects.get(dossier=d, channel="sms").pk
    assert delivery.claim(pk, AT)
    assert not delivery.claim(pk, AT)
