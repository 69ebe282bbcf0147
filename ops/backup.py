"""Back up the database and the stored files into one archive, and restore such an archive.

What is in a backup: the whole database (every issued paper and signed result, the book jobs'
files and the uploaded history imports are rows there) and every file under the stored-file
roots of `stored_roots()` (MEDIA_ROOT). What is not: configuration and secrets, which belong
to the server's own secret store and are restored with it: SECRET_KEY, the environment, the
signing certificates and their private keys (SIGNING_PKCS12, SIGNING_PKCS12_DIR) and trust
roots, LOCAL_TEMPLATES_DIR. A backup must not carry the agency's private keys to wherever
backups are kept, and the results already signed stay valid without them.
"""

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from ops import archive, databases
from ops.archive import ArchiveError


class BackupRefused(Exception):
    """Raise when the archive would be written inside a directory it backs up."""


class RestoreRefused(Exception):
    """Raise when the target is in use and --force was not given, or the engines differ."""


def stored_roots() -> dict[str, Path]:
    """Name each directory of stored files a backup carries (archive prefix files/<name>/)."""
    return {"media": Path(settings.MEDIA_ROOT)}


def default_name(at: datetime) -> str:
    """Return the file name of a backup made at `at` (UTC in the name)."""
    return f"motcua-backup-{at.astimezone(UTC):%Y%m%d-%H%M%S}.tar.gz"


def make_backup(path: Path, *, at: datetime, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to `path` (via a .partial file renamed at the end); return the manifest."""
    engine = databases.engine(alias)
    for root in stored_roots().values():
        if path.resolve().is_relative_to(root.resolve()):
            # The archive (and the dump beside it) would end up inside itself.
            raise BackupRefused(
                _("Write the backup outside %(root)s, which it copies.") % {"root": root}
            )
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".motcua-backup-") as tmp:
        dumped = databases.dump(Path(tmp), alias)
        writer = archive.Writer(partial)
        try:
            db_member = f"{archive.DATABASE_DIR}/{dumped.file.name}"
            writer.add_file(db_member, dumped.file)
            file_counts = {
                name: writer.add_tree(f"{archive.FILES_DIR}/{name}", root)
                for name, root in stored_roots().items()
            }
            manifest = {
                "created_at": at.astimezone(UTC).isoformat(),
                "database": {"engine": engine, "file": db_member, **dumped.info},
                "tables": dumped.counts,
                "stored_files": file_counts,
            }
            writer.close(manifest)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(path)
    return archive.verify(path)


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: dict[str, int]
    moved_aside: list[Path]


def _non_empty_roots() -> list[Path]:
    return [p for p in stored_roots().values() if p.is_dir() and any(p.iterdir())]


def restore_backup(
    path: Path, *, force: bool, at: datetime, alias: str = DEFAULT_DB_ALIAS
) -> Restored:
    """Verify the archive, then replace the database and the stored files with its content.

    Nothing is touched unless every checksum matches, the engines agree, and the database and
    file roots are empty (rows only in what `migrate` writes itself) or `force` is given. With
    `force`, a non-empty file root is moved aside to <root>.before-restore-<time>, not deleted.
    """
    manifest = archive.verify(path)
    engine = databases.engine(alias)
    if manifest["database"]["engine"] != engine:
        raise RestoreRefused(
            _("the backup is of a %(backup)s database, this one is %(this)s")
            % {"backup": manifest["database"]["engine"], "this": engine}
        )
    if not force:
        tables, full = databases.in_use(alias), _non_empty_roots()
        if tables or full:
            what = [_("table %(name)s") % {"name": t} for t in tables[:5]]
            what += [str(r) for r in full]
            raise RestoreRefused(_("the target is not empty: %(what)s") % {"what": ", ".join(what)})
    roots = stored_roots()
    with tempfile.TemporaryDirectory(prefix=".motcua-restore-") as tmp:
        staged = Path(tmp)
        db_member = manifest["database"]["file"]
        archive.extract(path, archive.DATABASE_DIR, staged / "database", manifest)
        # The files are staged next to their root, so that moving them in is a rename.
        staging = {}
        for name, root in roots.items():
            root.parent.mkdir(parents=True, exist_ok=True)
            staging[name] = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-"))
            staging[name].chmod(0o755)  # mkdtemp makes it owner-only; a web server may serve it
        try:
            files = {
                name: archive.extract(path, f"{archive.FILES_DIR}/{name}", staging[name], manifest)
                for name in roots
            }
            databases.restore(staged / "database" / Path(db_member).name, alias)
        except BaseException:
            for d in staging.values():
                shutil.rmtree(d, ignore_errors=True)
            raise
    moved = []
    for name, root in roots.items():
        if root.exists():
            if root.is_dir() and not any(root.iterdir()):
                root.rmdir()
            else:
                aside = root.with_name(f"{root.name}.before-restore-{at:%Y%m%d-%H%M%S}")
                root.rename(aside)
                moved.append(aside)
        staging[name].rename(root)
    counts = databases.table_counts(alias)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise ArchiveError(f"row counts differ after the restore: {wrong}")
    return Restored(manifest, files, moved)
