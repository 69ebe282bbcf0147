"""Generate demo dossier history through the lifecycle actions."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from demo.scans import demo_scan
from documents.models import Form
from documents.papers import issue
from documents.signing import SigningError
from dossiers.demo import generate
from dossiers.models import Channel, Dossier
from lib.progress import ProgressBar
from notify.delivery import history
from payments.demo import pay_at_desk


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
            self._examples()
            return
        # The messages of a year of made-up history are not sent at the demo's start: they
        # are written as `historical` (ADR 17); only what happens from now on is delivered.
        with history():
            n = generate(
                end=timezone.now(),
                days=options["days"],
                per_unit_day=options["per_unit_day"],
                progress=ProgressBar("Sinh hồ sơ minh họa"),
                # One small PDF through the gate, referenced by every demo attachment.
                scan=demo_scan(),
                before_return=pay_at_desk,
            )
        self.stdout.write(f"Đã sinh {n} hồ sơ qua các thao tác nghiệp vụ.")
        self._examples()

    def _examples(self) -> None:
        """Print a dossier a citizen can follow to its signed result, for the walkthrough."""
        online = (
            Dossier.objects.filter(channel=Channel.ONLINE, events__verb="approve")
            .exclude(public_secret="")
            .order_by("-received_at")
            .first()
        )
        if online is None:
            return
        try:
            issue(online, Form.RESULT, at=timezone.now())
        except SigningError as exc:
            self.stderr.write(exc.message)
        base = settings.PUBLIC_BASE_URL.rstrip("/")
        self.stdout.write(
            "Hồ sơ trực tuyến có kết quả điện tử ký số: "
            f"{online.code} (mã tra cứu {online.public_secret})\n"
            f"  Tra cứu: {base}/tra-cuu/#{online.code}.{online.public_secret}\n"
            f"  Kiểm tra chữ ký: {base}/verify/?code={online.code}"
        )
