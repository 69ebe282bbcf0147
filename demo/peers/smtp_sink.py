"""A local SMTP server (aiosmtpd) that keeps what it receives, for the demo and the tests.

    python -m demo.peers.smtp_sink --port 2525 --http-port 8022

Messages are kept in memory (a repeated Message-ID is dropped) and listed at
http://<host>:<http-port>/ (HTML) and /_test/messages (JSON). Tests start it in-process with
`start()`; `inbox.next_modes` takes "refuse" (550 for the next recipient) or "busy" (451).
"""

import argparse
import email
import email.policy
import socket
import time
from typing import Any

from aiosmtpd.controller import Controller

from demo.peers.jsonpeer import Inbox, serve


class Sink:
    """The aiosmtpd handler: refuse on request, else keep the message by its Message-ID."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        mode = self.inbox.take_mode()
        if mode == "refuse":
            return "550 5.1.1 mailbox unavailable"
        if mode == "busy":
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "to": ", ".join(envelope.rcpt_tos),
            "subject": str(message["Subject"] or "").strip(),
            "text": body.get_content() if body is not None else "",
            "message_id": str(message["Message-ID"] or ""),
        }
        self.inbox.keep(record["message_id"] or str(len(self.inbox.messages)), record)
        return "250 Message accepted"


def start(host: str = "127.0.0.1", port: int = 0) -> tuple[Controller, Inbox]:
    """Start the SMTP server in a thread (ready when this returns); port 0 picks a free one."""
    inbox = Inbox("E-mail (local SMTP peer)")
    controller = Controller(Sink(inbox), hostname=host, port=port or _free_port(host))
    controller.start()
    return controller, inbox


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--http-port", type=int, default=8022, help="the page listing mail")
    args = parser.parse_args(argv)
    controller, inbox = start(args.host, args.port)
    print(f"SMTP on {args.host}:{controller.port}", flush=True)
    try:
        serve(args.host, args.http_port, inbox, {}, False)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
