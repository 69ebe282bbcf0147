"""Form 01: every field the circular lists, correct diacritics, a QR code to the public status."""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client

from conftest import World
from documents.models import IssuedDocument
from documents.papers import public_status_url
from testing.clock import VN
from testing.dossiers import intake
from testing.portal import look_up, open_status

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    if shutil.which("pdftotext") is None:
        pytest.skip("!!! pdftotext (poppler-utils) is not installed; make test installs it !!!")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_receipt_pdf_carries_every_field_and_is_stored_once(
    world: World, client: Client, tmp_path: Path
) -> None:
    d = intake(world, datetime(2026, 3, 2, 9, 5, tzinfo=VN))
    client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    r = client.get(f"/desk/dossiers/{d.code}/papers/01.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    # Compare without whitespace: long values wrap across lines in the PDF.
    text = "".join(pdf_text(r.content, tmp_path).split())
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        d.code,
        "Nguyễn Văn A",
        "087095000123",
        "0912345678",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Bản chính",
        "3 ngày làm việc",
        "09 giờ 05 phút, ngày 02 tháng 3 năm 2026",
        "17 giờ 00 phút, ngày 05 tháng 3 năm 2026",
        "Bộ phận Một cửa nơi nộp hồ sơ",
        "UBND PHƯỜNG AN BÌNH",
        f"Quyển số: 2026, Số thứ tự: {d.book_entry}",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Mai",
        "127.0.0.1:8000/tra-cuu/",
        d.lookup_number,  # for the automated hotline (hotline/)
        "Mẫu số 01",
    ]:
        assert "".join(needle.split()) in text, needle
    again = client.get(f"/desk/dossiers/{d.code}/papers/01.pdf")
    assert again.content == r.content
    assert IssuedDocument.objects.filter(dossier=d).count() == 1
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        (tmp_path / "r.pdf").write_bytes(r.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(tmp_path / "r.pdf"),
                str(SHOTS / "form01-receipt"),
            ],
            check=True,
        )


def test_qr_link_opens_the_public_status(world: World, client: Client) -> None:
    d = intake(world, datetime(2026, 3, 2, 9, 5, tzinfo=VN))
    # The QR code carries code and PIN in the fragment, which no browser sends to a server.
    url = public_status_url(d)
    assert url == f"http://127.0.0.1:8000/tra-cuu/#{d.code}.{d.public_secret}"
    assert "?" not in url
    page = open_status(client, d)
    body = page.content.decode()
    assert page.status_code == 200 and "Đang giải quyết" in body and "Nguyễn V. A." in body
    assert "087095000123" not in body and "0912345678" not in body
    wrong = look_up(Client(), d.code, "999999x")
    assert wrong.status_code == 404 and "không đúng" in wrong.content.decode()


def test_other_ward_cannot_print(world: World, client: Client) -> None:
    d = intake(world, datetime(2026, 3, 2, 9, 5, tzinfo=VN))
    client.post("/desk/login/", {"username": "desk_b", "password": "pw-desk_b"})
    assert client.get(f"/desk/dossiers/{d.code}/papers/01.pdf").status_code == 404
