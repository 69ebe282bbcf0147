"""The SMS gateway's delivery reports: POST JSON to /notify/sms/report/<secret>/ (ADR 17).

The shared secret is in the path (gateways call back a URL we give them; few can add headers);
compared in constant time. Body: {"SMSID", "RequestId", "Status": "DELIVERED" | "FAILED" | ...,
"ErrorMessage"}. Answered 200 {"ok": true|false} so the gateway stops retrying a report we
cannot place, 403 for a wrong secret, 400 for a body that is not such JSON.
"""

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dossiers.choices import MessageStatus
from notify.delivery import report


@csrf_exempt
@require_POST
def sms_report(request: HttpRequest, secret: str) -> JsonResponse:
    if not hmac.compare_digest(secret.encode(), settings.SMS_CALLBACK_SECRET.encode()):
        return JsonResponse({"ok": False, "error": "forbidden"}, status=403)
    try:
        body = json.loads(request.body)
        sms_id = str(body["SMSID"])
        state = str(body.get("Status", "")).upper()
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"ok": False, "error": "bad report"}, status=400)
    status = MessageStatus.DELIVERED if state == "DELIVERED" else MessageStatus.PERMANENT_FAILURE
    detail = "" if state == "DELIVERED" else f"{state}: {body.get('ErrorMessage', '')}"
    placed = report(sms_id, status, timezone.now(), detail=detail)
    return JsonResponse({"ok": placed})
