"""Generate demo dossier history through the lifecycle actions."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dossiers.demo import generate
from dossiers.models import Dossier
from lib.progress import ProgressBar


class Command(BaseCommand):
    help = "Generate a year of demo dossiers through the real actions (skipped if any exist)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--per-unit-day", type=float, default=0.5, help="mean arrivals per unit and working day"
        )
        parser.add_argument("--force", action="store_true", help="add history even if some exists")

    def handle(self, *args: Any, **options: Any) -> None:
        if Dossier.objects.exists() and not options["force"]:
            self.stdout.write("Đã có hồ sơ; bỏ qua việc sinh lịch sử (dùng --force để thêm).")
            return
        n = generate(
            end=timezone.now(),
            days=options["days"],
            per_unit_day=options["per_unit_day"],
            progress=ProgressBar("Sinh hồ sơ minh họa"),
        )
        self.stdout.write(f"Đã sinh {n} hồ sơ qua các thao tác nghiệp vụ.")
