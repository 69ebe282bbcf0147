"""Backup and restore (issue 14 item 6): a real history survives a backup and a restore into a
fresh database with the same row counts, the same file checksums and a clean verify_figures.

Runs on the database the suite runs on: SQLite (a new file as the target) or PostgreSQL (the
test creates and drops its own target database; pg_dump missing skips loudly, or fails when
CI is set). `backup` runs in-process against the test database; `restore` and
`verify_figures` run as the operator would, in a separate process pointed at the target.
"""

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from documents.models import Form, IssuedDocument
from documents.papers import issue, issue_result_after
from dossiers import actions
from dossiers.importer import read_history, write_csv, write_history
from testing.clock import vn
from testing.dossiers import finish, intake
from testing.history import GOOD
from testing.signing import Pki, ready_for_approval
from testing.world import World

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
STORED = {
    "attachments/2026/03/giấy khai sinh.pdf": b"%PDF-1.7 scanned attachment\n" * 50,
    "attachments/2026/03/ảnh CCCD.jpg": bytes(range(256)) * 40,
    "checkpoints/head.txt": b"chain heads\n",
}


def _history(world: World) -> None:
    """Dossiers through the actions, with papers and a signed result stored as rows."""
    a = intake(world, vn(2026, 3, 2, 9))
    issue(a, Form.RECEIPT, at=vn(2026, 3, 2, 9))
    a = finish(world, a, vn(2026, 3, 3, 10))
    actions.return_result(
        a,
        actor=world.desk_a,
        at=vn(2026, 3, 4, 9),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    b = intake(world, vn(2026, 3, 5, 9))
    actions.forward(b, actor=world.desk_a, at=vn(2026, 3, 5, 10))
    # Signed now: the test certificate is valid from today.
    now = timezone.now()
    online = actions.approve(ready_for_approval(world), actor=world.leader_a, at=now)
    assert issue_result_after(online, "approve", at=now) is not None
    row = {
        **GOOD,
        "code": "CU-0001",
        "procedure_code": "1.001193",
        "receiving_unit": world.ward_a.code,
        "received_at": "2026-02-03T09:15:00+07:00",
        "finished_at": "2026-02-03T15:00:00+07:00",
        "returned_at": "2026-02-04T08:00:00+07:00",
    }
    parsed = read_history(write_csv([row]), "h.csv")
    assert parsed.errors == []
    write_history(parsed.planned)
    assert IssuedDocument.objects.filter(form=Form.RESULT).exclude(signer="").exists()


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


class Target:
    """A fresh database of the suite's engine, plus its own MEDIA_ROOT."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.media = tmp / f"media-{name}"
        src = connection.settings_dict
        if connection.vendor == "sqlite":
            self.path = tmp / f"{name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.db = f"{src['NAME']}_{name}"[:63]
            auth = f"{src['USER']}:{src['PASSWORD']}@" if src["PASSWORD"] else f"{src['USER']}@"
            self.server = f"postgresql://{auth}{src['HOST']}:{src['PORT'] or 5432}"
            self.url = f"{self.server}/{self.db}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.db}"')

    def _admin(self, sql: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as c:
            c.execute(sql.encode())

    def drop(self) -> None:
        if connection.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media)}
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.url) as db:
            return db.execute(sql.encode()).fetchall()

    def counts(self) -> dict[str, int]:
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return {t: self.rows(f'SELECT COUNT(*) FROM "{t}"')[0][0] for (t,) in self.rows(sql)}  # noqa: S608 - catalog names


@pytest.fixture
def targets(tmp_path: Path) -> Iterator[list[Target]]:
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        message = "!!! pg_dump is missing (apt-get install postgresql-client) !!!"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    made: list[Target] = []
    yield made
    for t in made:
        t.drop()


def _source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for t in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(t)}")  # noqa: S608
            counts[t] = cursor.fetchone()[0]
    return counts


def test_a_backup_restores_into_a_fresh_database_with_the_same_counts_and_checksums(
    world: World, pki: Pki, tmp_path: Path, settings: Any, targets: list[Target]
) -> None:
    _history(world)
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, content in STORED.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    papers = sorted(IssuedDocument.objects.values_list("sha256", flat=True))
    assert len(papers) == 2
    before = _source_counts()
    assert before["dossiers_dossier"] == 4 and before["documents_issueddocument"] == 2

    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    (archive,) = tmp_path.glob("motcua-backup-*.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    assert "3 tệp đã lưu" in out.getvalue()

    target = Target(tmp_path, "restored")
    targets.append(target)
    done = target.manage("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert target.counts() == before
    assert _tree(target.media) == _tree(settings.MEDIA_ROOT)
    stored = target.rows("SELECT sha256, content FROM documents_issueddocument ORDER BY sha256")
    assert [s for s, _ in stored] == papers
    assert all(hashlib.sha256(bytes(c)).hexdigest() == s for s, c in stored)
    figures = target.manage("verify_figures")
    assert figures.returncode == 0, figures.stderr
    assert "Đã kiểm tra 4 hồ sơ" in figures.stdout

    # A database in use is not overwritten without --force; with it, it is.
    again = target.manage("restore", str(archive))
    assert again.returncode != 0
    assert "--force" in again.stderr
    forced = target.manage("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert target.counts() == before
    assert _tree(target.media) == _tree(settings.MEDIA_ROOT)
    assert len(list(tmp_path.glob("media-restored.before-restore-*"))) == 1


def test_a_damaged_archive_is_refused_before_anything_is_touched(
    world: World, tmp_path: Path, settings: Any, targets: list[Target]
) -> None:
    intake(world, vn(2026, 3, 2, 9))
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "a").mkdir(parents=True)
    (settings.MEDIA_ROOT / "a" / "scan.pdf").write_bytes(b"%PDF original")
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())

    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good) as src, tarfile.open(bad, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "files/media/a/scan.pdf":
                data = b"%PDF tampered"
                info.size = len(data)
            dst.addfile(info, io.BytesIO(data))

    target = Target(tmp_path, "untouched")
    targets.append(target)
    refused = target.manage("restore", "--force", str(bad))
    assert refused.returncode != 0
    assert "files/media/a/scan.pdf" in refused.stderr
    assert target.counts() == {}  # not even a table was created
    assert not target.media.exists()


def test_a_backup_is_not_written_inside_what_it_copies(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "backups").mkdir(parents=True)
    with pytest.raises(CommandError, match="Hãy ghi bản sao lưu ra ngoài"):
        call_command("backup", str(settings.MEDIA_ROOT / "backups"), stdout=io.StringIO())
    assert list((settings.MEDIA_ROOT / "backups").iterdir()) == []
