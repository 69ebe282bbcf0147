"""A clamd of our own for the demo and the tests: a config file and a local signature database.

Production scans with Debian's clamav-daemon and the real signatures (README "Malware
scanning"). The demo and the tests cannot download those; `write_config` writes a clamd
config and a one-line `.ndb` database that flags the EICAR test file (the antivirus industry's
harmless test string), and `start` runs `clamd --config-file=...` in the foreground and
returns once clamd says it listens and answers PING (an event, not a sleep).
"""

import shutil
import socket
import subprocess
import threading
from pathlib import Path

from lib.clamd import Clamd, ClamdUnavailable

# The 68-byte EICAR test string (harmless; every scanner reports it).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Motcua.Test.EICAR"
# clamd prints this once its sockets are bound and its database is loaded.
READY_LINE = "Self checking every"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clamd_binary() -> str:
    """Debian's clamd (package clamav-daemon), in /usr/sbin, often outside PATH."""
    found = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(found).exists():
        raise FileNotFoundError("clamd is not installed (apt-get install clamav-daemon)")
    return found


def write_config(directory: Path, port: int, *, host: str = "127.0.0.1") -> Path:
    """Write `clamd.conf` and `db/motcua.ndb` into `directory`; return the config's path."""
    db = directory / "db"
    db.mkdir(parents=True, exist_ok=True)
    (db / "motcua.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    conf = directory / "clamd.conf"
    conf.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {db}",
                f"TCPSocket {port}",
                f"TCPAddr {host}",
                "Foreground yes",
                "LogTime yes",
                f"PidFile {directory / 'clamd.pid'}",
                f"TemporaryDirectory {directory}",
                # Above the per-dossier upload limit: the gate enforces the real limits.
                "StreamMaxLength 200M",
                "MaxThreads 8",
                "SelfCheck 3600",
                "",
            ]
        )
    )
    return conf


def start(directory: Path, port: int, *, timeout: float = 60.0) -> "subprocess.Popen[str]":
    """Run clamd on 127.0.0.1:`port` with the local database; return once it answers PING."""
    conf = write_config(directory, port)
    proc = subprocess.Popen(  # noqa: S603 - our binary, our config file
        [clamd_binary(), f"--config-file={conf}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if READY_LINE in line:
            break
    try:
        ready = Clamd(port=port, timeout=timeout).ping()
    except ClamdUnavailable:
        ready = False
    if not ready:
        proc.kill()
        proc.wait()
        raise RuntimeError("clamd did not start:\n" + "".join(seen[-20:]))
    # Keep draining its output so that clamd never blocks on a full pipe.
    _drain(proc)
    return proc


def _drain(proc: "subprocess.Popen[str]") -> None:
    def read() -> None:
        assert proc.stdout is not None
        for _line in proc.stdout:
            pass

    threading.Thread(target=read, daemon=True, name="clamd-output").start()
