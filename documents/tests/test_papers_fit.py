"""Every paper fits its sheet and says the right thing (issue 15, DOMAIN.md §4).

The words of each rendered paper are read back with their boxes (poppler) and checked against
the page margins and the expected page count; a PNG of each goes to docs/screenshots/.
"""

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import World
from documents import book
from documents.book import LAYOUT_2018, LAYOUT_2025, BookHeader, BookQuery, render_pdf
from documents.models import Form, IssuedDocument
from documents.papers import issue
from documents.wording import vn_date
from dossiers import actions
from dossiers.models import Dossier
from testing.clock import vn
from testing.dossiers import intake
from testing.pdf import text_of
from testing.pdfboxes import layout
from testing.steps import add_full_workflow, file_marital

# Printers reach to about 5 mm of the edge; the papers keep their text 8 mm inside.
MARGIN_MM = 8


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 4, 15), "ngày 15 tháng 4 năm 2026"),
        (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
    ],
)
def test_dates_pad_only_days_below_ten_and_months_one_and_two(day: date, text: str) -> None:
    assert vn_date(day) == text


def _header() -> BookHeader:
    return BookHeader(
        "UBND PHƯỜNG AN BÌNH",
        "BỘ PHẬN MỘT CỬA",
        "Phường An Bình",
        date(2026, 4, 15),
        "2026",
        ("Phường An Bình", "Từ ngày 01/03/2026 đến ngày 31/03/2026"),
    )


def _rows(n: int) -> list[dict[str, str]]:
    long_word = "Giấychứngnhậnquyềnsửdụngđấtquyềnsởhữunhàởvàtàisảnkhácgắnliềnvớiđất" * 2
    out = []
    for i in range(1, n + 1):
        out.append(
            {
                "entry": str(i),
                "code": f"000.12.01.H82-260302-{i:04d}",
                "procedure": "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản"
                + (f" {long_word}" if i % 7 == 0 else ""),
                "sets": "1",
                "applicant": "Công ty TNHH Một thành viên Thương mại Dịch vụ Xuất nhập khẩu"
                if i % 5 == 0
                else "Nguyễn Văn A",
                "address": "Số 12 đường Nguyễn Huệ, khóm 3, phường An Bình, tỉnh Đồng Tháp, "
                "0912345678" + (" khóm" * 40 if i % 11 == 0 else ""),
                "lead_agency": "Văn phòng HĐND và UBND phường",
                "received": "02/03/2026\n09:05",
                "due": "05/03/2026\n17:00",
                "sent": "02/03/2026\n10:00",
                "back": "",
                "returned": "",
                "how": "",
                "signature": "",
                "note": "Trực tuyến" if i % 3 == 0 else "",
            }
        )
    return out


