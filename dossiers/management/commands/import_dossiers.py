"""Import dossier history from a CSV or XLSX file: every row valid, or nothing written."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossiers.importer import ImportFormatError, read_history, write_history
from lib.progress import ProgressBar


class Command(BaseCommand):
    help = "Import dossiers from the previous system (format: docs/import-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        show = options["verbosity"] > 0
        try:
            report = read_history(
                path.read_bytes(), path.name, progress=ProgressBar("Kiểm tra") if show else None
            )
        except ImportFormatError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for line, message in report.errors:
                self.stderr.write(f"Dòng {line}: {message}")
            raise CommandError(
                f"Tệp có {len(report.errors)} lỗi; không ghi hồ sơ nào vào hệ thống."
            )
        n = write_history(report.planned, progress=ProgressBar("Ghi") if show else None)
        self.stdout.write(f"Đã nhập {n} hồ sơ.")
