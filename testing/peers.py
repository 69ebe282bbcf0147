"""Start a local peer of an outside party (demo/peers/) as a process for the tests."""

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def running_peer(module: str, *args: str) -> Iterator[str]:
    """Run `python -m module --port 0 args...`; yield its base URL once it listens.

    Every peer prints "listening on <url>" once its socket accepts connections: the test waits
    for that line (an event, not a sleep) and stops the process afterwards.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        process.wait(timeout=10)
        raise RuntimeError(f"{module} did not start: {line!r}")
    try:
        yield line.removeprefix("listening on ").strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
