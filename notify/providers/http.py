"""One JSON POST with a timeout, its failures turned into outcomes."""

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from notify.providers import Outcome


def post_json(
    url: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]] | Outcome:
    """POST `body`; (status, JSON reply), or a temporary failure when the party is unreachable."""
    request = urllib.request.Request(  # noqa: S310 - a configured https/http URL
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - a configured URL
            request, timeout=settings.NOTIFY_HTTP_TIMEOUT
        ) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            return Outcome("temporary-failure", detail=f"HTTP {exc.code}")
        return Outcome("permanent-failure", detail=f"HTTP {exc.code}")
    except (OSError, ValueError) as exc:
        return Outcome("temporary-failure", detail=f"{exc.__class__.__name__}: {exc}"[:200])
