"""Call the WSGI application directly with a body stream of the test's own (to see how much of
it the server reads), inside the test's database transaction."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core import signals
from django.db import close_old_connections


@contextmanager
def keep_connection() -> Iterator[None]:
    """Keep the test's connection (and transaction) open across WSGI requests, as Django's
    test client does: the handler would otherwise close it when a request starts and ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class CountingInput(io.RawIOBase):
    """A request body of `size` bytes (`head`, then filler) that counts what is read of it."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head = head
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = min(len(b), self.size - self.read_bytes)
        if n <= 0:
            return 0
        start = self.read_bytes
        b[:n] = self.head[start : start + n].ljust(n, b"0")
        self.read_bytes += n
        return n


BOUNDARY = "----motcua"


def multipart_head(name: str = "lon.pdf") -> bytes:
    """The start of a multipart body whose `file` field begins a PDF (the rest is filler)."""
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()


def raw_post(
    path: str, body: CountingInput, length: int, headers: dict[str, str]
) -> tuple[int, bytes]:
    """POST `body` (declared `length` bytes long) to `path`; return the status and the body."""
    from config.wsgi import application  # noqa: PLC0415 - built once the test's settings are set

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": io.BufferedReader(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **headers,
    }
    seen: list[str] = []
    with keep_connection():
        out = application(environ, lambda status, _headers, *_: seen.append(status))  # type: ignore[arg-type]
        content = b"".join(out)
    return int(seen[0].split()[0]), content
