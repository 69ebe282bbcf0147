"""What the message peers (SMS gateway, Zalo ZNS) share: a JSON HTTP server that keeps what it
received, drops a repeated idempotency key, and lists the messages at GET / (HTML) and
GET /_test/messages (JSON). Standard library only: these stand for other systems.

Test controls (with --test-controls): POST /_test/next {"mode": ...} spoils the next send.
"""

import html
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, Any]]


@dataclass
class Inbox:
    """Messages received, by idempotency key, in arrival order; the next spoiled send."""

    title: str
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    duplicates: int = 0
    next_modes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_mode(self) -> str:
        with self.lock:
            return self.next_modes.pop(0) if self.next_modes else ""

    def keep(self, key: str, record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The record kept under `key` and whether it is new (a repeat keeps the first)."""
        with self.lock:
            if key in self.messages:
                self.duplicates += 1
                return self.messages[key], False
            self.messages[key] = record
            return record, True

    def page(self) -> str:
        with self.lock:
            rows = list(self.messages.values())
        cells = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(str(row.get(k, '')))}</td>" for k in ("at", "to", "text"))
            + "</tr>"
            for row in reversed(rows)
        )
        return (
            f"<!doctype html><meta charset=utf-8><title>{html.escape(self.title)}</title>"
            f"<h1>{html.escape(self.title)}</h1><p>{len(rows)} messages, "
            f"{self.duplicates} repeats dropped</p><table border=1><tr><th>at</th><th>to</th>"
            f"<th>text</th></tr>{cells}</table>"
        )


Route = Callable[[dict[str, str], dict[str, Any]], Reply]


def make_handler(inbox: Inbox, routes: dict[str, Route], test_controls: bool) -> type:
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as the real gateways do (every reply has a Content-Length).
        protocol_version = "HTTP/1.1"
        # Headers and body are two writes: without this, Nagle holds the body back until the
        # client's delayed ACK of the headers (40 ms a reply on a kept connection).
        disable_nagle_algorithm = True

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

        def do_GET(self) -> None:
            if self.path == "/":
                self._send(200, inbox.page().encode(), "text/html; charset=utf-8")
            elif self.path == "/_test/messages":
                with inbox.lock:
                    data = {
                        "messages": list(inbox.messages.values()),
                        "duplicates": inbox.duplicates,
                    }
                self._json(200, data)
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._json(400, {"error": "bad json"})
                return
            if test_controls and self.path == "/_test/next":
                with inbox.lock:
                    inbox.next_modes.append(str(body.get("mode", "")))
                self._json(200, {"ok": True})
                return
            route = routes.get(self.path.split("?")[0])
            if route is None:
                self._json(404, {"error": "not found"})
                return
            status, data = route({k.lower(): v for k, v in self.headers.items()}, body)
            self._json(status, data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve(
    host: str, port: int, inbox: Inbox, routes: dict[str, Route], test_controls: bool
) -> None:
    """Serve until interrupted; print "listening on <url>" once ready."""
    server = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
    server.RequestHandlerClass = make_handler(inbox, routes, test_controls)
    print(f"listening on http://{host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
