"""Write a demo CA and one signing certificate per unit where the settings look for them."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from documents.pki import make_agency, make_ca, write_pem, write_pkcs12
from orgs.models import Unit


class Command(BaseCommand):
    help = "Create the demo CA and agency certificates (PKCS#12) for signing electronic results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="replace existing files")

    def handle(self, *args: Any, **options: Any) -> None:
        roots = [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
        default = Path(settings.SIGNING_PKCS12)
        if roots and roots[0].exists() and default.exists() and not options["force"]:
            self.stdout.write(f"Demo certificates already in place ({default}).")
            return
        if not roots:
            self.stderr.write("SIGNING_TRUST_ROOTS is empty: nowhere to write the demo CA.")
            return
        password = settings.SIGNING_PKCS12_PASSWORD
        ca = make_ca()
        write_pem(roots[0], ca.cert)
        write_pkcs12(default, make_agency(ca, "UBND tỉnh (chứng thư thử nghiệm)"), ca, password)
        count = 0
        if settings.SIGNING_PKCS12_DIR:
            for unit in Unit.objects.filter(valid_until__isnull=True):
                name = f"UBND {unit.name[:1].lower()}{unit.name[1:]}"
                path = Path(settings.SIGNING_PKCS12_DIR) / f"{unit.code}.p12"
                write_pkcs12(path, make_agency(ca, name), ca, password)
                count += 1
        self.stdout.write(
            f"Demo CA {roots[0]}; agency certificate {default}; {count} unit certificates."
        )
