"""The notification peers as live servers for tests: the SMS gateway and Zalo ZNS as processes
(demo/peers/), the SMTP server in-process (aiosmtpd), each ready before the test runs."""

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demo.peers.jsonpeer import Inbox
from demo.peers.smtp_sink import start as start_smtp
from notify.defaults import seed
from notify.models import Template

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LivePeer:
    """A peer process: its base URL, what it received, and a way to spoil its next send."""

    url: str

    def _call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - a peer on 127.0.0.1
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1
            return dict(json.loads(response.read()))

    def spoil_next(self, mode: str) -> None:
        self._call("/_test/next", {"mode": mode})

    def received(self) -> dict[str, Any]:
        """{"messages": [...], "duplicates": n} since the peer started."""
        return self._call("/_test/messages")


def _start(module: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", "--test-controls", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # printed once the socket listens
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"{module} did not start: {line!r}")
    return process, line.removeprefix("listening on ").strip()


@pytest.fixture(scope="session")
def sms_process() -> Iterator[LivePeer]:
    process, url = _start("demo.peers.sms_gateway")
    try:
        yield LivePeer(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def zns_process() -> Iterator[LivePeer]:
    process, url = _start("demo.peers.zalo_zns", "--access-token", "test-token")
    try:
        yield LivePeer(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def notify_templates(db: Any) -> None:
    """The seeded templates (a transactional test elsewhere may have flushed the migration's)."""
    seed(Template)


@pytest.fixture
def sms_gateway(sms_process: LivePeer, settings: Any, notify_templates: None) -> LivePeer:
    """Point the SMS settings at the live gateway peer for one test."""
    settings.SMS_GATEWAY_URL = sms_process.url + "/SendMultipleMessage_V4_post_json/"
    settings.SMS_API_KEY = "demo-key"
    settings.SMS_SECRET_KEY = "demo-secret"
    return sms_process


@pytest.fixture
def zns(zns_process: LivePeer, settings: Any, notify_templates: None) -> LivePeer:
    settings.ZNS_URL = zns_process.url + "/message/template"
    settings.ZNS_OAUTH_URL = zns_process.url + "/v4/oa/access_token"
    settings.ZNS_ACCESS_TOKEN = "test-token"
    settings.ZNS_REFRESH_TOKEN = "demo-refresh-token"
    return zns_process


@pytest.fixture
def smtp(settings: Any, notify_templates: None) -> Iterator[Inbox]:
    """A local SMTP server for one test (started and ready), with its inbox."""
    controller, inbox = start_smtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    try:
        yield inbox
    finally:
        controller.stop()
