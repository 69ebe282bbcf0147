"""The one gate every file goes through before the system keeps it (docs/adr/0012).

`admit(upload, by=..., allowed_types=...)` reads the upload once, in chunks: it counts the
bytes (refusing an empty file or one over UPLOAD_MAX_FILE_BYTES), computes SHA-256, keeps the
first bytes to decide the type by content (libmagic), and streams every chunk to clamd
(INSTREAM). Only when clamd calls the bytes clean and the type is allowed is the file written,
under a generated name, through Django's storage API (`STORAGES[UPLOAD_STORAGE]`: the file
system by default, an S3-compatible store by setting) and recorded as a `StoredFile` row.
Every refusal raises `Refused` with a machine `code` and a message for people; nothing is
stored then. An infected file is logged (who, what, SHA-256); clamd unreachable is a refusal
("try again later"), never a file kept unscanned.
"""

import contextlib
import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

import magic
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.clamd import Clamd, ClamdUnavailable, Verdict
from lib.ttl import TtlCache
from lib.validate import display_filename
from uploads.models import StoredFile

if TYPE_CHECKING:
    # The user model by its base class: this app sits below accounts (ADR 8).
    from django.contrib.auth.base_user import AbstractBaseUser as User

logger = logging.getLogger("uploads.gate")

CHUNK = 256 * 1024
# libmagic decides PDF, JPEG, PNG, ZIP, executables... from the first bytes.
HEAD_BYTES = 64 * 1024
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
TYPE_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

# Machine codes of a refusal, and the HTTP status a web door answers with.
STATUS = {
    "empty": 422,
    "too_large": 413,
    "type": 422,
    "infected": 422,
    "scanner_unavailable": 503,
    "missing": 422,
}


