"""Send an admitted file back: typed as the gate decided, never sniffed, under a given name."""

from django.http import FileResponse

from uploads.gate import EXTENSIONS, open_stored
from uploads.models import StoredFile


def stored_response(stored: StoredFile, stem: str, *, inline: bool) -> FileResponse:
    """The file's bytes as `<stem><extension>` (a name the caller generates, never the
    uploader's), inline (shown in the browser) or as a download. The caller checks access."""
    response = FileResponse(
        open_stored(stored),
        content_type=stored.content_type,
        as_attachment=not inline,
        filename=f"{stem}{EXTENSIONS.get(stored.content_type, '.bin')}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal papers: not kept by shared caches, nor by the browser after the session.
    response["Cache-Control"] = "private, no-store"
    return response
