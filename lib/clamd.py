"""A small client of ClamAV's clamd over its socket (TCP or Unix): PING, VERSION, INSTREAM.

No Django. `Clamd(...).instream(chunks)` sends the bytes as clamd's INSTREAM protocol asks
(`zINSTREAM\\0`, then each chunk prefixed by its length as a 4-byte big-endian integer, then a
zero length) and returns a `Verdict`. `Clamd(...).stream()` does the same one chunk at a time,
so a caller can hash and sniff the bytes while clamd receives them. Every failure to reach or
understand clamd raises `ClamdUnavailable`: the caller must then refuse the file, never keep it
unscanned.
"""

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

# clamd reads INSTREAM chunks into a buffer; anything up to a few MB is fine.
CHUNK = 256 * 1024


class ClamdUnavailable(Exception):
    """clamd could not be reached, timed out, or answered something unexpected."""


@dataclass(frozen=True)
class Verdict:
    """clamd's answer for one stream: clean, or the name of the signature found."""

    clean: bool
    signature: str
    raw: str


def parse_reply(reply: str) -> Verdict:
    """Read clamd's INSTREAM reply ("stream: OK", "stream: <name> FOUND", "... ERROR")."""
    text = reply.strip().rstrip("\0").strip()
    _, _, result = text.partition(": ")
    if result == "OK":
        return Verdict(True, "", text)
    if result.endswith(" FOUND"):
        return Verdict(False, result[: -len(" FOUND")], text)
    # "INSTREAM size limit exceeded. ERROR" and the like: not a verdict.
    raise ClamdUnavailable(f"clamd could not scan the stream: {text!r}")


class Stream:
    """One INSTREAM session: `send` chunks, then `finish` for the verdict. A context manager."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.sent = 0

    def send(self, data: bytes | memoryview) -> None:
        """Send one chunk (any length; empty chunks are skipped, as zero ends the stream)."""
        view = memoryview(data)
        try:
            for start in range(0, len(view), CHUNK):
                part = view[start : start + CHUNK]
                self._sock.sendall(struct.pack("!L", len(part)))
                self._sock.sendall(part)
                self.sent += len(part)
        except OSError as exc:
            # clamd closes the connection when the stream passes its StreamMaxLength; its
            # reply then says so, but the caller has no use for it beyond "cannot scan".
            raise ClamdUnavailable(f"clamd stopped reading the stream: {exc}") from exc

    def finish(self) -> Verdict:
        """End the stream and return clamd's verdict."""
        try:
            self._sock.sendall(struct.pack("!L", 0))
            return parse_reply(_read_reply(self._sock))
        except OSError as exc:
            raise ClamdUnavailable(f"clamd did not answer: {exc}") from exc
        finally:
            self.close()

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> "Stream":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_reply(sock: socket.socket) -> str:
    """Read one reply, ended by NUL (z-commands) or by clamd closing the connection."""
    parts = []
    while True:
        data = sock.recv(4096)
        if not data:
            break
        parts.append(data)
        if data.endswith(b"\0"):
            break
    if not parts:
        raise ClamdUnavailable("clamd closed the connection without answering")
    return b"".join(parts).decode("utf-8", "replace")


class Clamd:
    """Where clamd listens: a Unix socket path, or a TCP host and port; and a timeout."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 3310,
        unix_socket: str = "",
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.unix_socket = unix_socket
        self.timeout = timeout

    def __repr__(self) -> str:
        where = self.unix_socket or f"{self.host}:{self.port}"
        return f"Clamd({where})"

    def _connect(self) -> socket.socket:
        try:
            if self.unix_socket:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(self.unix_socket)
                return sock
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ClamdUnavailable(f"cannot reach clamd at {self!r}: {exc}") from exc

    def _command(self, name: str) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(f"z{name}\0".encode())
                return _read_reply(sock).rstrip("\0").strip()
            except OSError as exc:
                raise ClamdUnavailable(f"clamd did not answer {name}: {exc}") from exc

    def ping(self) -> bool:
        """Tell whether clamd answers PONG."""
        return self._command("PING") == "PONG"

    def version(self) -> str:
        """clamd's version line, e.g. "ClamAV 1.4.6/27000/..." (engine and signatures)."""
        return self._command("VERSION")

    def stream(self) -> Stream:
        """Open an INSTREAM session."""
        sock = self._connect()
        try:
            sock.sendall(b"zINSTREAM\0")
        except OSError as exc:
            sock.close()
            raise ClamdUnavailable(f"clamd refused INSTREAM: {exc}") from exc
        return Stream(sock)

    def instream(self, chunks: Iterable[bytes]) -> Verdict:
        """Scan the concatenated chunks and return the verdict."""
        with self.stream() as s:
            for chunk in chunks:
                s.send(chunk)
            return s.finish()
