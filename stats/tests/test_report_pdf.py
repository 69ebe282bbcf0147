"""The periodic report as PDF: the same columns and numbers as the page, on A4 landscape."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from conftest import World
from stats.pdf import report_pdf
from stats.report import Column, GroupBy, Period, Report, Row
from testing.api import bearer
from testing.clock import vn
from testing.dossiers import finish, intake

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MARCH = {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "unit"}
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="!!! pdftotext (poppler-utils) is not installed; make test installs it !!!",
)


def known_history(w: World) -> None:
    """The history of test_columns_on_a_known_history: 5 received in March, 3 resolved."""
    old = intake(w, vn(2026, 2, 26, 9))
    finish(w, old, vn(2026, 3, 2, 9))
    on_time = intake(w, vn(2026, 3, 9, 9), channel="2")
    finish(w, on_time, vn(2026, 3, 12, 16))
    late = intake(w, vn(2026, 3, 16, 9))
    finish(w, late, vn(2026, 3, 20, 9))
    intake(w, vn(2026, 3, 23, 9))
    intake(w, vn(2026, 3, 31, 9))
    intake(w, vn(2026, 4, 1, 9))  # outside the period


def pdf_text(content: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    return "".join(text.split())


@needs_poppler
def test_pdf_from_the_ioc_page_has_the_form_and_the_numbers(
    world: World, client: Client, tmp_path: Path
) -> None:
    known_history(world)
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    page = client.get("/ioc/report/", MARCH).content.decode()
    assert "format=pdf" in page
    r = client.get("/ioc/report/", {**MARCH, "format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="bao-cao-82-20260301-20260331.pdf"'
    text = squeeze(pdf_text(r.content, tmp_path))
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "TỈNH ĐỒNG THÁP",
        "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Tỉnh Đồng Tháp (82)",
        "01/03/2026",
        "31/03/2026",
        "Tiếp nhận",
        "Tổng số tiếp nhận",
        "Đã giải quyết",
        "Đang giải quyết",
        "Tỷ lệ đúng hạn",
        "Chỉ số 2.1",
        "Phường An Bình",
        "Tổng cộng",
        "66,67%",
        "60,00%",
        _("Page %(page)s/%(pages)s") % {"page": 1, "pages": 1},
    ]:
        assert squeeze(needle) in text, needle
    # The ward's row and the total row carry the numbers of the known history, in the
    # form's order: received 5 = 1 online + 3 desk + 1 carried over; resolved 3 = 1 + 1 + 1;
    # in progress 2 = 1 within time + 1 overdue; the two rates.
    numbers = ["5", "1", "3", "1", "3", "1", "1", "1", "2", "1", "1", "66,67%", "60,00%"]
    lines = pdf_text(r.content, tmp_path, layout=True).splitlines()
    for label in ("Phường An Bình", "Tổng cộng"):
        line = next(x for x in lines if label in x)
        assert line.split()[-len(numbers) :] == numbers, line
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = tmp_path / "report.pdf"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(SHOTS / "report-06")],
            check=True,
        )


@needs_poppler
def test_a_long_report_repeats_its_header_and_numbers_its_pages(
    world: World, tmp_path: Path
) -> None:
    period = Period(date(2026, 1, 1), date(2026, 3, 31))
    rows = [
        Row(key=f"1.{i:06d}", label=f"Thủ tục số {i}", counts={c: i for c in Column})
        for i in range(1, 121)
    ]
    total = Row(key="total", label="Tổng cộng", counts={c: sum(range(1, 121)) for c in Column})
    content = report_pdf(Report(world.province, period, GroupBy.PROCEDURE, rows, total))
    pages = pdf_text(content, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert squeeze("Tổng số tiếp nhận") in squeeze(page), n
        footer = _("Page %(page)s/%(pages)s") % {"page": n, "pages": len(pages)}
        assert squeeze(footer) in squeeze(page), n
    assert "Thủ tục số 120" in pages[-1] and "7260" in pages[-1]


def test_pdf_through_the_api_and_its_refusals(world: World, client: Client) -> None:
    known_history(world)
    ioc = bearer(client, "ioc")
    url = "/api/v1/stats/report"
    params = {"unit": "82", "from": "2026-03-01", "to": "2026-03-31", "by": "unit"}
    r = client.get(url, {**params, "format": "pdf"}, **ioc)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    x = client.get(url, {**params, "format": "xlsx"}, **ioc)
    assert x.status_code == 200 and x["Content-Disposition"].endswith('.xlsx"')
    assert client.get(url, {**params, "format": "json"}, **ioc).json()["total"]["late"] == 1
    bad = [
        ({"unit": "00000"}, 404, "00000"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, 422, "trước khi bắt đầu"),
        ({"by": "month"}, 422, "by"),
        ({"format": "doc"}, 422, "format"),
    ]
    for change, status, word in bad:
        r = client.get(url, {**params, "format": "pdf", **change}, **ioc)
        assert r.status_code == status, change
        assert r["Content-Type"].startswith("application/problem+json")
        assert word in r.json()["detail"], r.json()
    desk_b = bearer(client, "desk_b")
    r = client.get(url, {**params, "unit": "30001", "format": "pdf"}, **desk_b)
    assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json")


def test_pdf_on_the_page_refuses_bad_input_as_the_page_does(world: World, client: Client) -> None:
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    backwards = client.get("/ioc/report/", {**MARCH, "start": "2026-03-31", "end": "2026-03-01"})
    r = client.get(
        "/ioc/report/", {**MARCH, "start": "2026-03-31", "end": "2026-03-01", "format": "pdf"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "trước khi bắt đầu" in r.content.decode() and "trước khi bắt đầu" in (
        backwards.content.decode()
    )
    r = client.get("/ioc/report/", {**MARCH, "by": "month", "format": "pdf"})
    assert r["Content-Type"].startswith("text/html") and "month" in r.content.decode()
    r = client.get("/ioc/report/", {**MARCH, "unit": "00000", "format": "pdf"})
    assert r["Content-Type"].startswith("text/html") and "00000" in r.content.decode()
    client.post("/desk/logout/")
    client.post("/desk/login/", {"username": "desk_b", "password": "pw-desk_b"})
    assert client.get("/ioc/report/", {**MARCH, "format": "pdf"}).status_code == 403
