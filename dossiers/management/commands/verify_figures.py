"""Prove the figures equal a recomputation from the event rows (and that no chain is broken)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Dossier
from dossiers.replay import verify
from lib.progress import ProgressBar


class Command(BaseCommand):
    help = "Replay every dossier's events; report any stored figure field that disagrees."

    def handle(self, *args: Any, **options: Any) -> None:
        show = options["verbosity"] > 0
        problems = verify(Dossier.objects.all(), progress=ProgressBar("Kiểm tra") if show else None)
        for code, problem in problems[:200]:
            self.stderr.write(f"{code}: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} sai lệch giữa dữ liệu hồ sơ và nhật ký xử lý.")
        self.stdout.write(f"Đã kiểm tra {Dossier.objects.count()} hồ sơ: khớp với nhật ký xử lý.")
