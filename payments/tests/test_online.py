"""Paying online through the local VNPay peer: the signed redirect, the IPN (the only thing
that marks a payment paid) and every bad notice, the return page, double clicks."""

import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument, verify_chain
from dossiers.models import Dossier, OutboxMessage
from lib import vnpay as sig
from payments import actions as pay
from payments.models import Payment, PaymentStatus
from testing.filing import signed_in_citizen
from testing.vnpay import SECRET, LiveGateway, add_fees

pytestmark = pytest.mark.django_db

IPN = "/payments/vnpay/ipn"


def _filed_online(world: World) -> tuple[Dossier, Client]:
    version = add_fees()
    user, client = signed_in_citizen()
    d = actions.file_dossier(
        actor=user,
        version=version,
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912000111"),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )
    return actions.accept(d, actor=world.desk_a, at=timezone.now()), client


def _start(client: Client, d: Dossier) -> tuple[Payment, str]:
    r = client.post(f"/ho-so-cua-toi/{d.code}/thanh-toan/")
    assert r.status_code == 302
    payment = Payment.objects.get(dossier=d, status=PaymentStatus.PENDING)
    return payment, r["Location"]


def _ipn(params: dict[str, str]) -> dict[str, str]:
    r = Client().get(IPN, params)
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    return dict(r.json())


def test_a_payment_goes_through_the_gateway_and_the_ipn(world: World, vnpay: LiveGateway) -> None:
    d, client = _filed_online(world)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert 'id="pay"' in page and 'id="fees-outstanding">70.000' in page
    payment, url = _start(client, d)
    assert url.startswith(vnpay.url + "/paymentv2/vpcpay.html?")
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["vnp_Amount"] == "7000000" and query["vnp_TxnRef"] == payment.txn_ref
    assert query["vnp_Version"] == "2.1.0" and query["vnp_Command"] == "pay"
    # The peer checks our signature with its own implementation, and shows the page.
    status, body = vnpay.open(url)
    assert status == 200 and "70.000" in body and "Thanh toán" in body
    assert vnpay.open(url.replace("vnp_Amount=7000000", "vnp_Amount=100"))[0] == 400
    # The peer's IPN: checked with ours, settles the payment once.
    params = vnpay.notice(payment.txn_ref, "pay")
    assert sig.verify(params, SECRET)
    # The browser's return changes nothing, even with a genuine success in hand.
    back = Client().get("/payments/vnpay/return", params).content.decode()
    assert 'data-outcome="confirming"' in back
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert _ipn(params) == {"RspCode": "00", "Message": "Confirm Success"}
    paid = Payment.objects.get(pk=payment.pk)
    assert paid.status == PaymentStatus.PAID and paid.provider_ref == params["vnp_TransactionNo"]
    assert paid.bank_code == "NCB" and paid.paid_at is not None
    assert paid.receipt_number == "00000001"  # the unit's first electronic receipt this year
    assert 'data-outcome="paid"' in Client().get("/payments/vnpay/return", params).content.decode()
    # A replay is "already confirmed" and changes nothing.
    assert _ipn(params)["RspCode"] == "02"
    d = Dossier.objects.get(pk=d.pk)
    assert list(d.events.filter(verb="pay").values_list("payload__txn_ref", flat=True)) == [
        payment.txn_ref
    ]
    assert verify_chain(d)
    assert OutboxMessage.objects.filter(dossier=d, kind="payment_received").count() == 1
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert 'id="pay"' not in page and 'id="fees-outstanding">0' in page
    receipt = client.get(f"/ho-so-cua-toi/{d.code}/bien-lai/{payment.txn_ref}.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    _other, other_client = signed_in_citizen("0912000999", id_number="087095000999")
    assert (
        other_client.get(f"/ho-so-cua-toi/{d.code}/bien-lai/{payment.txn_ref}.pdf").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("spoil", "code"), [("checksum", "97"), ("amount", "04")], ids=["forged", "wrong-amount"]
)
def test_a_forged_or_wrong_amount_notice_changes_nothing(
    world: World, vnpay: LiveGateway, spoil: str, code: str
) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    assert _ipn(vnpay.notice(payment.txn_ref, "pay", spoil=spoil))["RspCode"] == code
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not Dossier.objects.get(pk=d.pk).events.filter(verb="pay").exists()


def test_unknown_references_and_garbage_are_answered_not_crashed(
    world: World, vnpay: LiveGateway, settings: Any
) -> None:
    unknown = {"vnp_TxnRef": "NOPE", "vnp_Amount": "100", "vnp_ResponseCode": "00"}
    unknown["vnp_SecureHash"] = sig.sign(unknown, SECRET)
    assert _ipn(unknown)["RspCode"] == "01"
    assert _ipn({})["RspCode"] == "97"
    assert _ipn({"vnp_SecureHash": "zz", "vnp_Amount": "x" * 5000})["RspCode"] == "97"
    odd = {"vnp_TxnRef": "NOPE", "vnp_Amount": "12.5"}
    odd["vnp_SecureHash"] = sig.sign(odd, SECRET)
    assert _ipn(odd)["RspCode"] == "01"
    assert Client().post(IPN, unknown).status_code == 405


def test_a_failed_payment_is_failed_and_can_be_tried_again(
    world: World, vnpay: LiveGateway
) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    params = vnpay.notice(payment.txn_ref, "fail")
    assert _ipn(params)["RspCode"] == "00"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED
    back = Client().get("/payments/vnpay/return", params).content.decode()
    assert 'data-outcome="failed"' in back
    again, _url = _start(client, d)
    assert again.pk != payment.pk


@pytest.mark.parametrize("status", [PaymentStatus.EXPIRED, PaymentStatus.CANCELLED])
def test_a_notice_for_a_given_up_payment_changes_nothing(
    world: World, vnpay: LiveGateway, status: str
) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    Payment.objects.filter(pk=payment.pk).update(status=status)
    assert _ipn(vnpay.notice(payment.txn_ref, "pay"))["RspCode"] == "02"
    assert Payment.objects.get(pk=payment.pk).status == status
    assert not OutboxMessage.objects.filter(kind="payment_received").exists()


def test_a_double_click_resumes_the_same_payment(world: World, vnpay: LiveGateway) -> None:
    d, client = _filed_online(world)
    first, url1 = _start(client, d)
    second, url2 = _start(client, d)
    assert (
        first.pk == second.pk
        and url1.split("&vnp_SecureHash")[0] == url2.split("&vnp_SecureHash")[0]
    )
    assert Payment.objects.filter(dossier=d).count() == 1
    # Once it has expired, a click starts a new one and the old one is given up.
    later = timezone.now() + timedelta(minutes=30)
    third = pay.start_online(d, provider="vnpay", at=later)
    assert third.pk != first.pk
    assert Payment.objects.get(pk=first.pk).status == PaymentStatus.EXPIRED


def test_two_notices_at_once_settle_once(world: World, vnpay: LiveGateway) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    params = vnpay.notice(payment.txn_ref, "pay")
    notice = pay.get_provider("vnpay").read_notice(params)
    # Both read the payment as pending before either settled: the lock decides.
    answers = [pay.settle(notice, at=timezone.now()) for _ in range(2)]
    assert [a[0] for a in answers] == ["00", "02"]
    assert Dossier.objects.get(pk=d.pk).events.filter(verb="pay").count() == 1


def test_nothing_to_pay_refuses_to_start(world: World, vnpay: LiveGateway) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    _ipn(vnpay.notice(payment.txn_ref, "pay"))
    r = client.post(f"/ho-so-cua-toi/{d.code}/thanh-toan/", follow=True)
    assert "Hồ sơ không còn khoản phí, lệ phí nào phải nộp." in r.content.decode()
    assert Payment.objects.filter(dossier=d).count() == 1


def test_without_a_merchant_secret_nothing_is_paid_online(world: World, settings: Any) -> None:
    settings.VNPAY_TMN_CODE = settings.VNPAY_HASH_SECRET = ""
    d, client = _filed_online(world)
    assert 'id="pay"' not in client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    r = client.post(f"/ho-so-cua-toi/{d.code}/thanh-toan/", follow=True)
    assert "Chưa hỗ trợ thanh toán trực tuyến" in r.content.decode()
    assert not Payment.objects.exists()
    # A notice signed with an empty key is not believed.
    forged = {"vnp_TxnRef": "X", "vnp_Amount": "100", "vnp_ResponseCode": "00"}
    forged["vnp_SecureHash"] = sig.sign(forged, "")
    assert _ipn(forged)["RspCode"] == "97"


def test_the_peers_pay_button_sends_the_browser_back_signed(
    world: World, vnpay: LiveGateway
) -> None:
    d, client = _filed_online(world)
    payment, url = _start(client, d)
    vnpay.open(url)
    request = urllib.request.Request(  # noqa: S310 - the peer on 127.0.0.1
        vnpay.url + "/_act",
        data=urlencode({"ref": payment.txn_ref, "outcome": "pay"}).encode(),
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as sent:
        opener.open(request, timeout=10)
    location = sent.value.headers["Location"]
    assert location.startswith("http://testserver/payments/vnpay/return?")
    back = Client().get(location.removeprefix("http://testserver"))
    # Signed correctly; the payment waits for its IPN (the peer had no IPN URL here).
    assert 'data-outcome="confirming"' in back.content.decode()
    abandon = urllib.request.Request(  # noqa: S310 - the peer on 127.0.0.1
        vnpay.url + "/_act",
        data=urlencode({"ref": payment.txn_ref, "outcome": "abandon"}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(abandon, timeout=10) as page:  # noqa: S310 - 127.0.0.1
        assert "chưa hoàn tất" in page.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
