"""Notification delivery: messages per second through the task worker to the local SMS peer
(an outbox row each: the on-commit task, the claim, rendering, the POST, the outcome and its
history row) vs plain HTTP POSTs of the same JSON to the same peer from one process, same run,
rounds interleaved. Goal: the worker >= 0.5x the plain posts.

The database is a temporary SQLite file, or with BENCH_NOTIFY_PG=1 the PostgreSQL database
`motcua_bench_notify` (dropped and created through BENCH_PG_URL); the peer
(demo/peers/sms_gateway.py) runs on a free port. BENCH_NOTIFY_MESSAGES (default 300) messages a
round. Two figures: the messages written by one transaction (one wake-up task, batches of
NOTIFY_BATCH_SIZE), and one transaction per message (a wake-up task each, as one dossier action
each writes them; the first drains the queue, the others find little). The peer must have
received every message exactly once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from contextlib import nullcontext
from pathlib import Path

from bench import benchmark, best_rates, fresh_pg_database, report

MESSAGES = int(os.environ.get("BENCH_NOTIFY_MESSAGES", "300"))
ROUNDS = int(os.environ.get("BENCH_NOTIFY_ROUNDS", "3"))
GOAL = 0.5
ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_NOTIFY_PG", "") == "1"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _received(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url + "/_test/messages", timeout=10) as response:  # noqa: S310
        return dict(json.loads(response.read()))


@benchmark("notify")
def notify() -> None:
    """Messages/s delivered by the worker beside plain POSTs to the same SMS peer."""
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-notify-"))
    database = f"sqlite:///{work / 'db.sqlite3'}"
    if PG:
        found = fresh_pg_database(PG_URL, "motcua_bench_notify", "notify")
        if found is None:
            return
        database = found
    peer = subprocess.Popen(
        [sys.executable, "-m", "demo.peers.sms_gateway", "--port", "0", "--test-controls"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert peer.stdout is not None
    url = peer.stdout.readline().removeprefix("listening on ").strip()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database,
            "SMS_GATEWAY_URL": url + "/SendMultipleMessage_V4_post_json/",
            "TASKS_BACKEND": "db",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from dossiers.choices import MessageStatus
    from dossiers.models import OutboxMessage
    from jobs.testing import run_queued_tasks
    from notify.providers.http import post_json
    from notify.providers.sms import callback_url

    call_command("migrate", verbosity=0)

    def write_rows(one_transaction: bool = True) -> None:
        now = timezone.now()
        with transaction.atomic(durable=False) if one_transaction else nullcontext():
            for k in range(MESSAGES):
                with transaction.atomic():  # a wake-up task is queued when the outer commits
                    OutboxMessage.objects.create(
                        kind="signup_account_exists",
                        channel="sms",
                        recipient=f"09{k:08d}",
                        created_at=now,
                    )

    def through_worker() -> int:
        # Timed from a queue of MESSAGES tasks (written untimed by the round before) to its
        # drain: what the worker delivers a second, the writers' transactions not counted.
        now = timezone.now()
        run_queued_tasks()
        done = OutboxMessage.objects.filter(status=MessageStatus.SENDING, sent_at__gte=now)
        return int(done.count())

    def plain_posts() -> int:
        body = {
            "ApiKey": "demo-key",
            "SecretKey": "demo-secret",
            "Phone": "0900000000",
            "Content": "Số liên lạc này đã có tài khoản. Hãy đăng nhập hoặc đặt lại mật khẩu.",
            "Brandname": "MOTCUA",
            "SmsType": "2",
            "IsUnicode": "1",
            "Sandbox": "0",
            "CallbackUrl": callback_url(),
        }
        ok = 0
        for _ in range(MESSAGES):
            reply = post_json(
                os.environ["SMS_GATEWAY_URL"], {**body, "RequestId": str(uuid.uuid4())}
            )
            ok += isinstance(reply, tuple) and reply[1].get("CodeResult") == "100"
        return ok

    engine = "PostgreSQL" if PG else "SQLite"
    try:
        worker_rate = plain_rate = single_rate = 0.0
        for _ in range(ROUNDS):  # interleaved rounds; the rows are written outside the timing
            write_rows()
            worker, plain = best_rates(through_worker, plain_posts, repeat=1)
            write_rows(one_transaction=False)
            (single,) = best_rates(through_worker, repeat=1)
            worker_rate, plain_rate = max(worker_rate, worker), max(plain_rate, plain)
            single_rate = max(single_rate, single)
        got = _received(url)
        expected = 3 * MESSAGES * ROUNDS
        assert got["duplicates"] == 0, got["duplicates"]
        assert len(got["messages"]) == expected, (len(got["messages"]), expected)  # type: ignore[arg-type]
        assert OutboxMessage.objects.exclude(status=MessageStatus.SENDING).count() == 0
        report(
            "notify: SMS delivered through the worker",
            worker_rate,
            "msg/s",
            baseline=plain_rate,
            note=f"goal >= {GOAL}x plain POSTs; {MESSAGES} messages a round, {engine}",
        )
        report(
            "notify: the same, one transaction (one wake-up task) per message",
            single_rate,
            "msg/s",
            baseline=plain_rate,
            note=engine,
        )
    finally:
        peer.terminate()
        peer.wait(timeout=10)
