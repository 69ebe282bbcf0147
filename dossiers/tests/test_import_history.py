"""History import: a bad file writes nothing; imported dossiers count like native ones."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossiers.importer import COLUMNS, read_history, write_csv, write_history
from dossiers.models import Dossier
from testing.history import GOOD


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)


def test_pre_merger_unit_codes_resolve_by_date(demo: None) -> None:
    # 29955 was Phường An Thạnh until 30/06/2025 and is Phường Hồng Ngự since.
    parsed = read_history(write_csv([GOOD]), "h.csv")
    assert parsed.errors == []
    assert parsed.planned[0].receiving.name == "Phường An Thạnh"
    write_history(parsed.planned)
    d = Dossier.objects.get(code=GOOD["code"])
    assert d.punctuality == "on_time" and d.status == "returned"
    assert d.due_at is not None and d.events.count() == 3


def test_bad_file_names_each_row_and_writes_nothing(demo: None, tmp_path) -> None:
    rows = [
        GOOD,
        {**GOOD, "code": "B-2", "received_at": "05/03/2024 09:15"},
        {**GOOD, "code": "B-3", "procedure_code": "9.999999"},
        {**GOOD, "code": "B-4", "channel": "7"},
        {**GOOD, "code": "B-5", "finished_at": "2024-03-04T15:00:00+07:00"},
        {**GOOD, "code": "B-6", "outcome": "in_progress"},
        {**GOOD, "code": "B-7", "receiving_unit": "99999"},
        {**GOOD, "code": GOOD["code"]},
    ]
    path = tmp_path / "history.csv"
    path.write_bytes(write_csv(rows))
    with pytest.raises(CommandError, match="không ghi hồ sơ nào"):
        call_command("import_dossiers", str(path), verbosity=0)
    assert Dossier.objects.count() == 0
    lines = {line for line, _ in read_history(path.read_bytes(), "history.csv").errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9}


def test_missing_column_is_refused(demo: None, tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(",".join(c for c in COLUMNS if c != "outcome") + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="outcome"):
        call_command("import_dossiers", str(path), verbosity=0)


def test_import_command_writes_good_file(demo: None, tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(write_csv([GOOD]))
    call_command("import_dossiers", str(path), verbosity=0)
    assert Dossier.objects.filter(code=GOOD["code"]).exists()


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("code", "H56-240305\x00-0001", "NUL"),
        ("code", "H" * 61, "tối đa 60 ký tự"),
        ("procedure_code", "2.000815\x00", "NUL"),
        ("receiving_unit", "29955\u202e", "đổi chiều"),
    ],
)
def test_history_cells_no_column_could_hold_are_refused(
    db: None, column: str, value: str, needle: str
) -> None:
    # Before, a NUL reached the existing-codes query and PostgreSQL answered with an error.
    report = read_history(write_csv([{**GOOD, column: value}]), "history.csv")
    assert report.planned == []
    assert any(needle in message for _line, message in report.errors), report.errors
