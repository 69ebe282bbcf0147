"""Form 07, the tracking book: the same rows in PDF and XLSX, for a unit and period."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import World
from testing.api import bearer
from testing.dossiers import book_history as history

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_book_pdf_and_xlsx_through_the_api(world: World, client: Client, tmp_path: Path) -> None:
    a, b = history(world)
    auth = bearer(client, "desk_a")
    url = "/api/v1/units/30001/tracking-book"
    params = {"from": "2026-03-01", "to": "2026-03-31"}
    x = client.get(url, {**params, "format": "xlsx"}, **auth)
    assert x.status_code == 200, x.content[:300]
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws is not None
    cells = list(ws.iter_rows(values_only=True))
    head = next(i for i, row in enumerate(cells) if row[0] == "STT")
    assert cells[head][1] == "Mã hồ sơ"
    data = cells[head + 2 :]  # the 2025 layout's headings take two rows
    assert [row[1] for row in data] == [a, b]
    assert data[0][5] == "Văn phòng HĐND và UBND"  # the lead agency, not the unit
    online = client.get(url, {**params, "format": "xlsx", "channel": "online"}, **auth)
    ws2 = load_workbook(io.BytesIO(online.content)).active
    assert ws2 is not None
    assert [row[1] for row in list(ws2.iter_rows(values_only=True))[head + 2 :]] == [b]
    pdf = client.get(url, {**params, "format": "pdf"}, **auth)
    assert pdf["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.skip("!!! pdftotext (poppler-utils) is not installed; make test installs it !!!")
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    for needle in [
        "SỔ THEO DÕI HỒ SƠ",
        "Phường An Bình",
        "UBND PHƯỜNG AN BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Quyển số: 2026",
        # The test desk's long code wraps in its column; its date and number stay together.
        a.split("-", 1)[1],
        b.split("-", 1)[1],
        "Nguyễn Văn A",
        "Trang 1/1",
        "Mẫu số 07",
    ]:
        assert "".join(needle.split()) in compact, needle
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(path),
                str(SHOTS / "form07-book"),
            ],
            check=True,
        )


def test_book_bad_input(world: World, client: Client) -> None:
    auth = bearer(client, "desk_a")
    r = client.get(
        "/api/v1/units/30001/tracking-book", {"from": "2026-03-31", "to": "2026-03-01"}, **auth
    )
    assert r.status_code == 422 and "trước khi bắt đầu" in r.json()["detail"]
    r = client.get(
        "/api/v1/units/99999/tracking-book", {"from": "2026-03-01", "to": "2026-03-31"}, **auth
    )
    assert r.status_code == 404
    r = client.get(
        "/api/v1/units/30002/tracking-book", {"from": "2026-03-01", "to": "2026-03-31"}, **auth
    )
    assert r.status_code == 403
    r = client.get(
        "/api/v1/units/30001/tracking-book",
        {"from": "2026-03-01", "to": "2026-03-31", "format": "doc"},
        **auth,
    )
    assert r.status_code == 422


def test_book_page_for_the_desk(world: World, client: Client) -> None:
    history(world)
    client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    page = client.get("/desk/book/")
    assert page.status_code == 200 and "Sổ theo dõi hồ sơ" in page.content.decode()
    unit = str(world.ward_a.pk)
    r = client.get(
        "/desk/book/", {"unit": unit, "start": "2026-03-01", "end": "2026-03-31", "format": "xlsx"}
    )
    assert r["Content-Disposition"].endswith('.xlsx"')
    bad = client.get("/desk/book/", {"unit": unit, "start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 200 and "trước" in bad.content.decode()
