"""`verify_figures`: the figure fields of every dossier equal a replay of its events."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossiers.demo import generate
from dossiers.importer import history_rows, read_history, write_csv, write_history
from dossiers.models import Dossier
from dossiers.replay import verify
from testing.clock import VN


def test_generated_and_imported_history_verify(db: None) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    generate(end=datetime(2026, 3, 31, 17, tzinfo=VN), days=40, per_unit_day=1.5)
    assert verify(Dossier.objects.all()) == []
    rows = history_rows(Dossier.objects.all())
    for row in rows:
        row["code"] = "CU-" + row["code"]
    parsed = read_history(write_csv(rows), "h.csv")
    assert parsed.errors == []
    write_history(parsed.planned)
    assert verify(Dossier.objects.filter(code__startswith="CU-")) == []
    call_command("verify_figures", verbosity=0)


def test_a_tampered_figure_is_found(db: None) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    generate(end=datetime(2026, 3, 31, 17, tzinfo=VN), days=15, per_unit_day=1.0)
    d = Dossier.objects.filter(punctuality="early").first()
    assert d is not None
    Dossier.objects.filter(pk=d.pk).update(punctuality="on_time")
    problems = verify(Dossier.objects.all())
    assert problems == [(d.code, "punctuality: stored 'on_time', events say 'early'")]
    with pytest.raises(CommandError, match="1 sai lệch"):
        call_command("verify_figures", verbosity=0)
