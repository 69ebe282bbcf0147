"""Each kind of tampering issue 14 lists is reported by `verify_audit`, naming the dossier.

The tamperer writes the database (raw SQL, queryset updates) but holds neither the audit key
nor the system's signing key. Every test first shows the untouched state verifies clean.
"""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import checkpoints
from documents.pki import make_agency, make_ca, write_pkcs12
from dossiers import actions
from dossiers.actions.chain import _load_key, rekey
from dossiers.importer import read_history, write_csv, write_history
from dossiers.models import Dossier, DossierEvent, DossierStep
from testing.clock import vn
from testing.dossiers import finish, intake
from testing.history import GOOD
from testing.signing import Pki
from testing.world import World


@pytest.fixture
def trail(settings: Any, tmp_path: Path, pki: Pki) -> Path:
    """A key of our own and a checkpoint directory; the pki fixture gives the certificate."""
    settings.AUDIT_KEY = "k" * 64
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


def verify() -> tuple[bool, str]:
    """Run verify_audit; return (clean, everything it wrote)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", verbosity=0, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue() + err.getvalue() + str(exc)
    return True, out.getvalue() + err.getvalue()


def two_dossiers(world: World) -> tuple[Dossier, Dossier]:
    a = intake(world, vn(2026, 3, 2, 9))
    b = finish(world, intake(world, vn(2026, 3, 2, 10)), vn(2026, 3, 3, 9))
    return a, b


def test_untouched_dossiers_verify_clean_against_a_checkpoint(world: World, trail: Path) -> None:
    two_dossiers(world)
    call_command("write_audit_checkpoint", stdout=StringIO())
    clean, text = verify()
    assert clean, text
    assert "checkpoint-" in text
    body = json.loads(next(trail.glob("checkpoint-*.json")).read_bytes())
    assert body["dossier_count"] == 2
    assert [h[1] for h in body["heads"]] == [1, 4]


def test_a_chain_recomputed_after_an_edit_is_reported(
    world: World, trail: Path, settings: Any
) -> None:
    a, b = two_dossiers(world)
    assert verify()[0]
    DossierEvent.objects.filter(dossier=b, seq=2).update(reason="sửa lén")
    # The tamperer recomputes the whole chain, but with a key of their own.
    settings.AUDIT_KEY = "guess" * 13
    rekey(Dossier.objects.get(pk=b.pk))
    settings.AUDIT_KEY = "k" * 64
    clean, text = verify()
    assert not clean
    assert f"{b.code}: event #1: MAC mismatch" in text
    assert a.code not in text


def test_the_last_event_deleted_and_the_row_rolled_back_is_reported(
    world: World, trail: Path
) -> None:
    _a, b = two_dossiers(world)
    call_command("write_audit_checkpoint", stdout=StringIO())
    last = DossierEvent.objects.get(dossier=b, seq=4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [last.pk])
    Dossier.objects.filter(pk=b.pk).update(
        event_count=3, last_event_hash=last.prev_hash, status=last.from_status
    )
    # The chain alone is intact again: only the checkpoint shows the rollback.
    assert actions.verify_chain(Dossier.objects.get(pk=b.pk))
    clean, text = verify()
    assert not clean
    assert f"{b.code}: rolled back: 3 events now, 4 at checkpoint" in text


def test_a_rewritten_history_after_the_checkpoint_is_reported(world: World, trail: Path) -> None:
    a = intake(world, vn(2026, 3, 2, 9))
    call_command("write_audit_checkpoint", stdout=StringIO())
    actions.forward(a, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    assert verify()[0]
    # The first event replaced by another one under a different MAC, later ones rebuilt on it.
    DossierEvent.objects.filter(dossier=a, seq=1).update(hash="0" * 64)
    DossierEvent.objects.filter(dossier=a, seq=2).update(prev_hash="0" * 64)
    clean, text = verify()
    assert not clean
    assert f"{a.code}: event #1 is not the head recorded in checkpoint" in text


@pytest.mark.parametrize(
    "edit",
    [
        {"applicant_phone": "0999999999"},
        {"applicant_id_number": "087095000999"},
        {"applicant_name": "Người Khác"},
        {"applicant_address": "Nơi khác"},
    ],
)
def test_applicant_fields_edited_are_reported(
    world: World, trail: Path, edit: dict[str, str]
) -> None:
    a, b = two_dossiers(world)
    assert verify()[0]
    Dossier.objects.filter(pk=a.pk).update(**edit)
    clean, text = verify()
    assert not clean
    assert f"{a.code}: applicant fields or step rows differ" in text
    assert b.code not in text


def test_step_rows_edited_are_reported(world: World, trail: Path) -> None:
    a, b = two_dossiers(world)
    assert verify()[0]
    first = DossierStep.objects.filter(dossier=b).order_by("id").first()
    assert first is not None and first.finished_at is not None
    DossierStep.objects.filter(pk=first.pk).update(finished_at=first.started_at)
    clean, text = verify()
    assert not clean
    assert f"{b.code}: applicant fields or step rows differ" in text
    assert a.code not in text


def test_a_deleted_dossier_is_reported_against_the_checkpoint(world: World, trail: Path) -> None:
    _a, b = two_dossiers(world)
    call_command("write_audit_checkpoint", stdout=StringIO())
    Dossier.objects.filter(pk=b.pk).update(current_step=None)
    for table in ("dossierevent", "dossierstep", "outboxmessage"):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM dossiers_{table} WHERE dossier_id = %s", [b.pk])  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_dossier WHERE id = %s", [b.pk])
    # ...and the counters rebuilt: the figures agree with the remaining dossiers.
    call_command("rebuild_figures", stdout=StringIO())
    call_command("verify_figures", verbosity=0, stdout=StringIO(), stderr=StringIO())
    clean, text = verify()
    assert not clean
    assert f"{b.code}: deleted: present in checkpoint" in text
    assert "1 dossiers now, 2 at checkpoint" in text


def test_a_checkpoint_whose_signature_fails_is_reported(world: World, trail: Path) -> None:
    two_dossiers(world)
    call_command("write_audit_checkpoint", stdout=StringIO())
    path = next(trail.glob("checkpoint-*.json"))
    path.write_bytes(path.read_bytes().replace(b'"dossier_count": 2', b'"dossier_count": 1'))
    clean, text = verify()
    assert not clean
    assert f"checkpoint: {path.name}: signature does not match the file" in text


def test_a_checkpoint_signed_by_an_untrusted_certificate_is_reported(
    world: World, trail: Path, settings: Any, tmp_path: Path
) -> None:
    two_dossiers(world)
    rogue = make_ca()
    write_pkcs12(tmp_path / "rogue.p12", make_agency(rogue, "Kẻ giả mạo"), rogue, "x")
    settings.SIGNING_PKCS12 = str(tmp_path / "rogue.p12")
    settings.SIGNING_PKCS12_PASSWORD = "x"
    path = checkpoints.write_checkpoint(vn(2026, 11, 30, 9))
    clean, text = verify()
    assert not clean
    assert f"checkpoint: {path.name}: signed by a certificate not issued by a trusted root" in text


def test_the_periodic_task_writes_a_checkpoint(world: World, trail: Path) -> None:
    assert django_settings.PERIODIC_TASKS["audit-checkpoint"][0] == (
        "audit.checkpoints.checkpoint_task"
    )
    intake(world, vn(2026, 3, 2, 9))
    written = Path(checkpoints.checkpoint_task.call())
    assert written.parent == trail
    assert checkpoints.verify_file(written) is None


def test_rekey_makes_chains_of_another_key_verify(world: World, trail: Path, settings: Any) -> None:
    two_dossiers(world)
    settings.AUDIT_KEY = "n" * 64  # a new key, as after an upgrade from the unkeyed chain
    assert not verify()[0]
    out = StringIO()
    call_command("rekey_audit_chains", "--yes", stdout=out)
    assert "2 hồ sơ, 5 bản ghi nhật ký" in out.getvalue()
    clean, text = verify()
    assert clean, text


def test_imported_events_are_keyed(db: None, settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_KEY = "k" * 64
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "none-yet")
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    write_history(read_history(write_csv([GOOD]), "h.csv").planned)
    clean, text = verify()
    assert clean, text
    assert "Không tìm thấy điểm kiểm soát đã ký" in text
    d = Dossier.objects.get(code=GOOD["code"])
    DossierEvent.objects.filter(dossier=d, seq=3).update(at=d.received_at)
    clean, text = verify()
    assert not clean
    assert f"{d.code}: event #3: MAC mismatch" in text


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_production_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REQUIRE_SECRET_KEY": "true",
        "SECRET_KEY": "s" * 50,
        # The other production secrets, so that only the audit key is missing.
        "SMS_CALLBACK_SECRET": "c" * 32,
        "AUDIT_KEY": "",
        "AUDIT_KEY_FILE": str(tmp_path / "absent.key"),
    }
    run = _import_settings(env)
    assert run.returncode != 0
    assert "AUDIT_KEY or AUDIT_KEY_FILE must be set in production" in run.stderr
    env["AUDIT_KEY"] = "a" * 64
    run = _import_settings(env)
    assert run.returncode == 0, run.stderr


def test_the_development_key_differs_from_a_configured_one() -> None:
    dev = _load_key("", "", False, "secret")
    assert dev != _load_key("x" * 32, "", False, "secret")
    with pytest.raises(Exception, match="must be set in production"):
        _load_key("", "", True, "secret")
