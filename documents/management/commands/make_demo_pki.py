"""Write a demo CA and one signing certificate per unit where the settings look for them.

Never replaces an existing file unless told to (--force): pointed by mistake at a production
directory, it must not overwrite real agency keys or the trusted roots.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.pki import Issued, make_agency, make_ca, write_pem, write_pkcs12
from orgs.models import Unit


class Command(BaseCommand):
    help = "Create the demo CA and agency certificates (PKCS#12) for signing electronic results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="replace existing files")

    def handle(self, *args: Any, **options: Any) -> None:
        roots = [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
        if not roots:
            raise CommandError("SIGNING_TRUST_ROOTS is empty: nowhere to write the demo CA.")
        force = options["force"]
        default = Path(settings.SIGNING_PKCS12)
        units = (
            [
                (Path(settings.SIGNING_PKCS12_DIR) / f"{u.code}.p12", u.name)
                for u in Unit.objects.filter(valid_until__isnull=True)
            ]
            if settings.SIGNING_PKCS12_DIR
            else []
        )
        targets = [roots[0], default, *(path for path, _name in units)]
        existing = [p for p in targets if p.exists()]
        if existing and not force:
            if roots[0].exists():
                self.stdout.write(
                    f"Certificates already in place ({len(existing)} files); nothing replaced "
                    "(--force replaces them)."
                )
                return
            raise CommandError(
                f"{existing[0]} exists but the CA {roots[0]} does not: refusing to issue "
                "certificates from a new demo CA next to it. Use --force for a demo install."
            )
        password = settings.SIGNING_PKCS12_PASSWORD
        ca: Issued = make_ca()
        write_pem(roots[0], ca.cert)
        write_pkcs12(default, make_agency(ca, "UBND tỉnh (chứng thư thử nghiệm)"), ca, password)
        for path, name in units:
            write_pkcs12(path, make_agency(ca, f"UBND {name[:1].lower()}{name[1:]}"), ca, password)
        self.stdout.write(
            f"Demo CA {roots[0]}; agency certificate {default}; {len(units)} unit certificates."
        )
