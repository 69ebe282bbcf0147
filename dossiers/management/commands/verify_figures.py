"""Prove the figures equal a recomputation from the event rows (and that no chain is broken),
and that the report's stored counters equal a recount from the dossier rows."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dossiers.digitization import stale_flags
from dossiers.figures import verify_counters
from dossiers.models import Dossier
from dossiers.replay import verify
from lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Replay every dossier's events; report any stored figure field that disagrees, and any "
        "report counter that disagrees with a recount from the dossiers."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        show = options["verbosity"] > 0
        problems = verify(Dossier.objects.all(), progress=ProgressBar("Kiểm tra") if show else None)
        # The counters are checked against the digitisation flags; the flags against the files.
        problems += stale_flags()
        for code, problem in problems[:200]:
            self.stderr.write(f"{code}: {problem}")
        counters = verify_counters()
        for group, problem in counters[:200]:
            self.stderr.write(f"{group}: {problem}")
        failures = []
        if problems:
            failures.append(f"{len(problems)} sai lệch giữa dữ liệu hồ sơ và nhật ký xử lý.")
        if counters:
            failures.append(
                _("%(n)s report counters disagree with a recount from the dossiers.")
                % {"n": len(counters)}
            )
        if failures:
            raise CommandError(" ".join(failures))
        self.stdout.write(f"Đã kiểm tra {Dossier.objects.count()} hồ sơ: khớp với nhật ký xử lý.")
        self.stdout.write(_("The report counters equal a recount from the dossiers."))
