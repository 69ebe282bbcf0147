"""Sign electronic results (PAdES, pyHanko) and check signed PDFs for the public /verify page.

An agency's key and certificate chain come from a PKCS#12 file: `SIGNING_PKCS12_DIR/<unit
code>.p12` when that file exists for the signing unit, else `SIGNING_PKCS12`. Every problem
with the file (missing, unreadable, wrong password, key not matching the certificate,
certificate expired or not yet valid, not allowed to sign) stops the signing with a message
the officer can act on; nothing is stored half-signed.

Verification trusts the roots in `SIGNING_TRUST_ROOTS` (PEM files) and never fetches anything
from the network (revocation is soft-fail: no OCSP/CRL is reachable from here).
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from documents.models import IssuedDocument

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    from documents.models import IssuedDocument
    from orgs.models import Unit

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FIELD_NAME = "ChuKyCoQuan"


class SigningError(Exception):
    """The agency certificate cannot be used; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def pkcs12_path(unit: "Unit | None") -> Path:
    """The PKCS#12 file that signs for a unit: its own file if the directory has one."""
    if unit is not None and settings.SIGNING_PKCS12_DIR:
        own = Path(settings.SIGNING_PKCS12_DIR) / f"{unit.code}.p12"
        if own.is_file():
            return own
    return Path(settings.SIGNING_PKCS12)


@dataclass(frozen=True)
class Credential:
    path: Path
    subject: str
    not_before: datetime
    not_after: datetime
    signer: "SimpleSigner"

    def check(self, at: datetime) -> None:
        """Refuse a certificate that is not valid at `at`."""
        if at < self.not_before:
            raise SigningError(
                _("The signing certificate %(subject)s is not valid before %(when)s.")
                % {"subject": self.subject, "when": _local(self.not_before)}
            )
        if at > self.not_after:
            raise SigningError(
                _("The signing certificate %(subject)s expired on %(when)s.")
                % {"subject": self.subject, "when": _local(self.not_after)}
            )


def load_credential(path: Path, password: str) -> Credential:
    """Open a PKCS#12 file and check that it can sign; raise SigningError otherwise."""
    if not path.is_file():
        raise SigningError(
            _("The agency's signing certificate file %(path)s does not exist.") % {"path": path}
        )
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode() or None
        )
    except ValueError:
        raise SigningError(
            _(
                "The signing certificate file %(path)s cannot be opened: the password is wrong "
                "or the file is not PKCS#12."
            )
            % {"path": path}
        ) from None
    if key is None or cert is None:
        raise SigningError(
            _("The file %(path)s must hold both the private key and its certificate.")
            % {"path": path}
        )

    def spki(public_key: object) -> bytes:
        return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)  # type: ignore[attr-defined]

    if spki(key.public_key()) != spki(cert.public_key()):
        raise SigningError(
            _("The private key in %(path)s does not match its certificate.") % {"path": path}
        )
    subject = cert.subject.rfc4514_string()
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            _("The certificate %(subject)s is not allowed to sign documents.")
            % {"subject": subject}
        )
    signer = SimpleSigner.load_pkcs12(str(path), passphrase=password.encode() or None)
    if signer is None:  # pragma: no cover - cryptography accepted the file above
        raise SigningError(_("pyHanko could not read %(path)s.") % {"path": path})
    return Credential(
        path=path,
        subject=subject,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        signer=signer,
    )


def credential_for(unit: "Unit | None", *, at: datetime) -> Credential:
    """The credential that signs for `unit`, checked valid at `at` (cached per file version)."""
    path = pkcs12_path(unit)
    if unit is not None and settings.SIGNING_PKCS12_DIR and path == Path(settings.SIGNING_PKCS12):
        logger.warning(
            "no %s.p12 in SIGNING_PKCS12_DIR: the province certificate signs for %s",
            unit.code,
            unit.name,
        )
    stat = path.stat() if path.is_file() else None
    credential = _cached(str(path), stat.st_mtime_ns if stat else 0)
    credential.check(at)
    return credential


@lru_cache(maxsize=1024)
def _cached(path: str, _mtime: int) -> Credential:
    return load_credential(Path(path), settings.SIGNING_PKCS12_PASSWORD)


def sign_pdf(content: bytes, credential: Credential, *, reason: str, location: str) -> bytes:
    """Return `content` with one PAdES signature over the whole file."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=credential.signer)
    return out.getvalue()


@dataclass
class SignatureCheck:
    """What /verify says about one signature."""

    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    signer: str
    organisation: str
    signed_at: datetime | None
    detail: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


@dataclass
class Verification:
    """The answer for one file: its hash, its signatures and the stored document it matches.

    `ok` means a result issued here: every signature intact, trusted and over the whole file,
    and the bytes equal to a signed result on file. A sound signature on a file we never
    issued (anyone holding a certificate from a trusted CA can sign a look-alike) is
    `signature_ok` but not `ok`.
    """

    sha256: str
    signatures: list[SignatureCheck]
    on_file: "IssuedDocument | None"
    error: str = ""

    @property
    def signature_ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def issued_here(self) -> bool:
        return self.on_file is not None and bool(self.on_file.signer)

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.issued_here


def trust_roots() -> list[object]:

    roots: list[object] = []
    for name in settings.SIGNING_TRUST_ROOTS:
        if Path(name).is_file():
            roots.extend(load_certs_from_pemder([name]))
    return roots


MAX_SIGNATURES = 5


def verify_pdf(content: bytes) -> Verification:
    """Check every signature of an uploaded PDF and look the file up among issued documents.

    A file on file is validated as of the instant we signed it (our own record of the time,
    so a result stays valid after the agency certificate expires); any other file as of now.
    """
    digest = hashlib.sha256(content).hexdigest()
    on_file = IssuedDocument.objects.filter(sha256=digest).select_related("dossier").first()
    if len(content) > MAX_UPLOAD_BYTES:
        return Verification(digest, [], on_file, _("The file is larger than 20 MB."))
    if b"%PDF-" not in content[:1024]:
        return Verification(digest, [], on_file, _("The file is not a PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return Verification(
            digest, [], on_file, _("The PDF is damaged and cannot be read: it was altered.")
        )
    except Exception:  # malformed input must never become a 500 on a public page
        logger.warning("unreadable PDF uploaded to /verify (sha256 %s)", digest, exc_info=True)
        return Verification(
            digest, [], on_file, _("The PDF is damaged and cannot be read: it was altered.")
        )
    if not embedded:
        return Verification(digest, [], on_file, _("This PDF carries no digital signature."))
    if len(embedded) > MAX_SIGNATURES:
        return Verification(
            digest, [], on_file, _("The PDF carries too many signatures to be a result.")
        )
    moment = on_file.signed_at if on_file is not None and on_file.signed_at else None
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, moment=moment)
    checks = []
    for signature in embedded:
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # any failure to parse the signature means "not intact"
            checks.append(
                SignatureCheck(False, False, False, False, "", "", None, f"{type(exc).__name__}")
            )
            continue
        subject = status.signing_cert.subject.native
        checks.append(
            SignatureCheck(
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                signer=subject.get("common_name", ""),
                organisation=subject.get("organization_name", ""),
                signed_at=status.signer_reported_dt,
                detail=status.summary(),
            )
        )
    return Verification(digest, checks, on_file)


def _local(at: datetime) -> str:

    return timezone.localtime(at).strftime("%d/%m/%Y")
