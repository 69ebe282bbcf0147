"""Signed checkpoints of every chain head, written outside the database (ADR 9).

A checkpoint is a JSON file in AUDIT_CHECKPOINT_DIR listing every dossier's code, event count
and head MAC, and the number of dossiers. Beside it: a detached signature over the file's bytes
made with the system's certificate (the PKCS#12 of SIGNING_PKCS12; ECDSA or RSA-PSS, SHA-256)
and that certificate with its chain (PEM). Someone who can write the database cannot move a
checkpoint back: deleting a dossier, or its last events with the row rolled back, shows against
the last checkpoint.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from documents.signing import load_credential
from dossiers.models import Dossier

FORMAT = 1
PREFIX = "checkpoint-"


@dataclass
class Checkpoint:
    path: Path
    written_at: datetime
    dossier_count: int
    heads: dict[str, tuple[int, str]]


@dataclass
class Reading:
    """The checkpoints found: the newest one whose signature holds, and what failed."""

    latest: Checkpoint | None = None
    failures: list[str] = field(default_factory=list)


def _directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _sign(key: Any, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return key.sign(data, pss, hashes.SHA256())
    raise ValueError(f"cannot sign checkpoints with a {type(key).__name__}")


def _check_signature(cert: x509.Certificate, signature: bytes, data: bytes) -> None:
    public = cert.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public, rsa.RSAPublicKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        public.verify(signature, data, pss, hashes.SHA256())
    else:
        raise InvalidSignature


def heads_body(at: datetime) -> bytes:
    """The checkpoint file's bytes: every chain head at `at`, ordered by dossier code."""
    heads = list(
        Dossier.objects.order_by("code").values_list("code", "event_count", "last_event_hash")
    )
    body = {
        "format": FORMAT,
        "written_at": at.astimezone(UTC).isoformat(),
        "dossier_count": len(heads),
        "heads": [list(h) for h in heads],
    }
    return json.dumps(body, ensure_ascii=False, indent=0).encode()


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_checkpoint(at: datetime) -> Path:
    """Write a signed checkpoint of every chain head; return the JSON file's path.

    The heads are read in one query (one consistent snapshot on PostgreSQL's default isolation
    for a single statement). Signature and certificate are written before the JSON file, so a
    checkpoint file never exists unsigned.
    """
    path_p12 = Path(settings.SIGNING_PKCS12)
    password = settings.SIGNING_PKCS12_PASSWORD
    credential = load_credential(path_p12, password)  # the checks and their messages
    credential.check(at)
    key, cert, chain = pkcs12.load_key_and_certificates(
        path_p12.read_bytes(), password.encode() or None
    )
    assert cert is not None
    data = heads_body(at)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{PREFIX}{at.astimezone(UTC):%Y%m%dT%H%M%S%fZ}.json"
    pem = b"".join(c.public_bytes(Encoding.PEM) for c in [cert, *(chain or [])])
    _write(path.with_name(path.name + ".pem"), pem)
    _write(path.with_name(path.name + ".sig"), _sign(key, data))
    _write(path, data)
    return path


@task()
def checkpoint_task() -> str:
    """Periodic task (PERIODIC_TASKS "audit-checkpoint"): write a checkpoint now."""
    return str(write_checkpoint(timezone.now()))


def _trusted_roots() -> list[x509.Certificate]:
    roots = []
    for p in settings.SIGNING_TRUST_ROOTS:
        path = Path(p)
        if path.is_file():
            roots.extend(x509.load_pem_x509_certificates(path.read_bytes()))
    return roots


def _chain_trusted(chain: list[x509.Certificate], roots: list[x509.Certificate]) -> bool:
    """True if chain[0] leads, through the certificates after it, to a trusted root."""
    current = chain[0]
    candidates = [*chain[1:], *roots]
    for _depth in range(len(candidates) + 1):
        if any(current == r for r in roots):
            return True
        for issuer in candidates:
            if issuer == current:
                continue
            try:
                current.verify_directly_issued_by(issuer)
            except (ValueError, TypeError, InvalidSignature):
                continue
            if any(issuer == r for r in roots):
                return True
            current = issuer
            break
        else:
            return False
    return False


def verify_file(path: Path) -> str | None:
    """Check a checkpoint's signature and certificate; return the problem, or None."""
    sig = path.with_name(path.name + ".sig")
    pem = path.with_name(path.name + ".pem")
    if not sig.is_file() or not pem.is_file():
        return "signature or certificate file missing"
    try:
        chain = x509.load_pem_x509_certificates(pem.read_bytes())
        _check_signature(chain[0], sig.read_bytes(), path.read_bytes())
    except (ValueError, InvalidSignature):
        return "signature does not match the file"
    if not _chain_trusted(chain, _trusted_roots()):
        return "signed by a certificate not issued by a trusted root (SIGNING_TRUST_ROOTS)"
    return None


def _parse(path: Path) -> Checkpoint:
    body = json.loads(path.read_bytes())
    return Checkpoint(
        path=path,
        written_at=datetime.fromisoformat(body["written_at"]),
        dossier_count=int(body["dossier_count"]),
        heads={code: (int(n), head) for code, n, head in body["heads"]},
    )


def read_latest() -> Reading:
    """The newest checkpoint whose signature holds; every newer one that fails is reported."""
    reading = Reading()
    directory = _directory()
    if not directory.is_dir():
        return reading
    for path in sorted(directory.glob(f"{PREFIX}*.json"), reverse=True):
        problem = verify_file(path)
        if problem is None:
            try:
                reading.latest = _parse(path)
            except (ValueError, KeyError, TypeError):
                problem = "not a checkpoint file"
            else:
                return reading
        reading.failures.append(f"{path.name}: {problem}")
    return reading
