"""make_demo_pki writes the demo certificates once and never replaces files unasked."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import World
from documents import signing


def _point_at(settings: Any, where: Path) -> None:
    settings.SIGNING_PKCS12 = str(where / "agency.p12")
    settings.SIGNING_PKCS12_DIR = str(where / "units")
    settings.SIGNING_TRUST_ROOTS = [str(where / "ca.pem")]
    settings.SIGNING_PKCS12_PASSWORD = ""
    signing._cached.cache_clear()


def test_writes_a_ca_and_one_certificate_per_current_unit(
    world: World, settings: Any, tmp_path: Path
) -> None:
    _point_at(settings, tmp_path)
    call_command("make_demo_pki", stdout=None)
    assert (tmp_path / "ca.pem").exists() and (tmp_path / "agency.p12").exists()
    own = tmp_path / "units" / f"{world.ward_a.code}.p12"
    assert own.exists()

    credential = signing.credential_for(world.ward_a, at=timezone.now())
    assert credential.path == own and "UBND phường" in credential.subject


def test_never_replaces_existing_files_unasked(world: World, settings: Any, tmp_path: Path) -> None:
    _point_at(settings, tmp_path)
    real = tmp_path / "units" / f"{world.ward_a.code}.p12"
    real.parent.mkdir(parents=True)
    real.write_bytes(b"the agency's real key")
    with pytest.raises(CommandError, match="refusing"):
        call_command("make_demo_pki")
    assert real.read_bytes() == b"the agency's real key"
    assert not (tmp_path / "ca.pem").exists()
    call_command("make_demo_pki", force=True)
    assert real.read_bytes() != b"the agency's real key"
    before = (tmp_path / "ca.pem").read_bytes()
    call_command("make_demo_pki")  # second run: nothing replaced
    assert (tmp_path / "ca.pem").read_bytes() == before
