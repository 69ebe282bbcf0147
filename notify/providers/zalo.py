"""Zalo ZNS template messages: POST {ZNS_URL} with the access token; tracking_id = reference.

The access token comes from settings; when Zalo says it expired (error -124) and a refresh
token is configured, it is refreshed once through ZNS_OAUTH_URL and kept in the cache.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache

from notify.providers import Outcome
from notify.providers.http import post_json
from notify.render import Text

TOKEN_KEY = "notify:zns-access-token"  # noqa: S105 - a cache key, not a secret
EXPIRED = -124


def international(phone: str) -> str:
    """0912345678 -> 84912345678 (no +), as ZNS wants it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


def _token() -> str:
    return str(cache.get(TOKEN_KEY) or settings.ZNS_ACCESS_TOKEN)


def _refresh() -> str | None:
    if not settings.ZNS_REFRESH_TOKEN:
        return None
    reply = post_json(
        settings.ZNS_OAUTH_URL,
        {
            "app_id": settings.ZNS_APP_ID,
            "grant_type": "refresh_token",
            "refresh_token": settings.ZNS_REFRESH_TOKEN,
        },
        {"secret_key": settings.ZNS_SECRET_KEY},
    )
    if isinstance(reply, Outcome) or not reply[1].get("access_token"):
        return None
    token = str(reply[1]["access_token"])
    cache.set(TOKEN_KEY, token, int(reply[1].get("expires_in", 3600)))
    return token


def send(message: Any, text: Text, template: Any) -> Outcome:
    if template is None or not template.zns_template_id:
        return Outcome("permanent-failure", detail="no ZNS template id for this event")
    body = {
        "phone": international(message.recipient),
        "template_id": template.zns_template_id,
        "template_data": text.data,
        "tracking_id": str(message.reference),
    }
    token = _token()
    for _ in range(2):
        reply = post_json(settings.ZNS_URL, body, {"access_token": token})
        if isinstance(reply, Outcome):
            return reply
        data = reply[1]
        error = int(data.get("error", -1))
        if error == 0:
            return Outcome("delivered", provider_id=str(data.get("data", {}).get("msg_id", "")))
        if error == EXPIRED and (fresh := _refresh()) is not None:
            token = fresh
            continue
        break
    return Outcome(
        "permanent-failure", detail=f"ZNS error {error}: {data.get('message', '')}"[:200]
    )
