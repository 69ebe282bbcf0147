"""Import a procedure catalog file (JSON, CSV or XLSX): all rows or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.actions import import_records
from catalog.io import CatalogFormatError, read_catalog
from catalog.models import Field
from lib.progress import ProgressBar
from orgs.models import AgencyKind


class Command(BaseCommand):
    help = "Import a procedure catalog file; a file with any bad row writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        try:
            report = read_catalog(
                path.read_bytes(),
                path.name,
                known_agency_kinds=set(AgencyKind.objects.values_list("code", flat=True)),
                known_fields=dict(Field.objects.values_list("code", "name")),
                progress=ProgressBar("Kiểm tra") if options["verbosity"] > 0 else None,
            )
        except CatalogFormatError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for where, message in report.errors:
                self.stderr.write(f"{where}: {message}")
            raise CommandError(
                f"Tệp có {len(report.errors)} lỗi; không ghi thủ tục nào vào hệ thống."
            )
        result = import_records(report.records)
        self.stdout.write(
            f"Đã nhập {len(report.records)} thủ tục: {result.created} mới, "
            f"{result.versioned} có phiên bản mới, {result.unchanged} không đổi."
        )
