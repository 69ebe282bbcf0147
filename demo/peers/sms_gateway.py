"""A local SMS brandname gateway (HTTP JSON) for the demo and the tests.

    python -m demo.peers.sms_gateway --port 8020 [--callbacks] [--test-controls]

POST /SendMultipleMessage_V4_post_json/ with {ApiKey, SecretKey, Phone, Content, Brandname,
SmsType, IsUnicode, Sandbox, RequestId, CallbackUrl} answers {"CodeResult": "100", "SMSID"}. A
repeated RequestId is answered with the first SMSID and not "sent" again. With --callbacks the
delivery report {"SMSID", "RequestId", "Status": "DELIVERED"|"FAILED", "ErrorMessage"} is
POSTed to CallbackUrl after the answer; either way it is kept with the message ("report").
Test modes (POST /_test/next {"mode"}): "busy" (CodeResult 99), "reject" (CodeResult 101),
"down" (HTTP 503), "report_failed" (accepted, the report says FAILED).
"""

import argparse
import json
import threading
import time
import urllib.request
import uuid
from typing import Any

from demo.peers.jsonpeer import Inbox, Reply, serve


def _callback(url: str, report: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the URL the sender gave
        url, data=json.dumps(report).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310
    except OSError as exc:
        print(f"callback to {url} failed: {exc}", flush=True)


def make_routes(inbox: Inbox, api_key: str, secret: str, callbacks: bool) -> dict[str, Any]:
    def send(headers: dict[str, str], body: dict[str, Any]) -> Reply:
        mode = inbox.take_mode()
        if mode == "down":
            return 503, {"error": "unavailable"}
        if body.get("ApiKey") != api_key or body.get("SecretKey") != secret:
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if mode == "busy":
            return 200, {"CodeResult": "99", "ErrorMessage": "Busy, try again"}
        if mode == "reject":
            return 200, {"CodeResult": "101", "ErrorMessage": "Rejected"}
        key = str(body.get("RequestId") or uuid.uuid4())
        sms_id = uuid.uuid4().hex[:16]
        state = "FAILED" if mode == "report_failed" else "DELIVERED"
        report = {"SMSID": sms_id, "RequestId": key, "Status": state, "ErrorMessage": ""}
        record = {
            "at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "to": body.get("Phone", ""),
            "text": body.get("Content", ""),
            "unicode": body.get("IsUnicode", ""),
            "brandname": body.get("Brandname", ""),
            "request_id": key,
            "sms_id": sms_id,
            "callback_url": body.get("CallbackUrl", ""),
            "report": report,
        }
        kept, new = inbox.keep(key, record)
        if new and callbacks and record["callback_url"]:
            threading.Thread(target=_callback, args=(record["callback_url"], report)).start()
        return 200, {"CodeResult": "100", "SMSID": kept["sms_id"]}

    return {"/SendMultipleMessage_V4_post_json/": send}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8020, help="0 picks a free port")
    parser.add_argument("--api-key", default="demo-key")
    parser.add_argument("--secret-key", default="demo-secret")
    parser.add_argument("--callbacks", action="store_true", help="POST delivery reports")
    parser.add_argument("--test-controls", action="store_true", help="enable POST /_test/next")
    args = parser.parse_args(argv)
    inbox = Inbox("SMS gateway (local peer)")
    routes = make_routes(inbox, args.api_key, args.secret_key, args.callbacks)
    serve(args.host, args.port, inbox, routes, args.test_controls)


if __name__ == "__main__":
    main()
