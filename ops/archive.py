"""The backup archive: one tar.gz holding the database dump, the stored files and a manifest.

Layout (every member a regular file; no links, no absolute paths, no "..")::

    database/db.sqlite3 | database/db.dump   the database (SQLite copy or pg_dump custom format)
    files/<root>/<path>                      the stored files of each root (e.g. files/media/...)
    manifest.json                            written last: a truncated archive has none

The manifest says when and from which engine the backup was made, how many rows each table
held, and the SHA-256 and size of every other member. `verify` checks all of them (nothing
missing, nothing extra, every checksum equal) before a restore touches anything.
"""

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "motcua-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
_CHUNK = 1 << 20


class ArchiveError(Exception):
    """Raise when an archive is not a complete, intact motcua backup."""


@dataclass
class Entry:
    sha256: str
    size: int


class _Hashing(io.RawIOBase):
    """Read at most `size` bytes of a file, hashing what is read (one pass, bounded memory)."""

    def __init__(self, f: IO[bytes], size: int) -> None:
        self.f, self.left, self.digest = f, size, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.f.read(n)
        self.left -= len(data)
        self.digest.update(data)
        return data


class Writer:
    """Add files to a new archive, hashing each as it is written; `close` adds the manifest."""

    def __init__(self, path: Path) -> None:
        # Backups hold personal data: readable by the owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz")  # noqa: SIM115 - closed in close()
        self.entries: dict[str, Entry] = {}

    def add_file(self, name: str, source: Path) -> None:
        """Copy `source` into the archive as `name`, recording its SHA-256 and size."""
        with source.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size, info.mode = size, 0o600
            info.mtime = int(os.fstat(f.fileno()).st_mtime)
            hashing = _Hashing(f, size)
            # tarfile reads exactly `size` bytes and fails if the file shrank meanwhile.
            self._tar.addfile(info, hashing)
        self.entries[name] = Entry(hashing.digest.hexdigest(), size)

    def add_tree(self, prefix: str, root: Path) -> int:
        """Add every regular file under `root` as prefix/<relative path>; return how many."""
        count = 0
        if not root.is_dir():
            return 0
        for path in sorted(_files_under(root)):
            self.add_file(f"{prefix}/{path.relative_to(root).as_posix()}", path)
            count += 1
        return count

    def close(self, manifest: dict[str, Any]) -> None:
        """Write the manifest (with every member's checksum) and finish the archive."""
        manifest = {
            **manifest,
            "format": FORMAT,
            "version": VERSION,
            "files": {n: e.__dict__ for n, e in sorted(self.entries.items())},
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, 0
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        self._file.close()


def _files_under(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    for info in tar:
        if not info.isfile() or not _safe_name(info.name):
            raise ArchiveError(f"unexpected member {info.name!r} (not a plain relative file)")
        f = tar.extractfile(info)
        assert f is not None  # a regular file always has a file object
        yield info, f


def verify(path: Path) -> dict[str, Any]:
    """Read the whole archive and return its manifest, or raise ArchiveError.

    Every member's SHA-256 and size must equal the manifest's, and the members must be exactly
    those the manifest lists.
    """
    found: dict[str, Entry] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for info, f in _members(tar):
                if info.name == MANIFEST:
                    manifest = json.loads(f.read())
                    continue
                digest = hashlib.sha256()
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                found[info.name] = Entry(digest.hexdigest(), info.size)
    except (OSError, tarfile.TarError, EOFError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"unreadable archive: {exc}") from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise ArchiveError("no motcua manifest in the archive (incomplete or foreign file)")
    if manifest.get("version") != VERSION:
        raise ArchiveError(f"manifest version {manifest.get('version')!r} is not {VERSION}")
    listed = {n: Entry(**e) for n, e in manifest["files"].items()}
    problems = [f"missing: {n}" for n in sorted(listed.keys() - found.keys())]
    problems += [f"not in the manifest: {n}" for n in sorted(found.keys() - listed.keys())]
    problems += [
        f"checksum differs: {n}"
        for n in sorted(listed.keys() & found.keys())
        if listed[n] != found[n]
    ]
    if problems:
        raise ArchiveError("; ".join(problems))
    return manifest


def extract(path: Path, prefix: str, dest: Path, manifest: dict[str, Any]) -> int:
    """Extract the members under `prefix`/ into `dest`; return how many.

    Each member is checked against the manifest again as it is written, in case the archive
    changed since `verify`.
    """
    count = 0
    listed = manifest["files"]
    with tarfile.open(path, mode="r:gz") as tar:
        for info, f in _members(tar):
            if not info.name.startswith(prefix + "/"):
                continue
            target = dest / info.name[len(prefix) + 1 :]
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if info.name not in listed or listed[info.name]["sha256"] != digest.hexdigest():
                raise ArchiveError(f"checksum differs: {info.name}")
            count += 1
    return count
