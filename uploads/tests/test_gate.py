"""The gate: what it admits is scanned, typed by content, hashed and stored; nothing else is."""

import hashlib
import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from lib.clamd import Clamd
from testing import files
from testing.clamd import free_port, stored_files
from uploads.gate import Refused, admit, discard, open_stored
from uploads.models import StoredFile

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _nothing_kept() -> None:
    assert StoredFile.objects.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_a_clean_pdf_is_stored_under_a_generated_name(scanner: Clamd) -> None:
    content = files.pdf(300_000)
    stored = admit(_upload(content, "Tờ khai.pdf"))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "Tờ khai.pdf"
    assert "Tờ" not in stored.name and stored.name.startswith("uploads/")
    assert stored.name.endswith(".pdf")
    assert stored.scan_result.endswith(": OK") and "ClamAV" in stored.scan_result
    with open_stored(stored) as f:
        assert f.read() == content
    discard(stored)
    _nothing_kept()


@pytest.mark.parametrize(
    ("content", "kind"),
    [(files.png(), "image/png"), (files.jpeg(), "image/jpeg")],
    ids=["png", "jpeg"],
)
def test_images_are_typed_by_content(scanner: Clamd, content: bytes, kind: str) -> None:
    stored = admit(_upload(content, "scan.pdf"))  # the name says PDF; the bytes decide
    assert stored.content_type == kind


def test_a_file_like_object_that_cannot_rewind_is_admitted(scanner: Clamd) -> None:
    content = files.pdf(3 * 1024 * 1024)

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.inner = io.BytesIO(content)

        def readable(self) -> bool:
            return True

        def readinto(self, b: Any) -> int:
            data = self.inner.read(len(b))
            b[: len(data)] = data
            return len(data)

    stored = admit(io.BufferedReader(Pipe()))
    with open_stored(stored) as f:
        assert f.read() == content
    assert stored.original_name == "file"


def test_eicar_is_refused_logged_and_not_kept(
    scanner: Clamd, caplog: pytest.LogCaptureFixture, world: Any
) -> None:
    with caplog.at_level(logging.WARNING, logger="uploads.gate"), pytest.raises(Refused) as refused:
        admit(_upload(files.EICAR, "hoa-don.pdf"), by=world.desk_a)
    assert refused.value.code == "infected" and refused.value.status == 422
    _nothing_kept()
    line = " ".join(r.getMessage() for r in caplog.records)
    assert "INFECTED" in line and hashlib.sha256(files.EICAR).hexdigest() in line
    assert world.desk_a.username in line and "hoa-don.pdf" in line


def test_eicar_inside_a_pdf_is_refused(scanner: Clamd) -> None:
    with pytest.raises(Refused) as refused:
        admit(_upload(files.pdf(5000) + files.EICAR + b"\n%%EOF"))
    assert refused.value.code == "infected"
    _nothing_kept()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (files.exe(), "don.pdf"),
        (files.zip_bomb(), "bomb.zip"),
        (files.zip_bomb(), "ho-so.pdf"),
        (b"just text, named as a PDF", "x.pdf"),
    ],
    ids=["exe-renamed-pdf", "zip-bomb", "zip-named-pdf", "text"],
)
def test_other_types_are_refused_whatever_the_name(
    scanner: Clamd, content: bytes, name: str
) -> None:
    with pytest.raises(Refused) as refused:
        admit(_upload(content, name))
    assert refused.value.code == "type"
    _nothing_kept()


def test_an_empty_file_is_refused(scanner: Clamd) -> None:
    with pytest.raises(Refused) as refused:
        admit(_upload(b""))
    assert refused.value.code == "empty"
    _nothing_kept()


def test_a_file_over_the_limit_is_refused(scanner: Clamd, settings: Any) -> None:
    settings.UPLOAD_MAX_FILE_BYTES = 100_000
    with pytest.raises(Refused) as refused:
        admit(io.BytesIO(files.pdf(100_001)))
    assert refused.value.code == "too_large" and refused.value.status == 413
    with pytest.raises(Refused):
        admit(io.BytesIO(files.pdf(50_000)), max_bytes=40_000)
    _nothing_kept()
    assert admit(io.BytesIO(files.pdf(100_000))).size == 100_000


def test_clamd_unreachable_refuses_and_keeps_nothing(
    scanner: Clamd, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLAMD_PORT = free_port()
    with pytest.raises(Refused) as refused:
        admit(_upload(files.pdf()))
    assert refused.value.code == "scanner_unavailable" and refused.value.status == 503
    assert "thử lại sau" in refused.value.message
    _nothing_kept()
    assert "scanner unavailable" in caplog.text


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\a.pdf", "a.pdf"),
        ("bao\x00cao\x1b[31m.pdf", "baocao[31m.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),
        ("\u2066x\u2069.pdf", "x.pdf"),
        ("../", "file"),
    ],
)
def test_names_are_sanitised_and_never_used_for_storage(
    scanner: Clamd, name: str, kept: str
) -> None:
    upload = io.BytesIO(files.pdf())
    upload.name = name
    stored = admit(upload)
    assert stored.original_name == kept
    root = Path(settings.MEDIA_ROOT)
    (path,) = stored_files(root)
    assert path.resolve().is_relative_to(root.resolve())
    # The stored name is generated: 32 hex digits and the extension of the detected type
    # (a random name may end in "a.pdf" by chance, so compare the shape, not a substring).
    assert path.name == Path(stored.name).name
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", path.name)
