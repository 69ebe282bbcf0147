"""Refuse an oversized upload before its body is read, on every door (docs/adr/0012).

`UploadLimitMiddleware` (early in MIDDLEWARE, before CSRF reads the form) looks at each
multipart request: one that declares (Content-Length) more than its limit is answered 413 at
once, without reading a byte of the body; for the others it installs `LimitedUploadHandler`,
which stops reading as soon as a file passes UPLOAD_MAX_FILE_BYTES or the body passes the
limit (a client may lie about the length, or send it in chunks), and marks the request so the
view answers 413 (`truncated(request)`).

The limit is UPLOAD_MAX_DOSSIER_BYTES unless the view says otherwise with `@body_limit(...)`
(e.g. /verify's 20 MB).
"""

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from uploads.gate import too_large

# The multipart boundaries and the other fields of a form around the files.
ENVELOPE_BYTES = 64 * 1024
_ATTRIBUTE = "upload_body_limit"
_TRUNCATED = "_upload_truncated"

V = TypeVar("V", bound=Callable[..., Any])


Respond = Callable[[HttpRequest, int], HttpResponse]


def body_limit(
    limit: int | Callable[[], int], respond: "Respond | None" = None
) -> Callable[[V], V]:
    """Give a view its own body limit in bytes (a number, or a function read per request),
    and optionally its own 413 page (`respond(request, limit)`)."""

    def mark(view: V) -> V:
        setattr(view, _ATTRIBUTE, (limit, respond))
        return view

    return mark


def _limit_of(view: Any) -> tuple[int, "Respond"]:
    own = getattr(view, _ATTRIBUTE, None)
    if own is None:
        return int(settings.UPLOAD_MAX_DOSSIER_BYTES), too_large_response
    limit, respond = own
    return int(limit() if callable(limit) else limit), respond or too_large_response


def declared_length(request: HttpRequest) -> int:
    """The body length the client declared (0 when absent or unreadable)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def truncated(request: HttpRequest) -> bool:
    """Tell whether `LimitedUploadHandler` stopped reading this request's body."""
    return bool(getattr(request, _TRUNCATED, False))


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """413 as problem+json for the API, as plain text elsewhere."""
    message = too_large(limit).message
    if request.path.startswith("/api/"):
        # The API's problem+json body (api/problems.py), without importing the web layer.
        body = {
            "type": "https://motcua.example/problems/too-large",
            "title": _("File too large"),
            "status": 413,
            "detail": message,
            "instance": request.get_full_path(),
            "code": "too_large",
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=413,
            content_type="application/problem+json; charset=utf-8",
        )
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    return response


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading a multipart body once a file or the whole body passes its limit."""

    def __init__(self, request: HttpRequest, body_limit: int, file_limit: int) -> None:
        super().__init__(request)
        self.body_limit = body_limit
        self.file_limit = file_limit
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        if start + len(raw_data) > self.file_limit or self.total > self.body_limit:
            assert self.request is not None
            setattr(self.request, _TRUNCATED, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    """413 before reading for a declared oversized body; a limited reader for the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if not (request.content_type or "").startswith("multipart/"):
            return None
        limit, respond = _limit_of(view)
        if declared_length(request) > limit + ENVELOPE_BYTES:
            return respond(request, limit)
        file_limit = min(int(settings.UPLOAD_MAX_FILE_BYTES), limit)
        request.upload_handlers.insert(
            0, LimitedUploadHandler(request, limit + ENVELOPE_BYTES, file_limit)
        )
        return None
