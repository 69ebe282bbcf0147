"""The FastAGI server Asterisk reaches from its dialplan: `AGI(agi://host:4573/motcua)` (ADR 26).

Asterisk opens one TCP connection a call and sends `agi_<name>: <value>` lines ended by a blank
line; then we write one command a line and read one `200 result=N [(extra)] [endpos=...]` line
an answer. A hang-up shows as a `HANGUP` line, `result=-1` or `511` (dead channel). We wrote
the protocol ourselves on asyncio streams rather than use panoramisk 1.4: its header loop spins
forever on a connection closed before the blank line and reads garbage without bound.

The conversation is hotline.menu's: we play each Turn's pieces with STREAM FILE (a key pressed
interrupts a prompt and is the first key of the entry), collect keys with WAIT FOR DIGIT until
`#`, enough digits or silence, and run the lookups in a worker thread (the ORM is synchronous).
Every call ends with a row in the call log, however it ended.
"""

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from hotline.menu import (
    AskOfficeOpen,
    Collect,
    FindDossier,
    FindProcedure,
    Hangup,
    Menu,
    Transfer,
    Turn,
)

logger = logging.getLogger(__name__)

SCRIPT = "motcua"
KEYS = "0123456789*#"
HEADER_LINES, LINE_BYTES = 64, 1024
HEADER_TIMEOUT, ANSWER_TIMEOUT = 10.0, 120.0  # seconds (a long prompt plays before its answer)
FIRST_KEY_MS, NEXT_KEY_MS = 6000, 4000  # silence that ends an entry
_RESULT = re.compile(r"^(\d{3}) result=(-?\d+)(?: \(([^)]*)\))?(?:\s.*)?$")


class ProtocolError(Exception):
    """The peer does not speak AGI (garbage, an overlong line, a closed stream)."""


class CallerHungUp(Exception):
    """The channel is gone."""


class Records(Protocol):
    """What the conversation asks the records (hotline.service in production)."""

    def find_dossier(self, number: str, pin: str, *, caller: str, at: datetime) -> Any: ...
    def find_procedure(self, number: str) -> Any: ...
    def office_open(self, at: datetime) -> bool: ...
    def log_call(self, menu: Menu, **fields: Any) -> None: ...


class Files(Protocol):
    def files(self, says: Any) -> list[str]: ...


async def read_line(reader: asyncio.StreamReader, timeout: float) -> str:
    """One line without its end; ProtocolError on EOF, an overlong line or bad UTF-8."""
    try:
        raw = await asyncio.wait_for(reader.readline(), timeout)
    except (TimeoutError, ValueError, asyncio.LimitOverrunError) as exc:
        raise ProtocolError(f"no proper line: {exc!r}") from exc
    if not raw.endswith(b"\n"):
        raise ProtocolError("the connection closed mid-line")
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise ProtocolError("a line that is not UTF-8") from exc


async def read_headers(reader: asyncio.StreamReader) -> dict[str, str]:
    """The `agi_*` variables Asterisk sends first, up to the blank line."""
    headers: dict[str, str] = {}
    for _ in range(HEADER_LINES):
        line = await read_line(reader, HEADER_TIMEOUT)
        if line == "":
            if not headers:
                raise ProtocolError("no agi_ variables")
            return headers
        name, sep, value = line.partition(": ")
        if not sep or not name.startswith("agi_") or not name.isascii():
            raise ProtocolError(f"not an agi_ variable: {line[:40]!r}")
        headers[name] = value
    raise ProtocolError("too many variables")


@dataclass(frozen=True)
class Reply:
    code: int
    result: int
    extra: str


