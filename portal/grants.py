"""Lookup grants: proof, kept in the browser's session, that it gave a dossier's code and PIN.

The PIN is sent once, in the body of a POST (never in a URL, so never in an access log); the
answer records a grant for that dossier in the session for LOOKUP_GRANT_MINUTES and redirects
to the status page, whose address holds the code only. The result PDF is served on the same
grant (ADR 13).
"""

from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

SESSION_KEY = "portal_lookup_grants"
MAX_GRANTS = 20  # a session never holds more than this many dossiers (oldest dropped)


def _live(request: HttpRequest, at: datetime) -> dict[str, int]:
    grants = request.session.get(SESSION_KEY) or {}
    now = int(at.timestamp())
    return {code: until for code, until in grants.items() if until > now}


def grant(request: HttpRequest, code: str, *, at: datetime) -> None:
    """Let this session open dossier `code`'s status page for LOOKUP_GRANT_MINUTES."""
    grants = _live(request, at)
    grants.pop(code, None)
    grants[code] = int((at + timedelta(minutes=settings.LOOKUP_GRANT_MINUTES)).timestamp())
    while len(grants) > MAX_GRANTS:
        grants.pop(next(iter(grants)))
    if SESSION_KEY not in request.session:
        # A new session key the moment it starts to hold a grant: a session id planted
        # beforehand (fixation) gains nothing.
        request.session.cycle_key()
    request.session[SESSION_KEY] = grants


def granted(request: HttpRequest, code: str, *, at: datetime) -> bool:
    """Whether this session may see dossier `code` (the code as stored)."""
    return code in _live(request, at)


def no_store(view: Any) -> Any:
    """Mark a page no cache may keep (the browser's, a proxy's, the service worker's).

    The pages that show a dossier also send "Referrer-Policy: no-referrer" (portal.lookup);
    not the ones with a form: under no-referrer a browser posts "Origin: null", which the CSRF
    check refuses.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper
