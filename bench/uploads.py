"""Upload-and-scan throughput: files through the gate (uploads.gate.admit: libmagic, SHA-256,
clamd INSTREAM, storage, a StoredFile row) vs clamd's own INSTREAM of the same bytes, same
clamd, same run, rounds interleaved. Goal: the gate >= 0.7x clamd alone.

A local clamd (uploads.localclamd: the one-line signature database of the tests) is started on
a free port; the database is a temporary SQLite file and MEDIA_ROOT a temporary directory.
BENCH_UPLOADS_FILES (default 12) files of BENCH_UPLOADS_MB (default 4) MB each, PDF-typed.
"""

from __future__ import annotations

import io
import os
import socket
import tempfile
from pathlib import Path

from bench import benchmark, best_rates, report

FILES = int(os.environ.get("BENCH_UPLOADS_FILES", "12"))
MB = int(os.environ.get("BENCH_UPLOADS_MB", "4"))
GOAL = 0.7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@benchmark("uploads")
def uploads() -> None:
    """MB/s through admit() (with storage) beside clamd INSTREAM alone, same files."""
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-uploads-"))
    port = _free_port()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "MEDIA_ROOT": str(work / "media"),
            "CLAMD_PORT": str(port),
            "CLAMD_SOCKET": "",
            "UPLOAD_MAX_FILE_BYTES": str((MB + 1) * 1024 * 1024),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from uploads.gate import admit, scanner
    from uploads.localclamd import start
    from uploads.models import StoredFile

    call_command("migrate", "uploads", verbosity=0)
    proc = start(work / "clamd", port)
    try:
        size = MB * 1024 * 1024
        head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        blobs = [head + os.urandom(size - len(head)) for _ in range(FILES)]
        clamd = scanner()

        def raw() -> int:
            for blob in blobs:
                view = memoryview(blob)
                chunks = (view[i : i + 256 * 1024] for i in range(0, len(view), 256 * 1024))
                assert clamd.instream(chunks).clean  # type: ignore[arg-type]
            return FILES

        def gate() -> int:
            for blob in blobs:
                admit(io.BytesIO(blob))
            return FILES

        raw_rate, gate_rate = best_rates(raw, gate, repeat=3)
        assert StoredFile.objects.count() == 3 * FILES
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    note = f"{FILES} files x {MB} MB, goal >= {GOAL}x"
    report(
        "uploads gate (admit + storage)", gate_rate * MB, "MB/s", baseline=raw_rate * MB, note=note
    )