class Channel:
    """One call's AGI session: a command out, its reply in."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def command(self, line: str) -> Reply:
        """Send one command; CallerHungUp when the channel is gone, ProtocolError on garbage."""
        try:
            self.writer.write(line.encode() + b"\n")
            await self.writer.drain()
        except (ConnectionError, OSError) as exc:
            raise CallerHungUp from exc
        while True:
            try:
                text = await read_line(self.reader, ANSWER_TIMEOUT)
            except ProtocolError as exc:
                raise CallerHungUp from exc  # the socket closed: Asterisk dropped the call
            if text.startswith("HANGUP"):
                continue  # the asynchronous notice; the command's own reply follows
            match = _RESULT.match(text)
            if match is None:
                if text.startswith("520"):
                    await self._skip_usage()
                    raise ProtocolError(f"usage error for {line.split()[0]}")
                if text.startswith("511"):
                    raise CallerHungUp
                raise ProtocolError(f"not an AGI reply: {text[:40]!r}")
            code, result = int(match[1]), int(match[2])
            if code == 100:
                continue  # "100 result=0 Trying..." precedes the real reply
            if code == 511 or result == -1:
                raise CallerHungUp
            if code != 200:
                raise ProtocolError(f"AGI reply {code}")
            return Reply(code, result, match[3] or "")

    async def _skip_usage(self) -> None:
        for _ in range(HEADER_LINES):
            if (await read_line(self.reader, ANSWER_TIMEOUT)).startswith("520 End"):
                return


async def play(channel: Channel, files: list[str], *, interruptible: bool) -> str:
    """Play the files in turn; the key that interrupted one ("" when none did)."""
    escape = KEYS if interruptible else ""
    for name in files:
        reply = await channel.command(f'STREAM FILE {name} "{escape}"')
        if reply.result > 0:
            key = _key(reply.result)
            if key not in escape:
                raise ProtocolError(f"STREAM FILE returned {reply.result}")
            return key
    return ""


def _key(result: int) -> str:
    # A key comes back as its ASCII code; anything else is not a key.
    return chr(result) if 0 < result < 128 else ""


async def collect(channel: Channel, first: str, max_digits: int) -> str:
    """Keys up to `#`, `max_digits` keys or silence; `*` first is returned alone (back)."""
    keys = first
    while True:
        if keys.endswith("#"):
            return keys[:-1]
        if keys == "*" or len(keys) >= max_digits:
            return keys
        reply = await channel.command(f"WAIT FOR DIGIT {NEXT_KEY_MS if keys else FIRST_KEY_MS}")
        if reply.result == 0:
            return keys  # silence
        key = _key(reply.result)
        if not key or key not in KEYS:
            raise ProtocolError(f"WAIT FOR DIGIT returned {reply.result}")
        keys += key


@dataclass
class Settings:
    extension: str  # where an officer answers ("" = nobody: the closed message)
    now: Callable[[], datetime]


async def converse(
    channel: Channel, headers: dict[str, str], voice: Files, records: Records, conf: Settings
) -> None:
    """One whole call, from ANSWER to its row in the call log."""
    menu = Menu()
    started = conf.now()
    caller = headers.get("agi_callerid", "")
    hung_up = False
    try:
        await channel.command("ANSWER")
        turn: Turn = menu.start()
        while True:
            files = await asyncio.to_thread(voice.files, turn.say)
            ask = turn.next
            first = await play(channel, files, interruptible=isinstance(ask, Collect))
            if isinstance(ask, Collect):
                turn = menu.entry(await collect(channel, first, ask.max_digits))
            elif isinstance(ask, FindDossier):
                found = await asyncio.to_thread(
                    records.find_dossier, ask.number, ask.pin, caller=caller, at=conf.now()
                )
                turn = menu.answer(found)
            elif isinstance(ask, FindProcedure):
                turn = menu.answer(await asyncio.to_thread(records.find_procedure, ask.number))
            elif isinstance(ask, AskOfficeOpen):
                is_open = bool(conf.extension) and await asyncio.to_thread(
                    records.office_open, conf.now()
                )
                turn = menu.answer(is_open)
            elif isinstance(ask, Transfer):
                # The dialplan goes on to the officers' extension (README "Hotline").
                await channel.command(f"SET VARIABLE MOTCUA_TRANSFER {conf.extension}")
                break
            elif isinstance(ask, Hangup):
                await channel.command("HANGUP")
                break
    except CallerHungUp:
        hung_up = True
    finally:
        await asyncio.to_thread(
            records.log_call,
            menu,
            uniqueid=headers.get("agi_uniqueid", ""),
            caller=caller,
            started=started,
            ended=conf.now(),
            hung_up=hung_up,
        )


class Server:
    """The FastAGI listener; one task a connection."""

    def __init__(self, voice: Files, records: Records, conf: Settings) -> None:
        self.voice, self.records, self.conf = voice, records, conf

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        try:
            headers = await read_headers(reader)
            script = headers.get("agi_network_script", "").strip("/")
            if script != SCRIPT:
                logger.warning("AGI request for %r from %s refused", script[:40], peer)
                return
            await converse(Channel(reader, writer), headers, self.voice, self.records, self.conf)
        except ProtocolError as exc:
            logger.warning("AGI connection from %s dropped: %s", peer, exc)
        except Exception:
            logger.exception("hotline call from %s failed", peer)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def start(self, host: str, port: int) -> asyncio.Server:
        return await asyncio.start_server(self.handle, host, port, limit=LINE_BYTES)
