"""One JSON POST with a timeout, its failures turned into outcomes.

Connections are kept alive and reused per thread and per (scheme, host): a batch of messages
to one gateway costs one TCP (and TLS) handshake, not one each. A kept connection the server
closed meanwhile is reopened once and the POST sent again: the message's idempotency reference
makes that repeat harmless (ADR 17).
"""

import http.client
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from notify.providers import Outcome

# What a kept-alive connection closed by the server looks like on the next request.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

_kept = threading.local()


def _connections() -> dict[tuple[str, str], http.client.HTTPConnection]:
    found: dict[tuple[str, str], http.client.HTTPConnection] | None = getattr(
        _kept, "connections", None
    )
    if found is None:
        found = _kept.connections = {}
    return found


def _connection(scheme: str, netloc: str) -> tuple[http.client.HTTPConnection, bool]:
    """The thread's kept connection to (scheme, netloc), and whether it was used before."""
    connections = _connections()
    timeout = settings.NOTIFY_HTTP_TIMEOUT
    kept = connections.get((scheme, netloc))
    if kept is not None:
        kept.timeout = timeout
        if kept.sock is not None:
            kept.sock.settimeout(timeout)
        return kept, kept.sock is not None
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    fresh = kind(netloc, timeout=timeout)
    connections[(scheme, netloc)] = fresh
    return fresh, False


def _forget(scheme: str, netloc: str) -> None:
    kept = _connections().pop((scheme, netloc), None)
    if kept is not None:
        kept.close()


def close_all() -> None:
    """Close this thread's kept connections."""
    for scheme, netloc in list(_connections()):
        _forget(scheme, netloc)


def post_json(
    url: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]] | Outcome:
    """POST `body`; (status, JSON reply), or a temporary failure when the party is unreachable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return Outcome("permanent-failure", detail=f"not an http(s) URL: {url}"[:200])
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    data = json.dumps(body).encode()
    sent_headers = {"Content-Type": "application/json", **(headers or {})}
    for last_try in (False, True):
        connection, reused = _connection(parts.scheme, parts.netloc)
        try:
            connection.request("POST", target, body=data, headers=sent_headers)
            response = connection.getresponse()
            raw = response.read()
        except STALE as exc:
            _forget(parts.scheme, parts.netloc)
            if reused and not last_try:
                continue  # the server closed the kept connection: once more on a new one
            return Outcome("temporary-failure", detail=f"{exc.__class__.__name__}: {exc}"[:200])
        except (OSError, http.client.HTTPException) as exc:
            _forget(parts.scheme, parts.netloc)
            return Outcome("temporary-failure", detail=f"{exc.__class__.__name__}: {exc}"[:200])
        if response.will_close:
            _forget(parts.scheme, parts.netloc)
        break
    status = response.status
    if status >= 500 or status == 429:
        return Outcome("temporary-failure", detail=f"HTTP {status}")
    if status >= 300:
        return Outcome("permanent-failure", detail=f"HTTP {status}")
    try:
        return status, json.loads(raw or b"{}")
    except ValueError as exc:
        return Outcome("temporary-failure", detail=f"{exc.__class__.__name__}: {exc}"[:200])
