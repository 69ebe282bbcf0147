"""Fees due per dossier, the desk's cash and transfer payments, the engine's refusal to
return a result with fees unpaid, refunds of cash, and receipts."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from conftest import World
from documents import signing
from documents.signing import verify_pdf
from dossiers import actions
from dossiers.actions import InvalidInput, InvalidTransition, NotAllowed, verify_chain
from dossiers.models import Dossier, OutboxMessage, Status
from notify.defaults import TEXTS
from notify.render import fill, values_for
from payments import actions as pay
from payments.fees import summary
from payments.models import FeeWaiver, Payment, PaymentStatus
from payments.receipt import receipt_pdf
from testing.dossiers import finish, intake
from testing.pdf import text_of
from testing.vnpay import add_fees

pytestmark = pytest.mark.django_db


def _ready(world: World) -> Dossier:
    now = timezone.now()
    return finish(world, intake(world, now), now)


def test_the_legacy_fee_and_charge_are_lines_when_a_version_has_none(world: World) -> None:
    d = intake(world, timezone.now())
    assert summary(d).lines == [] and not summary(d).has_fees
    version = d.procedure_version
    version.fee_vnd, version.charge_vnd = 30_000, 8_000
    version.save()
    s = summary(d)
    assert [(line.kind, line.amount_vnd) for line in s.lines] == [
        ("fee", 30_000),
        ("charge", 8_000),
    ]
    assert s.owed_vnd == 38_000


def test_a_waiver_exempts_its_lines(world: World) -> None:
    add_fees()
    d = intake(world, timezone.now())
    assert summary(d).owed_vnd == 70_000
    FeeWaiver.objects.create(
        dossier=d, category="poor_household", recorded_by=world.desk_a, recorded_at=timezone.now()
    )
    s = summary(d)
    assert s.owed_vnd == 50_000 and [line.waived for line in s.lines] == [False, True]


def test_the_result_is_not_returned_while_a_fee_is_unpaid(world: World) -> None:
    add_fees()
    d = _ready(world)
    # The applicant was told to pay when the result became ready.
    due = OutboxMessage.objects.get(dossier=d, kind="payment_due", channel="sms")
    assert due.payload["amount_vnd"] == 70_000
    # ... in words the notification templates fill ({amount}).
    text = fill(TEXTS["payment_due"][1], values_for(due))
    assert "70.000 đồng" in text and d.code in text
    with pytest.raises(InvalidTransition, match=r"còn 70\.000 đồng"):
        actions.return_result(
            d,
            actor=world.desk_a,
            at=timezone.now(),
            return_method="desk",
            collector_name="Nguyễn Văn A",
        )
    assert Dossier.objects.get(pk=d.pk).status == Status.RESULT_READY
    pay.record_at_desk(
        d,
        method="cash",
        amount_vnd=70_000,
        receipt_number="0000123",
        by=world.desk_a,
        at=timezone.now(),
    )
    d = actions.return_result(
        Dossier.objects.get(pk=d.pk),
        actor=world.desk_a,
        at=timezone.now(),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    assert d.status == Status.RETURNED
    assert verify_chain(Dossier.objects.get(pk=d.pk))
    verbs = list(d.events.order_by("seq").values_list("verb", flat=True))
    assert verbs[-2:] == ["pay", "return_result"]


def test_a_dossier_without_fees_returns_as_before(world: World) -> None:
    d = actions.return_result(
        _ready(world),
        actor=world.desk_a,
        at=timezone.now(),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    assert d.status == Status.RETURNED
    assert not OutboxMessage.objects.filter(kind="payment_due").exists()


def test_desk_payments_are_checked(world: World) -> None:
    add_fees()
    d = intake(world, timezone.now())
    now = timezone.now()

    def record(**kw: Any) -> Payment:
        values: dict[str, Any] = {
            "method": "cash",
            "amount_vnd": 50_000,
            "receipt_number": "0000001",
            "by": world.desk_a,
            "at": now,
        }
        return pay.record_at_desk(d, **(values | kw))

    with pytest.raises(InvalidInput, match="Nhập số biên lai"):
        record(receipt_number=" ")
    with pytest.raises(InvalidInput, match=r"từ 1 đến 70\.000"):
        record(amount_vnd=70_001)
    with pytest.raises(InvalidInput, match="mã tham chiếu"):
        record(method="transfer")
    with pytest.raises(InvalidInput):
        record(method="bitcoin")
    with pytest.raises(NotAllowed):
        record(by=world.desk_b)
    first = record()
    assert first.status == PaymentStatus.PAID and first.recorded_by == world.desk_a
    with pytest.raises(InvalidInput, match="đã được dùng"):
        record(amount_vnd=20_000)
    record(method="transfer", amount_vnd=20_000, receipt_number="0000002", reference="FT2601")
    s = summary(d)
    assert (s.paid_vnd, s.outstanding_vnd) == (70_000, 0)
    with pytest.raises(InvalidInput):
        record(amount_vnd=1, receipt_number="0000003")
    assert OutboxMessage.objects.filter(dossier=d, kind="payment_received").count() == 2


def test_the_desk_page_records_a_payment_and_serves_its_receipt(
    world: World, tmp_path: Path
) -> None:
    add_fees(fee=1_200_000, charge=50_000)
    d = intake(world, timezone.now())
    c = Client()
    c.force_login(world.desk_a)
    page = c.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="record-payment"' in page and "1250000" in page
    r = c.post(
        f"/desk/dossiers/{d.code}/payments/",
        {"method": "cash", "amount_vnd": "1.250.000", "receipt_number": "BL-0042"},
    )
    assert r.status_code == 302
    payment = Payment.objects.get(dossier=d)
    assert payment.amount_vnd == 1_250_000 and payment.receipt_number == "BL-0042"
    page = c.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="record-payment"' not in page and "BL-0042" in page
    pdf = c.get(f"/desk/dossiers/{d.code}/payments/{payment.txn_ref}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content, tmp_path, "receipt", shot=False)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Một triệu hai trăm năm mươi nghìn đồng",
        "1.250.000",
        d.code,
        "Phí thẩm định",
        "BL-0042",
        "Tiền mặt",
        world.ward_a.name.upper(),
    ):
        assert expected.replace(" ", "") in text
    # Ward B's desk sees neither the dossier nor its receipt.
    other = Client()
    other.force_login(world.desk_b)
    assert (
        other.get(f"/desk/dossiers/{d.code}/payments/{payment.txn_ref}/receipt.pdf").status_code
        == 404
    )
    assert (
        other.post(
            f"/desk/dossiers/{d.code}/payments/", {"method": "cash", "amount_vnd": "1"}
        ).status_code
        == 404
    )


def test_the_receipt_is_signed_by_the_collecting_unit_or_says_it_is_not(
    world: World, tmp_path: Path, settings: Any, request: pytest.FixtureRequest
) -> None:
    add_fees(fee=30_000, charge=0)
    d = intake(world, timezone.now())
    payment = pay.record_at_desk(
        d,
        by=world.desk_a,
        at=timezone.now(),
        method="cash",
        amount_vnd=30_000,
        receipt_number="BL-0001",
    )
    c = Client()
    c.force_login(world.desk_a)
    url = f"/desk/dossiers/{d.code}/payments/{payment.txn_ref}/receipt.pdf"
    # No certificate where the settings point: served, and its face says it is unsigned.
    settings.SIGNING_PKCS12 = str(tmp_path / "none.p12")
    settings.SIGNING_PKCS12_DIR = ""
    signing._cached.cache_clear()
    unsigned = c.get(url).content
    assert not verify_pdf(unsigned).signatures
    assert "chưacóchữkýsố".replace(" ", "") in text_of(unsigned, tmp_path, "u", shot=False)
    # With ward A's certificate: one signature over the whole file, by the ward.
    request.getfixturevalue("pki")
    signed = c.get(url).content
    check = verify_pdf(signed)
    assert check.signature_ok, check
    assert check.signatures[0].organisation or check.signatures[0].signer
    assert world.ward_a.name in check.signatures[0].signer + check.signatures[0].organisation
    assert "Kýsốbởi" in text_of(signed, tmp_path, "s", shot=False)


def test_cash_is_refunded_only_for_a_refused_or_stopped_dossier(world: World) -> None:
    add_fees()
    d = intake(world, timezone.now())
    p = pay.record_at_desk(
        d, method="cash", amount_vnd=70_000, receipt_number="9", by=world.desk_a, at=timezone.now()
    )
    with pytest.raises(InvalidTransition, match="bị từ chối, dừng giải quyết"):
        pay.refund(p, by=world.desk_a, at=timezone.now())
    actions.stop(
        Dossier.objects.get(pk=d.pk), actor=world.desk_a, at=timezone.now(), reason="Xin rút"
    )
    p.refresh_from_db()
    refunded = pay.refund(p, by=world.desk_a, at=timezone.now())
    assert refunded.status == PaymentStatus.REFUNDED
    s = summary(d)
    assert (s.paid_vnd, s.refunded_vnd) == (0, 70_000)
    with pytest.raises(InvalidTransition):
        pay.refund(refunded, by=world.desk_a, at=timezone.now())
    assert verify_chain(Dossier.objects.get(pk=d.pk))


def test_the_receipt_carries_the_units_tax_code_or_the_deployments(
    world: World, tmp_path: Path, settings: Any
) -> None:
    add_fees(fee=30_000, charge=0)
    d = intake(world, timezone.now())
    payment = pay.record_at_desk(
        d, by=world.desk_a, at=timezone.now(), method="cash", amount_vnd=30_000, receipt_number="7"
    )
    settings.RECEIPT_TAX_CODE = "1400000000"
    payment.unit.refresh_from_db()
    assert "Mãsốthuế:1400000000" in text_of(receipt_pdf(payment), tmp_path, "a", shot=False)
    # The unit's own, edited in the admin (checked there: 10 digits, or 10-NNN for a branch).
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="x"))
    unit = world.ward_a
    url = f"/admin/orgs/unit/{unit.pk}/change/"
    form = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "office_hours": unit.office_hours,
        "intake_cutoff": "15:00",
        "agencies-TOTAL_FORMS": "0",
        "agencies-INITIAL_FORMS": "0",
    }
    refused = admin.post(url, {**form, "tax_code": "14000"})
    assert refused.status_code == 200 and "Mã số thuế gồm 10 chữ số" in refused.content.decode()
    done = admin.post(url, {**form, "tax_code": "1400100200-001"})
    assert done.status_code == 302, done.content.decode()[:3000]
    payment.unit.refresh_from_db()
    text = text_of(receipt_pdf(payment), tmp_path, "b", shot=False)
    assert "Mãsốthuế:1400100200-001" in text and "1400000000" not in text
