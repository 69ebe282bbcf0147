"""Whole calls over FastAGI: a peer playing Asterisk's side against the real server, the real
records (dossier, PIN limiter, catalogue, calendar) and real espeak-ng/sox audio."""

import asyncio
import contextlib
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hotline import phone
from hotline.agi import Server, Settings
from hotline.models import Call, Outcome
from hotline.service import DjangoRecords
from hotline.speech import Voice
from lib.lookupnumber import lookup_number
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World

pytestmark = pytest.mark.django_db(transaction=True)

IN_HOURS = vn(2026, 3, 10, 9, 0)  # a Tuesday morning
AT_NIGHT = vn(2026, 3, 10, 21, 0)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hotline-audio")  # one cache for the session: made once


@pytest.fixture
def hotline(audio_dir: Path, tmp_path: Path) -> Iterator[tuple[int, Clock, Path]]:
    """The FastAGI server on a free port, in its own thread and event loop."""
    clock = Clock(IN_HOURS)
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    server = Server(Voice(audio_dir, recordings), DjangoRecords(), Settings("1000", clock))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    listener = asyncio.run_coroutine_threadsafe(server.start("127.0.0.1", 0), loop).result(10)
    port = listener.sockets[0].getsockname()[1]
    yield port, clock, recordings
    loop.call_soon_threadsafe(listener.close)  # the loop's own thread closes its server
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def lookup(d: Any) -> str:
    return f"1 {d.lookup_number}# {d.public_secret}#"


def test_a_caller_hears_the_status_and_the_appointment_then_hangs_up(
    world: World, hotline: tuple[int, Clock, Path]
) -> None:
    port, _, _ = hotline
    d = intake(world, IN_HOURS)
    heard = phone.call("127.0.0.1", port, lookup(d) + " 1")
    assert heard.prompts()[:4] == ["welcome", "menu_main", "ask_number", "ask_pin"]
    assert heard.prompts()[4:7] == ["status_in_progress", "current_step", "due"]
    assert heard.prompts().count("status_in_progress") == 2  # 1 repeated it
    assert {"w-thangs", "w-giowf", "w-ngayf"} <= set(heard.played)  # "tháng", "giờ", "ngày"
    row = Call.objects.get()
    assert row.outcome == Outcome.ANSWERED and row.dossiers_found == 1
    assert row.caller == "091****678" and row.end_reason == "hangup"
    assert d.public_secret not in str(row.__dict__) and d.lookup_number not in str(row.__dict__)


def test_a_wrong_pin_and_an_unknown_number_sound_the_same_and_count_against_the_caller(
    world: World, hotline: tuple[int, Clock, Path], settings: Any
) -> None:
    port, _, _ = hotline
    settings.PIN_MAX_FAILURES = 2
    d = intake(world, IN_HOURS)
    wrong_pin = phone.call("127.0.0.1", port, f"1 {d.lookup_number}# 000000#", callerid="0911")
    unknown = phone.call("127.0.0.1", port, f"1 {lookup_number(99999)}# 000000#", callerid="0922")
    assert wrong_pin.prompts() == unknown.prompts()
    assert wrong_pin.prompts()[-2:] == ["not_found", "ask_number"]
    # The second wrong PIN from the same caller number reaches the web's limit: locked.
    phone.call("127.0.0.1", port, f"1 {d.lookup_number}# 000001#", callerid="0911")
    locked = phone.call("127.0.0.1", port, lookup(d), callerid="0911")
    assert locked.prompts()[-1] == "locked" and locked.hung_up_by_server
    assert Call.objects.filter(end_reason="locked").count() == 1


def test_three_wrong_inputs_silence_and_hash_alone_end_politely(
    hotline: tuple[int, Clock, Path], db: Any
) -> None:
    port, _, _ = hotline
    heard = phone.call("127.0.0.1", port, ". # 7")
    assert heard.prompts()[1:] == [
        "menu_main",
        "no_input",
        "menu_main",
        "no_input",
        "menu_main",
        "invalid",
        "goodbye_wrong",
    ]
    assert heard.hung_up_by_server
    assert Call.objects.get().outcome == Outcome.ENDED


def test_a_procedure_by_its_number_with_the_fee_in_words(
    world: World, hotline: tuple[int, Clock, Path]
) -> None:
    port, _, _ = hotline
    heard = phone.call("127.0.0.1", port, "2 1001193#", barge_in=True)
    assert heard.prompts()[-4:] == ["procedure", "limit", "no_fee", "after_answer"]
    assert heard.played[-6:-2] == ["w-ba", "w-ngayf", "w-lamf", "w-vieecj"]  # "ba ngày làm việc"
    assert any(p.startswith("t-") for p in heard.played)  # the name, synthesised whole
    assert Call.objects.get().procedures_found == 1


def test_an_officer_in_office_hours_and_the_closed_message_at_night(
    world: World, hotline: tuple[int, Clock, Path]
) -> None:
    port, clock, _ = hotline
    heard = phone.call("127.0.0.1", port, "0")
    assert heard.prompts()[-1] == "transferring"
    assert heard.variables == {"MOTCUA_TRANSFER": "1000"}
    clock.at = AT_NIGHT
    heard = phone.call("127.0.0.1", port, "0")
    assert heard.prompts()[-2:] == ["office_closed", "menu_main"]
    outcomes = sorted(Call.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.ABANDONED, Outcome.TRANSFERRED]


def test_a_hang_up_mid_prompt_is_an_abandoned_call(
    hotline: tuple[int, Clock, Path], db: Any
) -> None:
    port, _, _ = hotline
    heard = phone.call("127.0.0.1", port, "1", hangup_after_prompts=1)
    assert heard.played == ["p-welcome"] and heard.hung_up_by_caller
    assert heard.commands[-1].startswith("STREAM FILE")  # nothing more was asked
    assert Call.objects.get().outcome == Outcome.ABANDONED


def test_a_recording_dropped_in_the_folder_replaces_the_synthesised_prompt(
    hotline: tuple[int, Clock, Path], db: Any
) -> None:
    port, _, recordings = hotline
    call = phone.call("127.0.0.1", port, "")
    source = next(c for c in call.commands if "p-welcome" in c).split()[2]
    shutil.copy(source + ".wav", recordings / "p-welcome.wav")
    again = phone.call("127.0.0.1", port, "")
    assert f"{recordings}/p-welcome" in next(c for c in again.commands if "p-welcome" in c)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"agi_network: yes\n" * 100,
        b"agi_network_script: motcua\n\xff\xfe\n\n",
        b"agi_network_script: motcua\n" + b"x" * 5000 + b"\n\n",
        b"agi_network_script: other\n\n",
    ],
)
def test_garbage_on_the_socket_is_dropped_and_the_server_keeps_serving(
    hotline: tuple[int, Clock, Path], db: Any, garbage: bytes
) -> None:
    port, _, _ = hotline
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(garbage)
        sock.shutdown(socket.SHUT_WR)
        # Closed without a word (or reset, when it closed with bytes still unread).
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(100) == b""
    assert phone.call("127.0.0.1", port, "").played[:1] == ["p-welcome"]


def test_garbage_replies_mid_call_end_it_with_a_logged_row(
    hotline: tuple[int, Clock, Path], db: Any
) -> None:
    port, _, _ = hotline
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(phone.variables())
        stream = sock.makefile("rb")
        assert stream.readline() == b"ANSWER\n"
        sock.sendall(b"what is this\n")
        assert stream.readline() == b""
    assert Call.objects.get().outcome == Outcome.ENDED
