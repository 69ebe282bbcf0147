"""Catalog import and export: every bad row named, nothing written when any row is bad."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.actions import import_records, published_records
from catalog.io import COLUMNS, CatalogFormatError, StepRecord, read_catalog, write_catalog
from catalog.models import Procedure, ProcedureVersion, VersionStatus
from conftest import World, make_record

KINDS = {"one_stop_desk", "office", "leadership", "economic", "justice"}


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_then_import_round_trips(world: World, fmt: str) -> None:
    records = published_records()
    content = write_catalog(records, fmt)
    report = read_catalog(content, f"catalog.{fmt}", known_agency_kinds=KINDS)
    assert report.errors == []
    assert report.records == records


def test_reimport_unchanged_creates_no_version(world: World) -> None:
    result = import_records(published_records())
    assert (result.created, result.versioned, result.unchanged) == (0, 0, 1)
    assert ProcedureVersion.objects.count() == 1


def test_changed_limit_makes_a_new_published_version(world: World) -> None:
    steps = [
        StepRecord("Tiếp nhận", "one_stop_desk", "desk_officer", Decimal(4)),
        StepRecord("Thẩm định", "office", "specialist", Decimal("30")),
        StepRecord("Ký", "leadership", "leader", Decimal(4)),
        StepRecord("Trả", "one_stop_desk", "desk_officer", Decimal(2)),
    ]
    result = import_records([make_record(limit_amount=5, steps=steps)])
    assert result.versioned == 1
    proc = Procedure.objects.get(code="1.001193")
    statuses = dict(proc.versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}


def _csv(rows: list[dict[str, str]], header: list[str] = COLUMNS) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def _good_row(code: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Chứng thực bản sao từ bản chính",
        "field_code": "CT",
        "field_name": "Chứng thực",
        "level": "commune",
        "competent_agency_kind": "office",
        "limit_amount": "0",
        "limit_unit": "same_day",
        "fee_vnd": "2000",
        "charge_vnd": "0",
        "fee_note": "2.000 đồng/trang",
        "result": "Bản sao được chứng thực",
        "channels": "desk,online_partial",
        "legal_basis": "Nghị định 23/2015/NĐ-CP",
        "documents": "Bản chính giấy tờ | original | 1\nBản sao cần chứng thực | copy | 1",
        "steps": "Tiếp nhận | one_stop_desk | desk_officer | 1\n"
        "Chứng thực | office | specialist | 5,5\n"
        "Trả | one_stop_desk | desk_officer | 1.5",
    }


def test_csv_with_bad_rows_names_each_and_writes_nothing(world: World, tmp_path) -> None:
    bad_code = {**_good_row("2.000815"), "code": "2000815"}
    bad_sum = {**_good_row("2.000816"), "steps": "Tiếp nhận | one_stop_desk | desk_officer | 2"}
    bad_kind = {**_good_row("2.000817"), "competent_agency_kind": "ministry_of_magic"}
    rows = [_good_row("2.000815"), bad_code, bad_sum, bad_kind]
    path = tmp_path / "catalog.csv"
    path.write_bytes(_csv(rows))
    before = Procedure.objects.count()
    with pytest.raises(CommandError, match="3 lỗi"):
        call_command("import_catalog", str(path), verbosity=0)
    assert Procedure.objects.count() == before
    report = read_catalog(path.read_bytes(), "c.csv", known_agency_kinds=KINDS)
    by_row = {where: msg for where, msg in report.errors}
    assert "d.dddddd" in by_row["Dòng 3"]
    assert "thiếu 6 giờ" in by_row["Dòng 4"]
    assert "ministry_of_magic" in by_row["Dòng 5"]


def test_good_csv_imports(world: World, tmp_path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_bytes(_csv([_good_row("2.000815")]))
    call_command("import_catalog", str(path), verbosity=0)
    version = ProcedureVersion.objects.get(procedure__code="2.000815")
    assert version.status == VersionStatus.PUBLISHED
    assert [s.hours for s in version.steps.all()] == [Decimal(1), Decimal("5.5"), Decimal("1.5")]
    assert version.allows_online_partial and not version.allows_online_full


def test_wrong_column_is_refused_with_the_column_named() -> None:
    header = [c if c != "limit_unit" else "limit_units" for c in COLUMNS]
    content = _csv([], header=header)
    with pytest.raises(CatalogFormatError) as err:
        read_catalog(content, "c.csv", known_agency_kinds=KINDS)
    assert "limit_unit" in str(err.value) and "limit_units" in str(err.value)


def test_json_absurd_limit_and_negative_fee_are_refused() -> None:
    doc = json.loads(write_catalog([make_record()], "json"))
    doc["procedures"][0]["limit"] = {"amount": 5000, "unit": "days"}
    doc["procedures"][0]["fee_vnd"] = -1
    report = read_catalog(json.dumps(doc).encode(), "c.json", known_agency_kinds=KINDS)
    messages = " ".join(m for _, m in report.errors)
    assert "5000 ngày" in messages and "không được âm" in messages
    assert report.records == []


def test_unknown_extension_is_refused() -> None:
    with pytest.raises(CatalogFormatError, match=r"\.pdf"):
        read_catalog(b"%PDF", "catalog.pdf", known_agency_kinds=KINDS)


def test_export_command_writes_xlsx(world: World, tmp_path) -> None:
    path = tmp_path / "out.xlsx"
    call_command("export_catalog", str(path), verbosity=0)
    report = read_catalog(path.read_bytes(), "out.xlsx", known_agency_kinds=KINDS)
    assert [r.code for r in report.records] == ["1.001193"]


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("name", "Thủ tục " * 70, "tối đa 500 ký tự"),
        ("name", "Chứng thực\x00", "NUL"),
        ("result", "Bản sao\u202e", "đổi chiều"),
        ("field_name", "x" * 201, "tối đa 200 ký tự"),
        ("documents", "Giấy tờ\x07 | original | 1", "điều khiển"),
        ("steps", "T" * 256 + " | one_stop_desk | desk_officer | 8", "tối đa 255 ký tự"),
    ],
)
def test_text_that_no_column_could_hold_is_refused(column: str, value: str, needle: str) -> None:
    content = _csv([{**_good_row("2.000815"), column: value}])
    report = read_catalog(content, "c.csv", known_agency_kinds=KINDS)
    assert report.records == []
    assert any(needle in message for _where, message in report.errors), report.errors
