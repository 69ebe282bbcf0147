"""One CSV/XLSX reader for both importers: BOM, encodings, empty rows, headers, bad files."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from catalog.io import CatalogFormatError, read_catalog
from dossiers.importer import ImportFormatError, read_history
from lib.tables import Problem, TableError, read_table


def xlsx(*rows: list[object]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_csv_with_a_bom_as_excel_writes_it() -> None:
    content = "\ufeffcode,name\n1.001193,Đăng ký khai sinh\n".encode()
    table = read_table(content, "catalog.CSV")
    assert table.format == "csv"
    assert table.header == ["code", "name"]
    assert table.rows == [(2, {"code": "1.001193", "name": "Đăng ký khai sinh"})]


def test_csv_header_spaces_blank_columns_and_empty_rows() -> None:
    content = b" code , name ,\n\n a ,b,\n , ,\n\nc,d,ignored\n"
    table = read_table(content, "x.csv")
    assert table.header == ["code", "name"]
    # Rows count as in a spreadsheet (header = 1); blank ones are skipped, not renumbered.
    assert table.rows == [(3, {"code": "a", "name": "b"}), (6, {"code": "c", "name": "d"})]


def test_csv_rows_are_spreadsheet_rows_even_with_multi_line_cells() -> None:
    content = b'code,steps\n1,"a\nb"\n2,c\n'
    table = read_table(content, "x.csv")
    assert [(n, r["code"]) for n, r in table.rows] == [(2, "1"), (3, "2")]
    assert table.rows[0][1]["steps"] == "a\nb"


def test_xlsx_with_empty_trailing_rows_and_typed_cells() -> None:
    content = xlsx(
        ["code ", None, "count", "hours"],
        ["  A  ", "dropped", 3, 1.5],
        [None, None, None, None],
        ["B", None, None, None],
        [None, None, None, None],
        ["", "   ", None, None],
    )
    table = read_table(io.BytesIO(content), "history.xlsx")  # a file object works too
    assert table.header == ["code", "count", "hours"]
    assert table.rows == [
        (2, {"code": "A", "count": 3, "hours": 1.5}),
        (4, {"code": "B", "count": "", "hours": ""}),
    ]


@pytest.mark.parametrize(
    ("content", "name", "problem"),
    [
        (b"PK\x03\x04 not really a zip", "a.xlsx", Problem.UNREADABLE),
        ("code,name\nx,Đông Tháp\n".encode("cp1258"), "a.csv", Problem.NOT_UTF8),
        ("code\n" + "x" * (csv.field_size_limit() + 1) + "\n", "a.csv", Problem.UNREADABLE),
        (b"", "a.csv", Problem.EMPTY),
        (b"\xef\xbb\xbf", "a.csv", Problem.EMPTY),
        (xlsx(), "a.xlsx", Problem.EMPTY),
        (b"code\n1\n", "a.ods", Problem.UNSUPPORTED),
        (b"code\n1\n", "no-extension", Problem.UNSUPPORTED),
    ],
    # Named ids: a generated XLSX carries its creation time, and two xdist workers collecting
    # across a second would see different ids ("Different tests were collected").
    ids=["bad-zip", "cp1258", "huge-field", "empty", "bom-only", "empty-xlsx", "ods", "no-ext"],
)
def test_bad_files_say_what_is_wrong(content: bytes | str, name: str, problem: Problem) -> None:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(TableError) as err:
        read_table(data, name)
    assert err.value.problem == problem
    assert err.value.format == (name.rsplit(".", 1)[-1] if "." in name else "")


@pytest.mark.parametrize(
    ("content", "name", "catalog_says", "history_says"),
    [
        (b"PK\x03\x04", "a.xlsx", "Tệp XLSX không đọc được", "Không đọc được tệp XLSX"),
        ("\u0111".encode("utf-16"), "a.csv", "mã hóa UTF-8", "mã hóa UTF-8"),
        (b"", "a.csv", "Tệp CSV trống", "Tệp trống"),
        (xlsx(), "a.xlsx", "Tệp XLSX trống", "Tệp trống"),
        (
            b"code\n" + b"x" * (csv.field_size_limit() + 1),
            "a.csv",
            "Tệp CSV không đọc được",
            "Không đọc được tệp CSV",
        ),
    ],
    ids=["bad-xlsx", "utf16", "empty-csv", "empty-xlsx", "huge-field"],
)
def test_each_importer_keeps_its_own_vietnamese_message(
    db: None, content: bytes, name: str, catalog_says: str, history_says: str
) -> None:
    with translation.override("vi"):
        with pytest.raises(CatalogFormatError) as catalog_error:
            read_catalog(content, name, known_agency_kinds=set())
        with pytest.raises(ImportFormatError) as history_error:
            read_history(content, name)
    assert catalog_says in str(catalog_error.value)
    assert history_says in str(history_error.value)
