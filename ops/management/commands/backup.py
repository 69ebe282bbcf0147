"""Back up the database and the stored files into one tar.gz archive with a manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseDriverError
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.archive import ArchiveError
from ops.backup import BackupRefused, default_name, make_backup
from ops.databases import DatabaseError


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the stored files (MEDIA_ROOT) "
        "into one tar.gz archive whose manifest lists the row count of every table and the "
        "SHA-256 of every file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=Path(),
            help="archive to write, or a directory to write motcua-backup-<UTC time>.tar.gz in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        path: Path = options["path"]
        if path.is_dir():
            path = path / default_name(now)
        if path.exists():
            raise CommandError(_("%(path)s already exists; choose another name.") % {"path": path})
        try:
            manifest = make_backup(path, at=now)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        except (DatabaseError, DatabaseDriverError, ArchiveError, OSError) as exc:
            raise CommandError(_("The backup failed: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(engine)s database, %(tables)s tables, "
                "%(rows)s rows, %(files)s stored files."
            )
            % {
                "path": path,
                "engine": manifest["database"]["engine"],
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": sum(manifest["stored_files"].values()),
            }
        )
