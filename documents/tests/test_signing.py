"""Signed electronic results: PAdES with the competent unit's certificate, and /verify.

The issue's test: validate a signed result with pyHanko, flip one byte, see it refused. Also
every certificate problem the issue names (missing, expired, not yet valid, key not matching,
wrong password) stops the approval with a message and writes nothing.
"""

import hashlib
import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from typing import Any as SettingsWrapper

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from conftest import World
from documents import papers, signing
from documents.models import Form, IssuedDocument
from documents.papers import render_result
from documents.pki import Issued, make_agency, make_ca, write_pkcs12
from documents.results import approve_and_sign
from dossiers import actions
from dossiers.models import Dossier, Status
from testing.api import bearer, login
from testing.clock import vn
from testing.dossiers import intake
from testing.pdf import has, text_of
from testing.portal import open_status
from testing.signing import Pki, flip_inside_signed_range, ready_for_approval


def approve_at_desk(client: Client, d: Dossier) -> None:
    client.post(f"/desk/dossiers/{d.code}/act/approve/", {"version": d.version, "confirm": "1"})


def pyhanko_status(content: bytes, ca: Issued) -> tuple[bool, bool, bool]:

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    sig = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
    return status.intact, status.valid, status.trusted


def test_approval_signs_the_result_and_it_verifies(
    world: World, pki: Pki, client: Client, tmp_path: Path
) -> None:
    d = ready_for_approval(world)
    approve_at_desk(login(client, "leader_a"), d)
    d.refresh_from_db()
    assert d.status == Status.RESULT_READY
    stored = IssuedDocument.objects.get(dossier=d, form=Form.RESULT)
    assert f"UBND {world.ward_a.name}" in stored.signer
    assert stored.signed_at is not None

    # The citizen opens the status with the receipt, then downloads the result on that
    # grant (no PIN in any URL); a second download is the very same file.
    citizen = Client()
    status_page = open_status(citizen, d)
    url = f"/tra-cuu/{d.code}/ket-qua.pdf"
    assert url in status_page.content.decode()
    first = citizen.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["Cache-Control"] == "no-store"
    assert first.content == bytes(stored.content) == citizen.get(url).content
    # Another browser, even with the PIN in the query string, gets only the lookup form.
    stranger = Client().get(f"{url}?pin={d.public_secret}")
    assert stranger.status_code == 200 and stranger["Content-Type"].startswith("text/html")

    assert pyhanko_status(first.content, pki.ca) == (True, True, True)
    text = text_of(first.content, tmp_path, "result-signed")
    has(
        text,
        "THÔNG BÁO KẾT QUẢ",
        d.code,
        "Đăng ký khai sinh",
        "Nguyễn Văn A",
        "Hồ sơ được giải quyết (chấp thuận)",
        "Lê Văn Đức",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Đã ký số",
    )
    if shutil.which("pdfsig"):
        path = tmp_path / "signed.pdf"
        path.write_bytes(first.content)
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
        assert "Signature is Valid" in out.stdout, out.stdout

    # /verify: upload the file.
    page = client.post("/verify/", {"file": io.BytesIO(first.content)})
    v = page.context["verification"]
    assert v.ok and v.on_file == stored
    assert v.signatures[0].signer == f"UBND {world.ward_a.name}"
    assert v.signatures[0].signed_at is not None
    body = page.content.decode()
    assert "Hợp lệ" in body and d.code in body

    # /verify by dossier code.
    by_code = Client().get(f"/verify/?code={d.code}")
    assert by_code.status_code == 200 and by_code.context["verification"].ok


def test_one_flipped_byte_is_refused(world: World, pki: Pki, client: Client) -> None:
    d = ready_for_approval(world)
    approve_at_desk(login(client, "leader_a"), d)
    good = bytes(IssuedDocument.objects.get(dossier=d, form=Form.RESULT).content)
    bad = flip_inside_signed_range(good)
    assert pyhanko_status(bad, pki.ca)[0] is False

    v = signing.verify_pdf(bad)
    assert not v.ok and v.on_file is None
    page = Client().post("/verify/", {"file": io.BytesIO(bad)})
    body = page.content.decode()
    assert "Không hợp lệ" in body
    assert "Không khớp" in body or "không lưu" in body.lower()


def test_appended_content_is_not_covered(world: World, pki: Pki, client: Client) -> None:
    d = ready_for_approval(world)
    approve_at_desk(login(client, "leader_a"), d)
    good = bytes(IssuedDocument.objects.get(dossier=d, form=Form.RESULT).content)
    v = signing.verify_pdf(good + b"\n% added later\n")
    assert not v.ok


