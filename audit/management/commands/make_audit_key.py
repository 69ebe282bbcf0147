"""Write a random audit chain key to AUDIT_KEY_FILE for a demo or a first install (ADR 9).

Never replaces an existing key: chains made under it would no longer verify. Does nothing when
AUDIT_KEY is set in the environment.
"""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the audit chain's HMAC key file (AUDIT_KEY_FILE) if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.AUDIT_KEY:
            self.stdout.write("AUDIT_KEY is set in the environment; no key file written.")
            return
        if not settings.AUDIT_KEY_FILE:
            raise CommandError("AUDIT_KEY_FILE is empty: nowhere to write the key.")
        path = Path(settings.AUDIT_KEY_FILE)
        if path.exists():
            self.stdout.write(f"Audit key {path} already exists; not replaced.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only, before the key is written into it.
        fd = path.open("x")
        path.chmod(0o600)
        with fd:
            fd.write(secrets.token_hex(32) + "\n")
        self.stdout.write(
            f"Audit key written to {path}. Chains made before it: `manage.py rekey_audit_chains "
            "--yes` (ADR 9)."
        )
