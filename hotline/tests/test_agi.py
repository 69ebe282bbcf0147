"""The FastAGI protocol layer against replies a real or broken Asterisk may send (no database)."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.agi import CallerHungUp, Channel, ProtocolError, Settings, converse, read_headers
from hotline.menu import Menu, NotFound, Prompt, Text, Words
from hotline.speech import pieces, telex


class Writer:
    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.lines.append(data)

    async def drain(self) -> None:
        return None


def with_channel(replies: bytes, use: Callable[[Channel], Awaitable[Any]]) -> tuple[Any, Writer]:
    """Run `use` on a channel whose peer answers `replies`, then closes."""
    writer = Writer()

    async def go() -> Any:
        reader = asyncio.StreamReader(limit=1024)
        reader.feed_data(replies)
        reader.feed_eof()
        return await use(Channel(reader, writer))  # type: ignore[arg-type]

    return asyncio.run(go()), writer


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_trying_and_the_hangup_notice_are_skipped_before_the_reply() -> None:
    replies = b"100 result=0 Trying...\nHANGUP\n200 result=0 endpos=1200\n"
    reply, writer = with_channel(replies, lambda ch: ch.command('STREAM FILE p-welcome ""'))
    assert (reply.code, reply.result) == (200, 0)
    assert writer.lines == [b'STREAM FILE p-welcome ""\n']


@pytest.mark.parametrize(
    ("replies", "error"),
    [
        (b"200 result=-1 endpos=0\n", CallerHungUp),
        (b"511 Command Not Permitted on a dead channel or intercept routine\n", CallerHungUp),
        (b"", CallerHungUp),  # the socket closed
        (b"200 result=0", CallerHungUp),  # closed mid-line
        (b"520-Invalid command syntax.\nUsage: ...\n520 End of proper usage.\n", ProtocolError),
        (b"hello\n", ProtocolError),
        (b"510 Invalid or unknown command\n", ProtocolError),
    ],
)
def test_hang_ups_and_errors(replies: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        with_channel(replies, lambda ch: ch.command("ANSWER"))


def test_headers_end_at_the_blank_line_and_refuse_anything_else() -> None:
    async def headers(data: bytes) -> dict[str, str]:
        reader = asyncio.StreamReader(limit=1024)
        reader.feed_data(data)
        reader.feed_eof()
        return await read_headers(reader)

    assert run(headers(b"agi_network_script: motcua\nagi_callerid: 091\n\nANSWER")) == {
        "agi_network_script": "motcua",
        "agi_callerid": "091",
    }
    for bad in (b"\n", b"agi_x: 1\n", b"x: 1\n\n", b"agi_x 1\n\n", b"agi_x: \xff\n\n"):
        with pytest.raises(ProtocolError):
            run(headers(bad))


class Records:
    def __init__(self) -> None:
        self.logged: list[dict[str, Any]] = []

    def find_dossier(self, number: str, pin: str, *, caller: str, at: datetime) -> Any:
        return NotFound()

    def find_procedure(self, number: str) -> Any:
        return NotFound()

    def office_open(self, at: datetime) -> bool:
        return True

    def log_call(self, menu: Menu, **fields: Any) -> None:
        self.logged.append({"menu": menu, **fields})


class Voice:
    def files(self, says: Any) -> list[str]:
        return [name for say in says for name, _ in pieces(say)]


LINE = st.one_of(
    st.sampled_from(
        [
            b"200 result=0\n",
            b"200 result=0 endpos=100\n",
            b"200 result=49\n",
            b"200 result=35\n",
            b"200 result=42\n",
            b"200 result=-1\n",
            b"200 result=99999999\n",
            b"HANGUP\n",
            b"100 result=0 Trying...\n",
            b"511 Command Not Permitted\n",
            b"520 End of proper usage.\n",
        ]
    ),
    st.binary(max_size=30).map(lambda b: b + b"\n"),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=40))
def test_any_replies_end_the_call_with_one_logged_row_and_no_crash(lines: list[bytes]) -> None:
    records = Records()
    conf = Settings("1000", lambda: datetime(2026, 3, 10, 2, tzinfo=UTC))
    # A ProtocolError drops the connection (hotline.agi.Server.handle); nothing else escapes.
    with contextlib.suppress(ProtocolError):
        with_channel(
            b"".join(lines),
            lambda ch: converse(ch, {"agi_callerid": "0912345678"}, Voice(), records, conf),
        )
    assert len(records.logged) == 1


def test_telex_file_names_keep_tones_apart() -> None:
    names = {telex(w) for w in ("mười", "mươi", "muối", "mua", "một", "mốt", "đồng", "năm", "lăm")}
    assert len(names) == 9 and all(n.isascii() and n.isalnum() for n in names)
    assert telex("mười") == "muwowif" and telex("đồng") == "ddoongf"
    assert pieces(Words("hai mươi")) == [("w-hai", "hai"), ("w-muwowi", "mươi")]
    assert pieces(Prompt("welcome"))[0][0] == "p-welcome"
    assert pieces(Text("Thẩm định"))[0][0].startswith("t-")
