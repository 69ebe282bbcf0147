"""The citizen's way into a dossier's public pages, for tests: code and PIN posted, never in
a URL (portal.lookup, ADR 13)."""

from typing import Any

from django.test import Client

from dossiers.models import Dossier


def look_up(client: Client, code: str, pin: str, **extra: Any) -> Any:
    """POST code and PIN to the lookup form; a match answers 302 to the status page."""
    return client.post("/tra-cuu/", {"code": code, "pin": pin}, **extra)


def open_status(client: Client, dossier: Dossier, **extra: Any) -> Any:
    """Look the dossier up with its receipt and return its status page."""
    r = look_up(client, dossier.code, dossier.public_secret, **extra)
    assert r.status_code == 302, r.status_code
    return client.get(r["Location"], **extra)
