"""Pending payments reconciled with the gateway's querydr (the peer), online refunds, and the
daily reconciliation report."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import World
from dossiers import actions
from dossiers.models import Dossier
from payments import actions as pay
from payments.models import Payment, PaymentStatus
from payments.reconcile import reconcile, reconcile_task
from payments.report import VN, day_report, figures
from testing.dossiers import intake
from testing.vnpay import LiveGateway, add_fees

pytestmark = pytest.mark.django_db


def _pending(world: World, vnpay: LiveGateway) -> tuple[Dossier, Payment]:
    add_fees()
    d = intake(world, timezone.now())
    payment = pay.start_online(d, provider="vnpay", at=timezone.now() - timedelta(minutes=5))
    url = pay.get_provider("vnpay").pay_url(
        payment, client_ip="127.0.0.1", return_url="http://testserver/r", now=timezone.now()
    )
    assert vnpay.open(url)[0] == 200
    return d, payment


def test_a_closed_window_leaves_the_payment_pending_then_expired(
    world: World, vnpay: LiveGateway
) -> None:
    _d, payment = _pending(world, vnpay)
    out = reconcile(timezone.now())
    assert out.unchanged == [payment.txn_ref]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    out = reconcile(timezone.now() + timedelta(minutes=20))
    assert out.expired == [payment.txn_ref]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.EXPIRED


def test_a_lost_ipn_is_made_good_by_querydr(world: World, vnpay: LiveGateway) -> None:
    d, payment = _pending(world, vnpay)
    params = vnpay.notice(payment.txn_ref, "pay")  # paid at the gateway, the IPN never came
    out = reconcile(timezone.now())
    assert out.paid == [payment.txn_ref]
    paid = Payment.objects.get(pk=payment.pk)
    assert paid.status == PaymentStatus.PAID and paid.provider_ref == params["vnp_TransactionNo"]
    # The IPN arriving late, or a second worker, finds it settled.
    assert pay.settle(pay.get_provider("vnpay").read_notice(params), at=timezone.now())[0] == "02"
    assert reconcile(timezone.now()).paid == []
    assert Dossier.objects.get(pk=d.pk).events.filter(verb="pay").count() == 1


def test_a_failed_payment_is_learnt_from_querydr(world: World, vnpay: LiveGateway) -> None:
    _d, payment = _pending(world, vnpay)
    vnpay.notice(payment.txn_ref, "fail")
    assert reconcile(timezone.now()).failed == [payment.txn_ref]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_a_gateway_timeout_leaves_the_payment_pending(
    world: World, vnpay: LiveGateway, settings: Any
) -> None:
    _d, payment = _pending(world, vnpay)
    vnpay.notice(payment.txn_ref, "pay")
    settings.VNPAY_TIMEOUT_SECONDS = 0.5
    vnpay.next("timeout")
    try:
        out = reconcile(timezone.now() + timedelta(minutes=20))
    finally:
        vnpay.release()
    assert out.unreachable == [payment.txn_ref]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    # The next run reaches the gateway and settles it.
    assert reconcile(timezone.now()).paid == [payment.txn_ref]


def test_two_workers_reconciling_at_once_settle_once(world: World, vnpay: LiveGateway) -> None:
    d, payment = _pending(world, vnpay)
    vnpay.notice(payment.txn_ref, "pay")
    # Both workers asked the gateway before either settled; each then settles under the lock.
    answers = [pay.get_provider("vnpay").query(payment, now=timezone.now()) for _ in range(2)]
    assert {a.state for a in answers} == {"paid"}
    notices = [
        pay.Notice(payment.txn_ref, a.amount_vnd, True, a.provider_ref, a.bank_code, "00")
        for a in answers
    ]
    codes = [pay.settle(n, at=timezone.now())[0] for n in notices]
    assert codes == ["00", "02"]
    assert Dossier.objects.get(pk=d.pk).events.filter(verb="pay").count() == 1


def test_an_online_payment_is_refunded_at_the_gateway(world: World, vnpay: LiveGateway) -> None:
    d, payment = _pending(world, vnpay)
    pay.settle(
        pay.get_provider("vnpay").read_notice(vnpay.notice(payment.txn_ref, "pay")),
        at=timezone.now(),
    )
    actions.stop(Dossier.objects.get(pk=d.pk), actor=world.desk_a, at=timezone.now(), reason="Rút")
    c = Client()
    c.force_login(world.desk_a)
    r = c.post(f"/desk/dossiers/{d.code}/payments/{payment.txn_ref}/refund/")
    assert r.status_code == 302
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REFUNDED
    # A second refund is refused here, before the gateway is asked.
    refunded = Payment.objects.get(pk=payment.pk)
    with pytest.raises(actions.InvalidTransition):
        pay.refund(refunded, by=world.desk_a, at=timezone.now())


def test_the_daily_report_flags_double_payments_and_orphans(world: World) -> None:
    add_fees(fee=50_000, charge=0)
    now = timezone.now()
    d = intake(world, now)
    pay.record_at_desk(
        d, method="cash", amount_vnd=50_000, receipt_number="1", by=world.desk_a, at=now
    )
    # A second payment of the same fees (an online one settled after the cash).
    Payment.objects.create(
        dossier=d,
        unit=world.ward_a,
        amount_vnd=50_000,
        method="online",
        provider="vnpay",
        status="paid",
        txn_ref="X1",
        provider_ref="14980726",
        payer_name="A",
        created_at=now,
        paid_at=now,
    )
    Payment.objects.create(
        unit=world.ward_a,
        amount_vnd=10_000,
        method="transfer",
        provider="desk",
        status="paid",
        txn_ref="X2",
        payer_name="?",
        created_at=now,
        paid_at=now,
    )
    r = day_report(world.ward_a, now.astimezone(VN).date())
    assert r.paid_twice == [d.code] and [p.txn_ref for p in r.without_dossier] == ["X2"]
    assert r.collected_vnd == 110_000
    assert r.totals[("online", "vnpay")] == (1, 50_000) and r.totals[("cash", "desk")] == (
        1,
        50_000,
    )
    c = Client()
    c.force_login(world.desk_a)
    page = c.get("/desk/payments/reconciliation/").content.decode()
    assert 'id="flags"' in page and d.code in page and "14980726" in page
    # Methods and providers in words, not their codes.
    assert ">Tiền mặt<" in page and ">Bộ phận một cửa<" in page and ">cash<" not in page
    xlsx = c.get("/desk/payments/reconciliation/?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in ws.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "14980726" in values and "X2" in values and 110_000 in values
    assert "Tiền mặt" in values and "desk" not in values
    # Ward B's desk gets its own unit's (empty) report, never ward A's.
    other = Client()
    other.force_login(world.desk_b)
    page = other.get(f"/desk/payments/reconciliation/?unit={world.ward_a.pk}").content.decode()
    assert d.code not in page
    f = figures(world.province, now - timedelta(hours=1), now + timedelta(hours=1))
    assert (f.collected_vnd, f.online_vnd, f.payments, f.online_payments) == (110_000, 50_000, 3, 1)


def test_the_reconciliation_is_a_periodic_task(
    world: World, vnpay: LiveGateway, settings: Any
) -> None:
    assert settings.PERIODIC_TASKS["payments-reconcile"][0] == "payments.reconcile.reconcile_task"
    _d, payment = _pending(world, vnpay)
    vnpay.notice(payment.txn_ref, "pay")
    assert reconcile_task.call() == {
        "paid": 1,
        "failed": 0,
        "expired": 0,
        "unchanged": 0,
        "unreachable": 0,
    }
