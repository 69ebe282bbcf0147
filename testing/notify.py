"""The notification peers as live servers for tests: the SMS gateway and Zalo ZNS as processes
(demo/peers/), the SMTP server in-process (aiosmtpd), each ready before the test runs."""

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from demo.peers.jsonpeer import Inbox
from demo.peers.smtp_sink import start as start_smtp
from notify.defaults import seed
from notify.models import Template
from testing.peers import running_peer


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


@pytest.fixture(scope="session")
def sms_process() -> Iterator[LivePeer]:
    with running_peer("demo.peers.sms_gateway", "--test-controls") as url:
        yield LivePeer(url)


@pytest.fixture(scope="session")
def zns_process() -> Iterator[LivePeer]:
    args = ("--test-controls", "--access-token", "test-token")
    with running_peer("demo.peers.zalo_zns", *args) as url:
        yield LivePeer(url)


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
