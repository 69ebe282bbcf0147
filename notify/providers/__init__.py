"""The channels' providers: each sends one rendered message and says how it went.

A provider never raises for a refusal: it returns an `Outcome`. It may raise on a bug. The
message's `reference` (uuid) travels as the idempotency key so a retried send is dropped by the
gateway (SMS RequestId, ZNS tracking_id, email Message-ID).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from notify.render import Text


@dataclass(frozen=True)
class Outcome:
    """What a send came to: `accepted` (report to come), `delivered`, or a failure kind."""

    status: str  # sending | delivered | temporary-failure | permanent-failure | technical-failure
    provider_id: str = ""
    detail: str = ""


Provider = Callable[[Any, Text, Any], Outcome]
