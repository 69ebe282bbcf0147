"""A throw-away PKI for signing tests (pytest fixtures, registered by the root conftest)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from documents import signing
from documents.pki import Issued, make_agency, make_ca, write_pem, write_pkcs12
from dossiers import actions
from dossiers.models import Dossier
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World


@dataclass
class Pki:
    ca: Issued
    dir: Path

    def unit_file(self, code: str) -> Path:
        return self.dir / "units" / f"{code}.p12"


@pytest.fixture
def pki(tmp_path: Path, settings: Any, world: World) -> Iterator[Pki]:
    """Point the signing settings at a new CA, an agency certificate and one for ward A."""
    ca = make_ca()
    write_pem(tmp_path / "ca.pem", ca.cert)
    write_pkcs12(tmp_path / "agency.p12", make_agency(ca, "UBND tỉnh thử nghiệm"), ca, "mật-khẩu")
    write_pkcs12(
        tmp_path / "units" / f"{world.ward_a.code}.p12",
        make_agency(ca, f"UBND {world.ward_a.name}"),
        ca,
        "mật-khẩu",
    )
    settings.SIGNING_PKCS12 = str(tmp_path / "agency.p12")
    settings.SIGNING_PKCS12_DIR = str(tmp_path / "units")
    settings.SIGNING_PKCS12_PASSWORD = "mật-khẩu"
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "ca.pem")]
    signing._cached.cache_clear()
    yield Pki(ca, tmp_path)
    signing._cached.cache_clear()


def ready_for_approval(world: World) -> Dossier:
    """File an online dossier on 2/3/2026 and forward it to the leader's approval step."""
    d = intake(world, vn(2026, 3, 2, 9), channel="2")
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    return actions.forward(
        d, actor=world.specialist_a, at=vn(2026, 3, 2, 11), comment="Đủ điều kiện."
    )


def flip_inside_signed_range(content: bytes) -> bytes:
    """Flip one bit in the page content, well inside the first signed byte range."""
    at = content.index(b"stream", 200) + 40
    bad = bytearray(content)
    bad[at] ^= 0x01
    return bytes(bad)


def backdate_ward_a(pki: Pki, world: World, since: datetime) -> None:
    """Reissue ward A's certificate valid from `since`, to sign results of a past history."""
    write_pkcs12(
        pki.unit_file(world.ward_a.code),
        make_agency(pki.ca, f"UBND {world.ward_a.name}", not_before=since),
        pki.ca,
        "mật-khẩu",
    )
    signing._cached.cache_clear()