@pytest.mark.parametrize("columns", [LAYOUT_2025, LAYOUT_2018], ids=["2025", "2018"])
@pytest.mark.parametrize("n", [1, 40, 230])
def test_the_book_keeps_every_word_inside_its_page_and_cell(columns: Any, n: int) -> None:
    assert abs(sum(c.width_mm for c in columns) - 277) < 0.01  # 297 mm less two 10 mm margins
    pdf = render_pdf(_rows(n), _header(), columns=columns)
    pages = layout(pdf)
    assert pages.width > pages.height  # landscape
    assert pages.outside(MARGIN_MM) == []
    assert pages.pages >= 1 + (n * 20) // 700  # about 30 rows a page at most
    # "Trang x/y" counts the real pages.
    text = " ".join(w.text for w in pages.words if w.page == pages.pages)
    assert f"{pages.pages}/{pages.pages}" in text.replace("Trang ", "")
    # Every word of a cell stays inside its column.
    edges = [10 * 72 / 25.4]
    for c in columns:
        edges.append(edges[-1] + c.width_mm * 72 / 25.4)
    body = [w for w in pages.words if w.text.startswith("000.12.01") or "Giấychứng" in w.text]
    assert body
    for w in body:
        left = max(e for e in edges if e <= w.x0 + 0.5)
        right = min(e for e in edges if e >= w.x0 + 0.5)
        assert w.x1 <= right + 0.5, (w.text, w.x1, right)
        assert w.x0 >= left
    first = " ".join(w.text for w in pages.words if w.page == 1)
    for needle in ["UBND PHƯỜNG AN BÌNH", "Quyển số: 2026", "ngày 15 tháng 4 năm 2026", "STT"]:
        assert needle in first, needle
    motto = " ".join(w.text for w in pages.line_of("CỘNG"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto


def test_book_rows_the_entry_number_lead_agency_and_no_transfer_for_a_desk_stop(
    world: World, settings: Any
) -> None:
    a = intake(world, vn(2026, 3, 2, 9))
    a = actions.forward(a, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    s = intake(world, vn(2026, 3, 2, 11))
    s = actions.stop(s, actor=world.desk_a, at=vn(2026, 3, 2, 14), reason="Rút hồ sơ")
    assert (a.book_volume, a.book_entry, s.book_entry) == (2026, 1, 2)
    rows = {
        r["code"]: r
        for r in book.rows(BookQuery(world.ward_a, date(2026, 3, 1), date(2026, 3, 31)))
    }
    assert rows[a.code]["entry"] == "1" and rows[s.code]["entry"] == "2"
    # The lead agency, not the unit; for the stopped one too (from its workflow).
    assert rows[a.code]["lead_agency"] == "Văn phòng HĐND và UBND"
    assert rows[s.code]["lead_agency"] == "Văn phòng HĐND và UBND"
    assert rows[a.code]["sent"] == "02/03/2026\n10:00"
    assert rows[s.code]["sent"] == rows[s.code]["back"] == ""


def test_book_entry_numbers_restart_each_volume_and_never_repeat(world: World) -> None:
    codes = [intake(world, vn(2026, 12, 31, 9)), intake(world, vn(2027, 1, 4, 9))]
    codes.append(intake(world, vn(2027, 1, 4, 10)))
    got = [(d.book_volume, d.book_entry) for d in Dossier.objects.order_by("received_at")]
    assert got == [(2026, 1), (2027, 1), (2027, 2)]


def test_book_xlsx_prints_like_the_pdf(world: World, client: Client, settings: Any) -> None:
    a = intake(world, vn(2026, 3, 2, 9))
    actions.forward(a, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    settings.FORM_NUMBERING = "2018"
    x = book.book_xlsx(BookQuery(world.ward_a, date(2026, 3, 1), date(2026, 3, 31)))
    ws = load_workbook(io.BytesIO(x)).active
    assert ws is not None
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "UBND PHƯỜNG AN BÌNH"
    head = next(i for i, r in enumerate(rows) if r[0] == "STT")
    titles = rows[head + 1]
    assert "Chuyển hồ sơ đến cơ quan giải quyết" in titles  # the 2018 layout
    data = rows[head + 2]
    assert data[0] == 1 and data[1] == a.code
    assert ws.cell(row=head + 3, column=3).alignment.wrap_text


def _receipt_with(world: World, documents: int, address: str) -> Dossier:
    d = intake(world, vn(2026, 3, 2, 9, 5))
    names = [
        "Tờ khai đăng ký khai sinh theo mẫu ban hành kèm theo Thông tư số 04/2020/TT-BTP",
        "Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp (bản chính)",
        "Văn bản ủy quyền có chứng thực trong trường hợp ủy quyền đăng ký khai sinh",
        "Giấy tờ tùy thân của người đi đăng ký khai sinh (hộ chiếu, căn cước)",
        "Giấy chứng nhận kết hôn của cha, mẹ trẻ em (nếu có)",
        "Văn bản xác nhận của cơ quan có thẩm quyền về việc trẻ bị bỏ rơi (nếu có)",
    ]
    docs = [
        {"position": i + 1, "name": names[i % 6], "form": "original", "count": 1}
        for i in range(documents)
    ]
    Dossier.objects.filter(pk=d.pk).update(documents=docs, applicant_address=address)
    return Dossier.objects.get(pk=d.pk)


def test_the_receipt_fits_one_a5_sheet_with_six_documents_and_a_long_address(
    world: World, tmp_path: Path
) -> None:
    address = ("Tổ 12, khóm Bình Thạnh, đường Nguyễn Tất Thành, phường An Bình, " * 4)[:200]
    d = _receipt_with(world, 6, address)
    doc = issue(d, Form.RECEIPT, at=vn(2026, 3, 2, 9, 6))
    pdf = bytes(doc.content)
    text_of(pdf, tmp_path, "form01-receipt-six-documents")
    pages = layout(pdf)
    assert pages.pages == 1
    assert round(pages.width / 72 * 25.4) == 148  # A5
    assert pages.outside(MARGIN_MM) == []
    motto = " ".join(w.text for w in pages.line_of("CỘNG"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto
    words = " ".join(w.text for w in pages.words)
    assert f"Quyển số: 2026, Số thứ tự: {d.book_entry}" in words
    assert "UBND PHƯỜNG AN BÌNH" in words


def test_the_control_slip_shows_every_hand_off_so_far(world: World, tmp_path: Path) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    first = issue(d, Form.CONTROL, at=vn(2026, 3, 2, 9, 30))
    assert issue(d, Form.CONTROL, at=vn(2026, 3, 2, 9, 40)).pk == first.pk  # nothing new
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.forward(d, actor=world.specialist_a, at=vn(2026, 3, 2, 11), comment="Đủ điều kiện")
    second = issue(d, Form.CONTROL, at=vn(2026, 3, 2, 11, 30))
    assert second.pk != first.pk and second.sha256 != first.sha256
    assert IssuedDocument.objects.filter(dossier=d, form=Form.CONTROL).count() == 2
    text = text_of(bytes(second.content), tmp_path, "form06-control-two-handoffs")
    assert text.count("Ngườigiao:") == 2 and "Ngườigiao:TrầnVănHùng(ký)" in text
    pages = layout(bytes(second.content))
    assert pages.pages == 1 and pages.outside(MARGIN_MM) == []


@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06"])
def test_every_slip_keeps_inside_its_margins_on_one_sheet(
    world: World, tmp_path: Path, form: str
) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    if form == "02":
        d = actions.request_supplement(
            d,
            actor=world.specialist_a,
            at=vn(2026, 3, 3, 9),
            reason="Giấy tờ hết hạn",
            missing_documents=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh bản chính"],
        )
    elif form == "03":
        d = actions.forward(
            d, actor=world.specialist_a, at=vn(2026, 3, 2, 11), comment="Đủ điều kiện"
        )
        d = actions.refuse_result(d, actor=world.leader_a, at=vn(2026, 3, 3, 9), reason="Sai")
    elif form == "04":
        d = actions.apologize(
            d,
            actor=world.leader_a,
            at=vn(2026, 3, 4, 8),
            reason="Cần xác minh",
            new_due=vn(2026, 3, 12, 17),
        )
    elif form == "05":
        d = actions.stop(d, actor=world.desk_a, at=vn(2026, 3, 2, 14), reason="Rút hồ sơ")
    pdf = bytes(issue(d, Form(form), at=vn(2026, 3, 5, 9)).content)
    text_of(pdf, tmp_path, f"form{form}-fit", shot=False)
    pages = layout(pdf)
    assert pages.pages == 1 and pages.outside(MARGIN_MM) == []
    motto = " ".join(w.text for w in pages.line_of("CỘNG"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto
    words = " ".join(w.text for w in pages.words)
    assert "UBND PHƯỜNG AN BÌNH" in words
    if form == "02":
        assert "Số: 1/PYCBS" in words and "01" in words


def test_the_control_slip_names_the_person_a_step_was_assigned_to(
    world: World, tmp_path: Path
) -> None:
    office = add_full_workflow(world)
    d = file_marital(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    slip = issue(d, Form.CONTROL, at=vn(2026, 3, 2, 11, 30))
    text = text_of(bytes(slip.content), tmp_path, "control-assigned", shot=False)
    # The open appraisal step's receiver is its assignee, before they finish anything.
    assert "Ngườinhận:NguyễnVănBảo(ký)" in text
