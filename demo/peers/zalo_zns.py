"""A local Zalo Notification Service (template messages) for the demo and the tests.

    python -m demo.peers.zalo_zns --port 8021 [--test-controls]

POST /message/template with header `access_token` and {phone, template_id, template_data,
tracking_id} answers {"error": 0, "data": {"msg_id", "sent_time"}}; a repeated tracking_id is
answered with the first msg_id. A wrong or expired token gets {"error": -124}. POST
/v4/oa/access_token {app_id, grant_type: "refresh_token", refresh_token} (header secret_key)
gives a new access token. Test modes: "expire" (the current token expires now), "busy" (error
-32, rate limit), "down" (HTTP 503).
"""

import argparse
import secrets
import time
from typing import Any

from demo.peers.jsonpeer import Inbox, Reply, serve


def make_routes(inbox: Inbox, token: list[str], refresh_token: str) -> dict[str, Any]:
    def send(headers: dict[str, str], body: dict[str, Any]) -> Reply:
        mode = inbox.take_mode()
        if mode == "down":
            return 503, {"error": "unavailable"}
        if mode == "expire":
            token[0] = "expired-" + secrets.token_hex(4)
        if headers.get("access_token") != token[0]:
            return 200, {"error": -124, "message": "Access token is invalid"}
        if mode == "busy":
            return 200, {"error": -32, "message": "Out of quota"}
        phone = str(body.get("phone", ""))
        if not phone.startswith("84"):
            return 200, {"error": -108, "message": "Phone number is invalid"}
        key = str(body.get("tracking_id") or secrets.token_hex(8))
        record = {
            "at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "to": phone,
            "text": f"{body.get('template_id')}: {body.get('template_data')}",
            "template_id": body.get("template_id"),
            "template_data": body.get("template_data"),
            "tracking_id": key,
            "msg_id": secrets.token_hex(10),
        }
        kept, _ = inbox.keep(key, record)
        return 200, {
            "error": 0,
            "data": {"msg_id": kept["msg_id"], "sent_time": str(int(time.time()))},
        }

    def refresh(headers: dict[str, str], body: dict[str, Any]) -> Reply:
        if body.get("refresh_token") != refresh_token:
            return 200, {"error": -14014, "message": "Invalid refresh token"}
        token[0] = "tok-" + secrets.token_hex(8)
        return 200, {
            "access_token": token[0],
            "refresh_token": refresh_token,
            "expires_in": "90000",
        }

    return {"/message/template": send, "/v4/oa/access_token": refresh}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8021, help="0 picks a free port")
    parser.add_argument("--access-token", default="demo-access-token")
    parser.add_argument("--refresh-token", default="demo-refresh-token")
    parser.add_argument("--test-controls", action="store_true", help="enable POST /_test/next")
    args = parser.parse_args(argv)
    inbox = Inbox("Zalo ZNS (local peer)")
    routes = make_routes(inbox, [args.access_token], args.refresh_token)
    serve(args.host, args.port, inbox, routes, args.test_controls)


if __name__ == "__main__":
    main()