class Refused(Exception):
    """The gate refused a file: `code` for machines, `message` (translated) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        """The HTTP status a web door answers with (413 too large, 503 no scanner, else 422)."""
        return STATUS.get(self.code, 422)


def scanner() -> Clamd:
    """The clamd the settings name (CLAMD_SOCKET, else CLAMD_HOST and CLAMD_PORT)."""
    return Clamd(
        host=settings.CLAMD_HOST,
        port=settings.CLAMD_PORT,
        unix_socket=settings.CLAMD_SOCKET,
        timeout=settings.CLAMD_TIMEOUT,
    )


def upload_storage() -> Storage:
    """The storage admitted files go to (`STORAGES[UPLOAD_STORAGE]`)."""
    return storages[settings.UPLOAD_STORAGE]


_versions: TtlCache[str] = TtlCache("clamd-version", ttl=300)


def _engine_version(clamd: Clamd) -> str:
    # Recorded on each file (which signatures judged it); asked once every few minutes.
    def load() -> str | None:
        try:
            return clamd.version()
        except ClamdUnavailable:
            return None

    return _versions.get(repr(clamd), load) or "clamd"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def too_large(limit: int) -> Refused:
    """The refusal of a file over `limit` bytes (also used by the request-size guard)."""
    return Refused(
        "too_large", _("The file is larger than the %(mb)s MB allowed.") % {"mb": _mb(limit)}
    )


def _chunks(upload: Any) -> Iterator[bytes]:
    if hasattr(upload, "seek"):
        with contextlib.suppress(OSError, ValueError):  # a pipe: read it from where it is
            upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
        return
    while True:
        data = upload.read(CHUNK)
        if not data:
            return
        yield data


def _rewindable(upload: Any) -> bool:
    try:
        return bool(upload.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def admit(
    upload: Any,
    *,
    by: "User | None" = None,
    allowed_types: Iterable[str] | None = None,
    max_bytes: int | None = None,
    at: datetime | None = None,
) -> StoredFile:
    """Scan, type, hash and store one upload; return its `StoredFile` or raise `Refused`.

    `upload` is a Django `UploadedFile` or any binary file-like object (its `name`, if any, is
    kept sanitised for display). `allowed_types` defaults to UPLOAD_ALLOWED_TYPES; `max_bytes`
    lowers UPLOAD_MAX_FILE_BYTES (e.g. to what is left of a dossier's allowance).
    """
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if max_bytes is not None:
        limit = min(limit, max_bytes)
    allowed = set(allowed_types or settings.UPLOAD_ALLOWED_TYPES)
    original = display_filename(str(getattr(upload, "name", "") or ""))
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise too_large(limit)
    # A source that cannot be read twice is kept aside while it streams to clamd.
    if _rewindable(upload):
        return _admit(upload, None, limit, allowed, original, by, at or timezone.now())
    with tempfile.SpooledTemporaryFile(max_size=4 * CHUNK) as spool:
        return _admit(upload, spool, limit, allowed, original, by, at or timezone.now())


def _admit(
    upload: Any,
    spool: IO[bytes] | None,
    limit: int,
    allowed: set[str],
    original: str,
    by: "User | None",
    at: datetime,
) -> StoredFile:
    chunks = _chunks(upload)
    first = next((c for c in chunks if c), b"")
    if not first:
        raise Refused("empty", _("The file is empty."))
    clamd = scanner()
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    try:
        with clamd.stream() as stream:
            for chunk in _prepend(first, chunks):
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                stream.send(chunk)
                if spool is not None:
                    spool.write(chunk)
            verdict = stream.finish()
    except ClamdUnavailable as exc:
        logger.error("upload refused, scanner unavailable: %s (name=%r by=%s)", exc, original, by)
        raise Refused(
            "scanner_unavailable",
            _(
                "The virus scanner is not available right now, so the file was not accepted. "
                "Please try again later."
            ),
        ) from None
    sha = digest.hexdigest()
    if not verdict.clean:
        _log_infected(verdict, sha, size, original, by)
        raise Refused(
            "infected",
            _("The file contains malware (%(name)s) and was refused.")
            % {"name": verdict.signature},
        )
    content_type = magic.from_buffer(bytes(head), mime=True)
    if content_type not in allowed:
        logger.info("upload refused, type %s (name=%r sha256=%s)", content_type, original, sha)
        labels = ", ".join(sorted(TYPE_LABELS.get(t, t) for t in allowed))
        raise Refused(
            "type",
            _("Files of this type (%(type)s) are not accepted; send %(allowed)s.")
            % {"type": content_type, "allowed": labels},
        )
    source = spool if spool is not None else upload
    source.seek(0)
    return _store(source, sha, size, content_type, original, by, at, _engine_version(clamd))


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _log_infected(verdict: Verdict, sha: str, size: int, original: str, by: Any) -> None:
    # The audit-worthy line: who tried to bring what in.
    logger.warning(
        "upload refused, INFECTED signature=%s sha256=%s size=%d name=%r by=%s",
        verdict.signature,
        sha,
        size,
        original,
        getattr(by, "username", None) or "anonymous",
    )


def _store(
    source: Any,
    sha: str,
    size: int,
    content_type: str,
    original: str,
    by: "User | None",
    at: datetime,
    engine: str,
) -> StoredFile:
    storage = upload_storage()
    local = timezone.localtime(at)
    name = f"uploads/{local:%Y/%m}/{uuid.uuid4().hex}{EXTENSIONS.get(content_type, '.bin')}"
    wrapped = source if isinstance(source, File) else File(source, name=name)
    saved = storage.save(name, wrapped)
    try:
        return StoredFile.objects.create(
            name=saved,
            sha256=sha,
            size=size,
            content_type=content_type,
            original_name=original,
            created_at=at,
            uploaded_by_id=by.pk if by is not None and by.is_authenticated else None,
            scan_result=f"{engine}: OK"[:200],
            scanned_at=timezone.now(),
        )
    except BaseException:
        storage.delete(saved)  # no file without its row
        raise


def discard(stored: StoredFile) -> None:
    """Delete an admitted file nobody attached (a duplicate, or an attachment refused)."""
    upload_storage().delete(stored.name)
    stored.delete()


def open_stored(stored: StoredFile) -> File:
    """Open an admitted file for reading (the caller checks who may read it)."""
    return upload_storage().open(stored.name, "rb")
