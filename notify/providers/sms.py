"""SMS through an HTTP JSON brandname gateway (docs/PROTOCOLS: SendMultipleMessage_V4 shape).

`CodeResult` "100" means accepted: the message stays `sending` until the delivery report comes
to our callback. The message's reference is the `RequestId`: the gateway drops a repeat.
"""

from typing import Any

from django.conf import settings

from notify.providers import Outcome
from notify.providers.http import post_json
from notify.render import Text

# Codes worth trying again later (busy, throttled); any other refusal is permanent.
RETRYABLE = frozenset({"99", "104", "429"})


def callback_url() -> str:
    """Where the gateway reports delivery, the shared secret in the path (ADR 17)."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/notify/sms/report/{settings.SMS_CALLBACK_SECRET}/"


def send(message: Any, text: Text, _dossier: Any) -> Outcome:
    body = {
        "ApiKey": settings.SMS_API_KEY,
        "SecretKey": settings.SMS_SECRET_KEY,
        "Phone": message.recipient,
        "Content": text.body,
        "Brandname": settings.SMS_BRANDNAME,
        "SmsType": "2",
        "IsUnicode": "1" if text.sms and text.sms.unicode else "0",
        "Sandbox": "1" if settings.SMS_SANDBOX else "0",
        "RequestId": str(message.reference),
        "CallbackUrl": callback_url(),
    }
    reply = post_json(settings.SMS_GATEWAY_URL, body)
    if isinstance(reply, Outcome):
        return reply
    _, data = reply
    code = str(data.get("CodeResult", ""))
    if code == "100":
        return Outcome("sending", provider_id=str(data.get("SMSID", "")))
    detail = f"CodeResult {code}: {data.get('ErrorMessage', '')}"[:200]
    return Outcome("temporary-failure" if code in RETRYABLE else "permanent-failure", detail=detail)
