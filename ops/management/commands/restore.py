"""Restore a backup made by `manage.py backup`: the database and the stored files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import Error as DatabaseDriverError
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.archive import ArchiveError
from ops.backup import RestoreRefused, restore_backup
from ops.databases import DatabaseError


class Command(BaseCommand):
    help = (
        "Restore a backup archive: verify every checksum first, then replace the database and "
        "the stored files. Refuses a database or MEDIA_ROOT that is in use unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a .tar.gz written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data (a non-empty MEDIA_ROOT is moved aside)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            done = restore_backup(path, force=options["force"], at=timezone.now())
        except ArchiveError as exc:
            raise CommandError(
                _("The archive is damaged or incomplete; nothing was restored. %(error)s")
                % {"error": exc}
            ) from exc
        except RestoreRefused as exc:
            raise CommandError(
                _("Nothing was restored: %(error)s. Use --force to replace it.") % {"error": exc}
            ) from exc
        except (DatabaseError, DatabaseDriverError, OSError) as exc:
            raise CommandError(_("The restore failed: %(error)s") % {"error": exc}) from exc
        for aside in done.moved_aside:
            self.stdout.write(_("The previous files were moved to %(path)s.") % {"path": aside})
        self.stdout.write(
            _(
                "Restored the backup of %(created)s: %(tables)s tables, %(rows)s rows, "
                "%(files)s stored files; every count and checksum matches."
            )
            % {
                "created": done.manifest["created_at"],
                "tables": len(done.manifest["tables"]),
                "rows": sum(done.manifest["tables"].values()),
                "files": sum(done.files.values()),
            }
        )
        self.stdout.write(_("Run `manage.py migrate` if this code is newer than the backup."))
