"""Asterisk's side of a FastAGI call, for the tests and for trying the hotline by hand.

Written from the protocol (docs: Asterisk AGI commands): send the `agi_*` variables and a blank
line, then answer each command the server writes, as a channel would. The caller is a stream of
key presses: each WAIT FOR DIGIT takes the next one, `.` is a silence (the wait times out),
and when the stream runs out the caller hangs up. Prompts play to the end unless `barge_in`,
when a pending key interrupts STREAM FILE as a real caller's key would.

    python -m hotline.phone --keys "1 0000427# 123456# 1 *"     (spaces are only for reading)
"""

import argparse
import os
import re
import socket
import wave
from dataclasses import dataclass, field

_STREAM = re.compile(r'^STREAM FILE (\S+)(?: "(.*)")?')


@dataclass
class Call:
    """What the caller heard and what the channel was asked."""

    commands: list[str] = field(default_factory=list)
    played: list[str] = field(default_factory=list)  # file names without folder and extension
    variables: dict[str, str] = field(default_factory=dict)
    hung_up_by_server: bool = False
    hung_up_by_caller: bool = False

    def prompts(self) -> list[str]:
        """The fixed prompts heard, by key ("p-welcome" -> "welcome")."""
        return [p[2:] for p in self.played if p.startswith("p-")]


def variables(*, callerid: str = "0912345678", script: str = "motcua") -> bytes:
    lines = {
        "agi_network": "yes",
        "agi_network_script": script,
        "agi_request": f"agi://127.0.0.1:4573/{script}",
        "agi_channel": "PJSIP/trunk-00000001",
        "agi_language": "vi",
        "agi_type": "PJSIP",
        "agi_uniqueid": "1764547200.1",
        "agi_version": "20.5.0",
        "agi_callerid": callerid,
        "agi_calleridname": "unknown",
        "agi_dnid": "19008996",
        "agi_context": "hotline",
        "agi_extension": "19008996",
        "agi_priority": "2",
        "agi_enhanced": "0.0",
        "agi_accountcode": "",
        "agi_threadid": "140000000000000",
    }
    return "".join(f"{k}: {v}\n" for k, v in lines.items()).encode() + b"\n"


def _check_audio(path: str) -> None:
    # What Asterisk's wav format reads: 8 kHz, mono, 16-bit.
    with wave.open(path + ".wav", "rb") as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (8000, 1, 2):
            raise AssertionError(f"{path}.wav is not 8 kHz mono 16-bit")


def call(
    host: str,
    port: int,
    keys: str,
    *,
    callerid: str = "0912345678",
    barge_in: bool = False,
    hangup_after_prompts: int | None = None,
    check_audio: bool = True,
    timeout: float = 30.0,
) -> Call:
    """Place one call; return its transcript when the server closes the connection."""
    pending = [k for k in keys if k in "0123456789*#."]
    result = Call()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(variables(callerid=callerid))
        stream = sock.makefile("rb")
        dead = False
        while True:
            raw = stream.readline()
            if not raw:
                return result
            line = raw.decode().rstrip("\n")
            result.commands.append(line)
            if dead:
                reply = "511 Command Not Permitted on a dead channel or intercept routine"
            else:
                reply = _answer(line, pending, result, barge_in, check_audio)
                if (
                    line.startswith("STREAM FILE")
                    and hangup_after_prompts is not None
                    and len(result.played) >= hangup_after_prompts
                ):
                    reply, dead = "HANGUP\n200 result=-1 endpos=0", True
                    result.hung_up_by_caller = True
                elif reply == "hangup":
                    reply, dead = "HANGUP\n200 result=-1", True
                    result.hung_up_by_caller = True
            sock.sendall(reply.encode() + b"\n")


def _answer(line: str, pending: list[str], result: Call, barge_in: bool, check: bool) -> str:
    verb = line.split(" ", 2)
    if line == "ANSWER":
        return "200 result=0"
    if line == "HANGUP":
        result.hung_up_by_server = True
        return "200 result=1"
    if line.startswith("STREAM FILE "):
        match = _STREAM.match(line)
        if match is None:
            return "520 Invalid command syntax.  Proper usage follows:\n520 End of proper usage."
        path, escape = match[1], match[2] or ""
        if check:
            _check_audio(path)
        result.played.append(os.path.basename(path))
        if barge_in and pending and pending[0] in escape:
            return f"200 result={ord(pending.pop(0))} endpos=800"
        return "200 result=0 endpos=8000"
    if line.startswith("WAIT FOR DIGIT"):
        if not pending:
            return "hangup"
        key = pending.pop(0)
        return "200 result=0" if key == "." else f"200 result={ord(key)}"
    if line.startswith("GET DATA"):
        typed = ""
        while pending and pending[0] not in "#.":
            typed += pending.pop(0)
        if pending:
            pending.pop(0)
        return f"200 result={typed}" if typed else "200 result= (timeout)"
    if line.startswith("SET VARIABLE "):
        parts = line.split(" ", 3)
        if len(parts) == 4:
            result.variables[parts[2]] = parts[3].strip('"')
        return "200 result=1"
    if verb[0] in {"EXEC", "SAY"}:
        return "200 result=0"
    return "510 Invalid or unknown command"


def main() -> None:
    parser = argparse.ArgumentParser(description="Call the hotline as Asterisk would.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4573)
    parser.add_argument("--keys", default="", help='keys pressed, "." a silence')
    parser.add_argument("--callerid", default="0912345678")
    args = parser.parse_args()
    heard = call(args.host, args.port, args.keys, callerid=args.callerid, check_audio=False)
    for name in heard.played:
        print(name)
    for name, value in heard.variables.items():
        print(f"{name}={value}")
    print("hung up by", "the caller" if heard.hung_up_by_caller else "the hotline")


if __name__ == "__main__":
    main()
