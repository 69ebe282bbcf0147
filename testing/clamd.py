"""A real clamd for the tests that upload (registered by the root conftest).

One clamd per test process, started the first time a test asks for `scanner` and stopped at
the end of the session: with the one-line local database it is ready in about a second, so
each pytest-xdist worker having its own costs less than sharing one across processes would
(a lock, a reference count and a process outliving the worker that started it). Tests that do
not ask for it never start it. `scanner` also points the settings at it and gives the test an
empty MEDIA_ROOT of its own, so a test can check that nothing was stored.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lib.clamd import Clamd
from uploads.localclamd import clamd_binary, free_port, start

__all__ = ["clamd_server", "free_port", "scanner", "stored_files"]


@pytest.fixture(scope="session")
def clamd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clamd]:
    """Start this process's clamd (local signatures: EICAR is found); stop it at the end."""
    try:
        clamd_binary()
    except FileNotFoundError as exc:  # pragma: no cover - depends on the machine
        pytest.fail(f"{exc}; scripts/system-deps.sh installs it")
    port = free_port()
    proc = start(tmp_path_factory.mktemp("clamd"), port)
    try:
        yield Clamd(port=port, timeout=30)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def scanner(clamd_server: Clamd, settings: Any, tmp_path: Path) -> Clamd:
    """Point the gate at the session's clamd and give the test an empty MEDIA_ROOT."""
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = clamd_server.host
    settings.CLAMD_PORT = clamd_server.port
    settings.MEDIA_ROOT = tmp_path / "media"
    return clamd_server


def stored_files(root: Path) -> list[Path]:
    """Every file under `root` (the test's MEDIA_ROOT)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