def test_signature_from_an_untrusted_ca_is_not_valid(world: World, pki: Pki) -> None:
    stranger = make_ca("Someone else")
    path = pki.dir / "stranger.p12"
    write_pkcs12(path, make_agency(stranger, "UBND giả mạo"), stranger)
    credential = signing.load_credential(path, "")

    d = ready_for_approval(world)
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 3, 9))
    forged = signing.sign_pdf(render_result(d), credential, reason="x", location="y")
    v = signing.verify_pdf(forged)
    assert v.signatures[0].intact and not v.signatures[0].trusted and not v.ok


def test_bad_uploads_get_clear_messages(world: World, pki: Pki, client: Client) -> None:
    not_pdf = Client().post("/verify/", {"file": io.BytesIO(b"hello, this is text")})
    assert not_pdf.context["verification"].error
    assert "không phải là tệp PDF" in not_pdf.content.decode()

    # A paper slip is a PDF without a signature.
    d = intake(world, vn(2026, 3, 2, 9))
    slip = login(client, "desk_a").get(f"/desk/dossiers/{d.code}/papers/01.pdf").content
    unsigned = Client().post("/verify/", {"file": io.BytesIO(slip)})
    assert "không có chữ ký số" in unsigned.content.decode()

    truncated = Client().post("/verify/", {"file": io.BytesIO(slip[: len(slip) // 3])})
    assert truncated.status_code == 200
    assert not truncated.context["verification"].ok

    nothing = Client().post("/verify/", {})
    assert nothing.status_code == 400

    unknown = Client().get("/verify/?code=KHONG-CO")
    assert unknown.status_code == 404 and "KHONG-CO" in unknown.content.decode()
    no_result = Client().get(f"/verify/?code={d.code}")
    assert no_result.status_code == 404


def _expect_refused(world: World, client: Client, needle: str) -> None:
    d = ready_for_approval(world)
    before = d.version
    response = login(client, "leader_a").post(
        f"/desk/dossiers/{d.code}/act/approve/", {"version": d.version, "confirm": "1"}, follow=True
    )
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and d.version == before  # nothing approved
    assert not IssuedDocument.objects.filter(dossier=d).exists()
    assert needle in response.content.decode()


def test_missing_certificate_stops_the_approval(world: World, pki: Pki, client: Client) -> None:
    pki.unit_file(world.ward_a.code).unlink()
    (pki.dir / "agency.p12").unlink()
    _expect_refused(world, client, "không tồn tại")


def test_expired_certificate_stops_the_approval(world: World, pki: Pki, client: Client) -> None:
    now = datetime.now(UTC)
    old = make_agency(
        pki.ca,
        "UBND hết hạn",
        not_before=now - timedelta(days=800),
        not_after=now - timedelta(days=70),
    )
    write_pkcs12(pki.unit_file(world.ward_a.code), old, pki.ca, "mật-khẩu")
    _expect_refused(world, client, "đã hết hạn")


def test_certificate_not_yet_valid_stops_the_approval(
    world: World, pki: Pki, client: Client
) -> None:
    now = datetime.now(UTC)
    future = make_agency(
        pki.ca, "UBND tương lai", not_before=now + timedelta(days=3), not_after=now + timedelta(900)
    )
    write_pkcs12(pki.unit_file(world.ward_a.code), future, pki.ca, "mật-khẩu")
    _expect_refused(world, client, "chưa có hiệu lực")


def test_key_not_matching_its_certificate(
    world: World, pki: Pki, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cryptography refuses to *write* such a PKCS#12 file, but other tools do not check:
    # hand the loader a mismatched pair as such a file would give it.

    agency = make_agency(pki.ca, "UBND lệch khoá")
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    monkeypatch.setattr(
        pkcs12,
        "load_key_and_certificates",
        lambda data, password: (stranger_key, agency.cert, [pki.ca.cert]),
    )
    _expect_refused(world, client, "không khớp")


def test_wrong_password(world: World, pki: Pki, client: Client, settings: SettingsWrapper) -> None:
    settings.SIGNING_PKCS12_PASSWORD = "sai"
    _expect_refused(world, client, "mật khẩu")


def approve_through_api(client: Client, pki: Pki, world: World, d: Dossier, user: str) -> Any:
    """Remove every certificate, then POST approve as `user` with a bearer token."""
    pki.unit_file(world.ward_a.code).unlink()
    (pki.dir / "agency.p12").unlink()
    return client.post(
        f"/api/v1/dossiers/{d.code}/actions/approve",
        {"version": d.version},
        content_type="application/json",
        **bearer(client, user),
    )


def test_api_approval_without_certificate_is_a_problem(
    world: World, pki: Pki, client: Client
) -> None:
    d = ready_for_approval(world)
    response = approve_through_api(client, pki, world, d, "leader_a")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert "không tồn tại" in response.json()["detail"]
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS


def test_paper_dossiers_need_no_certificate(world: World, pki: Pki, client: Client) -> None:
    pki.unit_file(world.ward_a.code).unlink()
    (pki.dir / "agency.p12").unlink()
    d = intake(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.forward(d, actor=world.specialist_a, at=vn(2026, 3, 2, 11), comment="Đủ điều kiện.")
    approve_at_desk(login(client, "leader_a"), d)
    d.refresh_from_db()
    assert d.status == Status.RESULT_READY
    assert not IssuedDocument.objects.filter(dossier=d, form=Form.RESULT).exists()


def test_a_sound_signature_on_a_file_not_issued_here_is_not_a_valid_result(
    world: World, pki: Pki
) -> None:
    """Anyone with a certificate from a trusted CA can sign a look-alike: not ours, not valid."""
    path = pki.dir / "citizen.p12"
    write_pkcs12(path, make_agency(pki.ca, "Công ty TNHH Giả Mạo"), pki.ca)
    d = actions.approve(ready_for_approval(world), actor=world.leader_a, at=vn(2026, 3, 3, 9))
    lookalike = signing.sign_pdf(
        render_result(d), signing.load_credential(path, ""), reason="x", location="y"
    )
    v = signing.verify_pdf(lookalike)
    assert v.signature_ok and not v.issued_here and not v.ok
    page = Client().post("/verify/", {"file": io.BytesIO(lookalike)})
    assert "Không phải kết quả do hệ thống này cấp" in page.content.decode()


def test_a_result_stays_valid_after_the_certificate_expires(world: World, pki: Pki) -> None:
    """Files on file are judged as of the instant we signed them."""
    now = datetime.now(UTC)
    old = make_agency(
        pki.ca,
        "UBND đã hết hạn",
        not_before=now - timedelta(days=800),
        not_after=now - timedelta(days=70),
    )
    path = pki.dir / "old.p12"
    write_pkcs12(path, old, pki.ca)
    d = actions.approve(ready_for_approval(world), actor=world.leader_a, at=vn(2026, 3, 3, 9))
    signed = signing.sign_pdf(
        render_result(d), signing.load_credential(path, ""), reason="x", location="y"
    )
    # Not on file: judged now, the certificate has expired.
    assert not signing.verify_pdf(signed).signatures[0].trusted

    IssuedDocument.objects.create(
        dossier=d,
        form=Form.RESULT,
        sha256=hashlib.sha256(signed).hexdigest(),
        content=signed,
        size=len(signed),
        created_at=now - timedelta(days=100),
        signer="CN=UBND đã hết hạn",
        signed_at=now - timedelta(days=100),
    )
    assert signing.verify_pdf(signed).ok


def test_an_oversized_upload_is_refused_before_it_is_read(world: World) -> None:
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (signing.MAX_UPLOAD_BYTES + 100 * 1024))
    big.name = "lon.pdf"
    r = Client().post("/verify/", {"file": big})
    assert r.status_code == 413 and "20 MB" in r.content.decode()


def test_someone_who_may_not_approve_gets_no_signing_details(
    world: World, pki: Pki, client: Client
) -> None:
    d = ready_for_approval(world)
    response = approve_through_api(client, pki, world, d, "desk_a")
    assert response.status_code == 403
    assert "p12" not in response.content.decode()


@pytest.mark.parametrize("through", ["desk", "api"])
def test_a_signing_failure_after_the_approval_commits_is_logged_not_an_error(
    world: World,
    pki: Pki,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    through: str,
) -> None:
    # The certificate checks out before the approval, then breaks before the result is signed.
    def broken(*args: Any, **kwargs: Any) -> None:
        raise signing.SigningError("chứng thư vừa hỏng")

    monkeypatch.setattr(papers, "issue", broken)
    d = ready_for_approval(world)
    if through == "desk":
        response = login(client, "leader_a").post(
            f"/desk/dossiers/{d.code}/act/approve/", {"version": d.version, "confirm": "1"}
        )
        assert response.status_code == 302
    else:
        token = client.post(
            "/api/v1/auth/token",
            {"username": "leader_a", "password": "pw-leader_a"},
            content_type="application/json",
        ).json()["token"]
        response = client.post(
            f"/api/v1/dossiers/{d.code}/actions/approve",
            {"version": d.version},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200 and response.json()["status"] == Status.RESULT_READY
    d.refresh_from_db()
    assert d.status == Status.RESULT_READY  # the approval stands
    assert not IssuedDocument.objects.filter(dossier=d).exists()
    assert f"result of {d.code} not signed after approval" in caplog.text


def test_approve_and_sign_is_the_one_domain_call(world: World, pki: Pki) -> None:
    d = approve_and_sign(ready_for_approval(world), actor=world.leader_a, at=datetime.now(UTC))
    assert d.status == Status.RESULT_READY
    assert IssuedDocument.objects.get(dossier=d, form=Form.RESULT).signed_at is not None
