"""Export the catalog in force as JSON, CSV or XLSX."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from catalog.actions import published_records
from catalog.io import write_catalog


class Command(BaseCommand):
    help = "Export the published version of every procedure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="output path; its extension picks the format")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        fmt = path.suffix.lstrip(".").lower()
        if fmt not in {"json", "csv", "xlsx"}:
            fmt = "json"
        records = published_records()
        path.write_bytes(write_catalog(records, fmt))
        self.stdout.write(f"Đã xuất {len(records)} thủ tục ra {path}")
