"""Notification delivery: messages per second through the task worker to the local SMS peer
(an outbox row each: the on-commit task, the claim, rendering, the POST, the outcome and its
history row) vs plain HTTP POSTs of the same JSON to the same peer from one process, same run,
rounds interleaved. Goal: the worker >= 0.5x the plain posts.

The database is a temporary SQLite file; the peer (demo/peers/sms_gateway.py) runs on a free
port. BENCH_NOTIFY_MESSAGES (default 300) messages a round. Each round checks that the peer
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
from pathlib import Path

from bench import benchmark, best_rates, report

MESSAGES = int(os.environ.get("BENCH_NOTIFY_MESSAGES", "300"))
ROUNDS = int(os.environ.get("BENCH_NOTIFY_ROUNDS", "3"))
GOAL = 0.5
ROOT = Path(__file__).resolve().parents[1]


def _received(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url + "/_test/messages", timeout=10) as response:  # noqa: S310
        return dict(json.loads(response.read()))


@benchmark("notify")
def notify() -> None:
    """Messages/s delivered by the worker beside plain POSTs to the same SMS peer."""
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-notify-"))
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
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
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

    def write_rows() -> None:
        now = timezone.now()
        with transaction.atomic():  # each row queues its task when this commits
            for k in range(MESSAGES):
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

    try:
        worker_rate = plain_rate = 0.0
        for _ in range(ROUNDS):  # interleaved rounds; the rows are written outside the timing
            write_rows()
            worker, plain = best_rates(through_worker, plain_posts, repeat=1)
            worker_rate, plain_rate = max(worker_rate, worker), max(plain_rate, plain)
        got = _received(url)
        expected = 2 * MESSAGES * ROUNDS
        assert got["duplicates"] == 0, got["duplicates"]
        assert len(got["messages"]) == expected, (len(got["messages"]), expected)  # type: ignore[arg-type]
        assert OutboxMessage.objects.exclude(status=MessageStatus.SENDING).count() == 0
        report(
            "notify: SMS delivered through the worker",
            worker_rate,
            "msg/s",
            baseline=plain_rate,
            note=f"goal >= {GOAL}x plain POSTs; {MESSAGES} messages a round, SQLite",
        )
    finally:
        peer.terminate()
        peer.wait(timeout=10)
