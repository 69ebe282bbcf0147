"""End to end in Chromium: a citizen's online filing owes a fee due at filing; the dossier page
says to pay first; the pay button leads to the local VNPay peer, whose Pay calls the IPN on
the live server; the citizen comes back to "paid", the receipt verifies, and the desk may
receive the filing."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from documents.signing import verify_pdf
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Status
from payments.models import FeeDue, Payment, PaymentStatus
from testing.browser import PHONE, assert_mobile_and_accessible
from testing.filing import signed_in_citizen
from testing.peers import running_peer
from testing.vnpay import SECRET, TMN_CODE, add_fees


@pytest.mark.django_db(transaction=True)
def test_a_citizen_pays_through_the_gateway_and_gets_a_signed_receipt(
    world: World, browser: Any, live_server: Any, pki: Any, settings: Any
) -> None:
    base = live_server.url
    user, client = signed_in_citizen()
    d = actions.file_dossier(
        actor=user,
        version=add_fees(due=FeeDue.AT_FILING),
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912000111"),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )
    with running_peer(
        "demo.peers.vnpay",
        "--tmn-code",
        TMN_CODE,
        "--hash-secret",
        SECRET,
        "--ipn-url",
        f"{base}/payments/vnpay/ipn",
    ) as peer:
        settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = TMN_CODE, SECRET
        settings.VNPAY_PAY_URL = peer + "/paymentv2/vpcpay.html"
        settings.VNPAY_API_URL = peer + "/merchant_webapi/api/transaction"
        ctx = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
        ctx.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
        )
        page = ctx.new_page()
        page.set_default_timeout(20000)
        page.goto(f"{base}/ho-so-cua-toi/{d.code}/")
        assert "70.000" in page.inner_text("#pay-first")
        assert_mobile_and_accessible(page)
        page.click("#pay")
        page.wait_for_url(f"{peer}/paymentv2/vpcpay.html?**")
        assert "70.000" in page.inner_text("body")
        # Pay: the peer calls our IPN (server to server), then sends the browser back.
        page.click("button[value=pay]")
        page.wait_for_url("**/payments/vnpay/return?**")
        assert page.get_attribute("#payment-outcome", "data-outcome") == "paid"
        page.click("#payment-outcome a.button")
        page.wait_for_url(f"**/ho-so-cua-toi/{d.code}/")
        assert page.inner_text("#fees-outstanding").strip() == "0"
        assert page.locator("#pay-first").count() == 0
        receipt = page.locator("#payments a").first
        pdf = page.request.get(base + str(receipt.get_attribute("href")))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        body = pdf.body()
        ctx.close()
    # pyHanko runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        check = pool.submit(verify_pdf, body).result()
    assert check.signature_ok and world.ward_a.name in check.signatures[0].signer + (
        check.signatures[0].organisation or ""
    )
    payment = Payment.objects.get(dossier=d)
    assert payment.status == PaymentStatus.PAID and payment.provider_ref
    d = actions.accept(d, actor=world.desk_a, at=timezone.now())
    assert d.status == Status.IN_PROGRESS
