"""POST/GET /api/v1/dossiers/{code}/attachments: every file through the gate; the bad-input list."""

import hashlib
import logging
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dossiers.actions import verify_chain
from dossiers.models import Attachment, Dossier
from dossiers.replay import verify
from lib.clamd import Clamd
from testing import files
from testing.api import bearer
from testing.clamd import free_port, stored_files
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World
from testing.wsgi import CountingInput, multipart_head, raw_post
from uploads.models import StoredFile


@pytest.fixture
def dossier(world: World) -> Dossier:
    return intake(world, vn(2026, 3, 2, 9, 0))


def _post(
    client: Client, d: Dossier, content: bytes, name: str = "to-khai.pdf", **data: Any
) -> Any:
    body = {"file": SimpleUploadedFile(name, content, "application/pdf"), **data}
    return client.post(f"/api/v1/dossiers/{d.code}/attachments", body, **bearer(client, "desk_a"))


def _list(client: Client, d: Dossier, who: str = "desk_a") -> Any:
    return client.get(f"/api/v1/dossiers/{d.code}/attachments", **bearer(client, who))


def _nothing_kept(client: Client, d: Dossier) -> None:
    assert _list(client, d).json() == []
    assert StoredFile.objects.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_attach_list_and_download(scanner: Clamd, client: Client, dossier: Dossier) -> None:
    content = files.pdf(100_000)
    r = _post(client, dossier, content, document=1)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["size"], body["content_type"], body["document"]) == (
        len(content),
        "application/pdf",
        1,
    )
    assert body["original_name"] == "to-khai.pdf"
    assert [a["id"] for a in _list(client, dossier).json()] == [body["id"]]

    got = client.get(
        f"/api/v1/dossiers/{dossier.code}/attachments/{body['id']}", **bearer(client, "desk_a")
    )
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == content  # type: ignore[attr-defined]
    assert got["Content-Type"] == "application/pdf"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"] == f'attachment; filename="{dossier.code}-{body["id"]}.pdf"'

    # The attachment is an event of the keyed chain; the figures still replay.
    dossier.refresh_from_db()
    event = dossier.events.order_by("seq").last()
    assert event is not None and event.verb == "attach"
    assert event.payload["sha256"] == body["sha256"]
    assert verify_chain(dossier)
    assert verify(Dossier.objects.filter(pk=dossier.pk)) == []


def test_the_same_content_twice_is_one_attachment(
    scanner: Clamd, client: Client, dossier: Dossier
) -> None:
    content = files.pdf()
    first = _post(client, dossier, content, document=1)
    again = _post(client, dossier, content, "ban-sao.pdf", document=1)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert StoredFile.objects.count() == 1
    assert len(stored_files(Path(settings.MEDIA_ROOT))) == 1
    # For another document (or none), the same content is another attachment.
    assert _post(client, dossier, content).status_code == 201
    assert Attachment.objects.filter(dossier=dossier).count() == 2


def test_who_may_not_see_the_dossier_gets_nothing(
    scanner: Clamd, client: Client, dossier: Dossier
) -> None:
    r = _post(client, dossier, files.pdf(), document=1)
    url = f"/api/v1/dossiers/{dossier.code}/attachments"
    other = bearer(client, "desk_b")
    assert client.get(url, **other).status_code == 404
    assert client.get(f"{url}/{r.json()['id']}", **other).status_code == 404
    posted = client.post(url, {"file": SimpleUploadedFile("x.pdf", files.pdf())}, **other)
    assert posted.status_code == 404
    assert client.get(url).status_code == 401
    assert StoredFile.objects.count() == 1


