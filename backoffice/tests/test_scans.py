"""Scans at the desk: attached at intake and on the dossier page, shown inline, through the gate."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dossiers.models import Attachment, Dossier
from lib.clamd import Clamd
from testing import files
from testing.api import INTAKE_FORM, login
from testing.clamd import stored_files
from testing.world import World
from uploads.models import StoredFile


def _pdf(name: str = "to-khai.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, files.pdf() if content is None else content, "application/pdf")


def test_intake_attaches_the_scans_and_the_page_shows_them(
    scanner: Clamd, world: World, client: Client
) -> None:
    login(client, "desk_a")
    form = client.get("/desk/intake/?procedure=1.001193").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="scan-1"' in form
    data = {
        **INTAKE_FORM,
        "scan-1": _pdf(),
        "scan-other": [SimpleUploadedFile("anh.png", files.png(), "image/png")],
    }
    r = client.post("/desk/intake/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    d = Dossier.objects.get()
    rows = list(Attachment.objects.filter(dossier=d).order_by("document"))
    assert [(a.document, a.file.content_type) for a in rows] == [
        (1, "application/pdf"),
        (None, "image/png"),
    ] or [(a.document, a.file.content_type) for a in rows] == [
        (None, "image/png"),
        (1, "application/pdf"),
    ]
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    for a in rows:
        assert a.sha256[:12] in page
        assert f"/desk/dossiers/{d.code}/attachments/{a.pk}" in page
    assert '<img class="scan"' in page

    pdf = next(a for a in rows if a.document == 1)
    shown = client.get(f"/desk/dossiers/{d.code}/attachments/{pdf.pk}")
    assert shown.status_code == 200
    assert shown["Content-Disposition"] == f'inline; filename="{d.code}-{pdf.pk}.pdf"'
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Type"] == "application/pdf"

    # Another ward's desk sees neither the page nor the file.
    other = login(Client(), "desk_b")
    assert other.get(f"/desk/dossiers/{d.code}/attachments/{pdf.pk}").status_code == 404


def test_a_refused_scan_at_intake_files_nothing(
    scanner: Clamd, world: World, client: Client
) -> None:
    login(client, "desk_a")
    data = {**INTAKE_FORM, "scan-1": _pdf(), "scan-other": [_pdf("x.pdf", files.EICAR)]}
    r = client.post("/desk/intake/", data)
    assert r.status_code == 200
    assert "mã độc" in r.content.decode()
    assert Dossier.objects.count() == 0 and StoredFile.objects.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.parametrize(
    ("content", "ok"),
    [(files.pdf(), True), (files.exe(), False), (b"", False)],
    ids=["pdf", "exe", "empty"],
)
def test_attach_from_the_dossier_page(
    scanner: Clamd, world: World, client: Client, content: bytes, ok: bool
) -> None:
    login(client, "desk_a")
    assert client.post("/desk/intake/", INTAKE_FORM).status_code == 302
    d = Dossier.objects.get()
    r = client.post(
        f"/desk/dossiers/{d.code}/attachments/",
        {"document": "1", "file": _pdf("scan.pdf", content) if content else _pdf("e.pdf", b"")},
        follow=True,
    )
    assert r.status_code == 200
    assert Attachment.objects.filter(dossier=d).exists() is ok
    assert StoredFile.objects.count() == int(ok)
