"""Report every kind of tampering with the audit trail that ADR 9 detects; exit 1 on any."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.verify import verify_all
from lib.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Recompute every dossier's keyed chain and state digest, and compare the dossiers with "
        "the last signed checkpoint; report each finding with its dossier code."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        show = options["verbosity"] > 0
        findings = verify_all(progress=ProgressBar("Kiểm tra") if show else None)
        for code, problem in findings.problems:
            self.stderr.write(f"{code}: {problem}")
        if findings.checkpoint is None:
            self.stderr.write(
                _(
                    "No signed checkpoint found: deleted dossiers and rolled-back chains "
                    "cannot be detected."
                )
            )
        if findings.problems:
            raise CommandError(_("%(n)s audit trail findings.") % {"n": len(findings.problems)})
        self.stdout.write(
            _("%(n)s dossiers checked: every chain and state digest is intact.")
            % {"n": findings.checked}
        )
        if findings.checkpoint is not None:
            self.stdout.write(
                _("Consistent with checkpoint %(name)s (%(count)s dossiers).")
                % {
                    "name": findings.checkpoint.path.name,
                    "count": findings.checkpoint.dossier_count,
                }
            )
