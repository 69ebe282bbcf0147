"""`verify_figures`: the figure fields of every dossier equal a replay of its events."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.demo import generate
from dossiers.importer import history_rows, read_history, write_csv, write_history
from dossiers.models import Dossier
from dossiers.replay import verify
from testing.clock import VN, vn
from testing.world import World


def test_generated_and_imported_history_verify(db: None) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    generate(end=datetime(2026, 3, 31, 17, tzinfo=VN), days=20, per_unit_day=1.0)
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


def test_an_online_dossier_refused_at_receipt_verifies(world: World) -> None:
    # The refuse verb stamps finished_at; the replay must end processing there too.
    d = actions.file_dossier(
        actor=world.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    )
    d = actions.refuse(
        d, actor=world.desk_a, at=vn(2026, 3, 2, 10), reason="Không thuộc thẩm quyền"
    )
    assert d.finished_at == vn(2026, 3, 2, 10)
    assert verify(Dossier.objects.filter(pk=d.pk)) == []
