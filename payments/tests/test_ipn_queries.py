"""The IPN's hot path (benchmark `ipn`): the statements of one paid notice, pinned, with every
guarantee still written (the payment paid and numbered, the chain event, the outbox rows)."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument, verify_chain
from dossiers.models import Dossier, OutboxMessage
from dossiers.replay import audit_problems
from lib import vnpay as sig
from payments.models import Method, Payment, PaymentStatus
from testing.vnpay import SECRET, TMN_CODE, add_fees

pytestmark = pytest.mark.django_db

IPN = "/payments/vnpay/ipn"

# The payment's reference (read outside the transaction), the savepoint pair, the dossier's
# lock (with its last event's state digest, carried forward), the payment's lock, the receipt
# counter (UPDATE ... RETURNING), the payment's update, the event, the chain head on the
# dossier row and the two outbox rows (sms, email). It was 13 (the counter read back, the step
# rows read again for the digest), each built by the ORM.
IPN_QUERIES = 11


def _pending(world: World, amount: int, ref: str) -> Payment:
    version = add_fees()
    d = actions.file_dossier(
        actor=world.desk_a,
        version=version,
        receiving_unit=world.ward_a,
        channel="1",
        applicant=Applicant(
            "person", "Nguyễn Văn A", "087095000123", phone="0912000111", email="a@example.vn"
        ),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )
    now = timezone.now()
    return Payment.objects.create(
        dossier=d,
        unit=world.ward_a,
        amount_vnd=amount,
        method=Method.ONLINE,
        provider="vnpay",
        txn_ref=ref,
        payer_name="A",
        created_at=now,
        expires_at=now + timedelta(minutes=15),
    )


def _notice(p: Payment) -> dict[str, str]:
    params = {
        "vnp_Amount": str(p.amount_vnd * 100),
        "vnp_BankCode": "NCB",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": "1" + p.txn_ref[-6:],
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": p.txn_ref,
    }
    params["vnp_SecureHash"] = sig.sign(params, SECRET)
    return params


@pytest.fixture
def merchant(settings: Any) -> None:
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = SECRET


def test_a_paid_notice_costs_only_its_statements(world: World, merchant: None) -> None:
    warm, p = _pending(world, 70_000, "T000001"), _pending(world, 70_001, "T000002")
    assert Client().get(IPN, _notice(warm)).json()["RspCode"] == "00"
    with CaptureQueriesContext(connection) as queries:
        r = Client().get(IPN, _notice(p))
    assert r.status_code == 200 and r.json() == {"RspCode": "00", "Message": "Confirm Success"}
    assert len(queries.captured_queries) == IPN_QUERIES, [
        q["sql"][:200] for q in queries.captured_queries
    ]
    # Every guarantee is still written.
    paid = Payment.objects.get(pk=p.pk)
    assert paid.status == PaymentStatus.PAID and paid.receipt_number == "00000002"
    assert paid.provider_ref == "1000002" and paid.bank_code == "NCB" and paid.paid_at
    d = Dossier.objects.get(payments=p)
    assert d.events.filter(verb="pay", payload__txn_ref=p.txn_ref).count() == 1
    assert verify_chain(d)
    sent = OutboxMessage.objects.filter(dossier=d, kind="payment_received")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    assert sent.first().payload["receipt_number"] == "00000002"  # type: ignore[union-attr]
    # A replay answers 02 and writes nothing.
    with CaptureQueriesContext(connection) as replay:
        assert Client().get(IPN, _notice(p)).json()["RspCode"] == "02"
    assert not [q for q in replay.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]


def test_a_payment_does_not_seal_rows_edited_behind_the_applications_back(
    world: World, merchant: None
) -> None:
    p = _pending(world, 70_000, "T000003")
    d = Dossier.objects.get(payments=p)
    assert audit_problems(d, list(d.events.order_by("seq"))) == []
    # Someone with write access to the database, not the key, renames the applicant.
    Dossier.objects.filter(pk=d.pk).update(applicant_name="Trần Thị B")
    assert Client().get(IPN, _notice(p)).json()["RspCode"] == "00"
    d = Dossier.objects.get(pk=d.pk)
    events = list(d.events.order_by("seq"))
    assert events[-1].verb == "pay" and events[-1].state_digest == events[-2].state_digest
    # The chain itself is intact, and the edit is still seen.
    assert verify_chain(d)
    assert any("state digest" in problem for problem in audit_problems(d, events))


def test_the_ipn_takes_the_short_path_and_keeps_its_guards(world: World, merchant: None) -> None:
    p = _pending(world, 70_000, "T000004")
    r = Client().get(IPN, _notice(p))
    assert r.json()["RspCode"] == "00"
    # Past the browser's middleware (no CSP or frame headers on the JSON), not past the
    # method check nor the NUL filter (PostgreSQL cannot store NUL).
    assert "Content-Security-Policy" not in r and "X-Frame-Options" not in r
    assert "Content-Security-Policy" in Client().get("/payments/vnpay/return")
    assert Client().post(IPN, _notice(p)).status_code == 405
    assert Client().get(IPN, {"vnp_TxnRef": "A\x00"}).status_code == 400


def test_an_ipn_from_outside_the_gateways_addresses_settles_nothing(
    world: World, merchant: None, settings: Any
) -> None:
    p = _pending(world, 70_000, "T000005")
    settings.VNPAY_IPN_ALLOWED_IPS = ["203.171.19.0/24"]  # the test client is 127.0.0.1
    r = Client().get(IPN, _notice(p))
    assert r.status_code == 403 and r.json()["RspCode"] == "99"
    assert Payment.objects.get(pk=p.pk).status == PaymentStatus.PENDING
    settings.VNPAY_IPN_ALLOWED_IPS = ["203.171.19.0/24", "127.0.0.1"]
    assert Client().get(IPN, _notice(p)).json()["RspCode"] == "00"
    assert Payment.objects.get(pk=p.pk).status == PaymentStatus.PAID