def test_an_unknown_document_position_is_refused(
    scanner: Clamd, client: Client, dossier: Dossier
) -> None:
    r = _post(client, dossier, files.pdf(), document=7)
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")
    _nothing_kept(client, dossier)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (files.EICAR, "eicar.pdf", "infected"),
        (files.pdf(4000) + files.EICAR, "hop-le.pdf", "infected"),
        (files.zip_bomb(), "bomb.zip", "type"),
        (files.zip_bomb(), "ho-so.pdf", "type"),
        (files.exe(), "don-de-nghi.pdf", "type"),
        (b"", "rong.pdf", "empty"),
    ],
    ids=["eicar", "eicar-in-pdf", "zip-bomb", "zip-named-pdf", "exe-named-pdf", "empty"],
)
def test_bad_files_are_refused_and_nothing_is_kept(
    scanner: Clamd,
    client: Client,
    dossier: Dossier,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
    name: str,
    code: str,
) -> None:
    with caplog.at_level(logging.INFO, logger="uploads.gate"):
        r = _post(client, dossier, content, name, document=1)
    assert r.status_code == 422, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json()["code"] == code
    _nothing_kept(client, dossier)
    if code == "infected":
        assert "INFECTED" in caplog.text and hashlib.sha256(content).hexdigest() in caplog.text


def test_clamd_down_is_503_try_again_later(
    scanner: Clamd, client: Client, dossier: Dossier, settings: Any
) -> None:
    settings.CLAMD_PORT = free_port()
    r = _post(client, dossier, files.pdf(), document=1)
    assert r.status_code == 503
    assert r.json()["code"] == "scanner_unavailable"
    assert "thử lại sau" in r.json()["detail"]
    _nothing_kept(client, dossier)


def test_names_are_sanitised_and_files_stored_under_generated_names(
    scanner: Clamd, client: Client, dossier: Dossier
) -> None:
    for name, kept in [
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),
        ("a\x07b\x1f.pdf", "ab.pdf"),
    ]:
        r = _post(client, dossier, files.pdf(seed=name.encode()), name)
        assert r.status_code == 201, r.content
        assert r.json()["original_name"] == kept
    root = Path(settings.MEDIA_ROOT).resolve()
    kept_files = stored_files(root)
    assert len(kept_files) == 4
    for path in kept_files:
        assert path.resolve().is_relative_to(root / "uploads")
        assert len(path.stem) == 32 and path.suffix == ".pdf"  # a generated hex name


def test_a_dossier_holds_at_most_its_allowance(
    scanner: Clamd, client: Client, dossier: Dossier, settings: Any
) -> None:
    settings.UPLOAD_MAX_DOSSIER_BYTES = 250_000
    assert _post(client, dossier, files.pdf(150_000)).status_code == 201
    r = _post(client, dossier, files.pdf(150_000))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert _post(client, dossier, files.pdf(100_000)).status_code == 201
    r = _post(client, dossier, files.pdf(1000))
    assert r.status_code == 422
    assert len(_list(client, dossier).json()) == 2
    assert StoredFile.objects.count() == 2


def test_a_200_mb_upload_is_refused_before_it_is_read(
    client: Client, dossier: Dossier, settings: Any
) -> None:
    size = 200 * 1024 * 1024
    body = CountingInput(multipart_head(), size)
    url = f"/api/v1/dossiers/{dossier.code}/attachments"
    status, out = raw_post(url, body, size, bearer(client, "desk_a"))
    assert status == 413 and b"too_large" in out
    assert body.read_bytes == 0
    assert Attachment.objects.count() == 0


def test_a_body_that_outgrows_the_file_limit_stops_being_read(
    scanner: Clamd, client: Client, dossier: Dossier, settings: Any
) -> None:
    # The request declares less than the dossier's allowance, but its file passes the
    # per-file limit: reading stops there.
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    size = 8 * 1024 * 1024
    body = CountingInput(multipart_head(), size)
    url = f"/api/v1/dossiers/{dossier.code}/attachments"
    status, out = raw_post(url, body, size, bearer(client, "desk_a"))
    assert status == 413, out
    assert body.read_bytes < 2 * 1024 * 1024
    assert StoredFile.objects.count() == 0
