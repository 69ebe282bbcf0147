"""lib.cells: text stays text in CSV and XLSX, and a CSV reads back exactly as it was written."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lib.cells import csv_row, csv_text, csv_unescape, xlsx_row
from lib.tables import read_table


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+84912345678", "'+84912345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # a quote the author typed survives the round trip
        ("'plain", "'plain"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (-5, "'-5"),
    ],
)
def test_csv_text(value: object, written: str) -> None:
    assert csv_text(value) == written


@given(st.text())
def test_csv_unescape_undoes_csv_text(text: str) -> None:
    assert csv_unescape(csv_text(text)) == text


@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"])), min_size=1))
def test_a_csv_written_safely_reads_back_through_lib_tables(values: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    header = [f"c{i}" for i in range(len(values))]
    writer.writerow(header)
    writer.writerow(csv_row(values))
    table = read_table(buf.getvalue().encode(), "x.csv")
    got = table.rows[0][1] if table.rows else dict.fromkeys(header, "")
    # The reader strips text cells; nothing else changes.
    assert [got[h] for h in header] == [v.strip() for v in values]


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_text_is_never_a_formula(write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s")
    ws.append(xlsx_row(ws, ["=1+2", "+1", "a\x00b\x1fc", 7, 2.5, date(2026, 3, 2), None, "x"]))
    out = io.BytesIO()
    wb.save(out)
    cells = next(iter(load_workbook(io.BytesIO(out.getvalue()))["s"].iter_rows()))
    assert [(c.value, c.data_type) for c in cells[:5]] == [
        ("=1+2", "s"),
        ("+1", "s"),
        ("a\ufffdb\ufffdc", "s"),  # XML cannot hold C0 controls: replaced, not an error
        (7, "n"),
        (2.5, "n"),
    ]
    assert cells[5].is_date and cells[6].value is None and cells[7].value == "x"
