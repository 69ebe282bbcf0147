"""Decision 766 indicators computed from motcua's data; the others say they can't be."""

from datetime import date, datetime
from decimal import Decimal

from django.test import Client

from conftest import World
from payments.actions import record_at_desk, settle, start_online
from payments.provider import Notice
from stats.indicators import SPECS, _points, compute
from stats.report import Period
from testing.clock import VN
from testing.dossiers import finish, intake
from testing.vnpay import add_fees


def history(world: World) -> None:
    finish(
        world, intake(world, datetime(2026, 3, 2, 9, tzinfo=VN)), datetime(2026, 3, 3, 9, tzinfo=VN)
    )
    intake(world, datetime(2026, 3, 4, 9, tzinfo=VN), channel="2")
    finish(
        world,
        intake(world, datetime(2026, 3, 9, 9, tzinfo=VN)),
        datetime(2026, 3, 20, 9, tzinfo=VN),
    )


def test_points_follow_the_threshold_rule() -> None:
    online = next(s for s in SPECS if s.code == "3.2")  # full points at 50%
    assert _points(online, Decimal(60)) == Decimal(6)
    assert _points(online, Decimal(25)) == Decimal("3.00")
    assert _points(online, None) is None


def test_computable_and_not_computable(world: World) -> None:
    history(world)
    results = {
        r.spec.code: r for r in compute(world.province, Period(date(2026, 3, 1), date(2026, 3, 31)))
    }
    # Received 3: one early, one late, one online still open and overdue on 31/3.
    assert results["2.1"].value == Decimal("33.33")
    assert results["3.2"].value == Decimal("33.33")
    assert results["3.2"].points == Decimal("4.00")
    # Overdue rate = (1 late + 1 overdue) / 3; nobody rated.
    assert results["6.3"].value == Decimal("33.33")
    assert results["2.2"].value is not None and results["2.2"].points is None
    # Online payment is computable; no fee was paid in the period.
    assert results["4"].computable and results["4"].value is None
    assert not results["1"].computable


def test_pages_render_for_the_ioc(world: World, client: Client) -> None:
    history(world)
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    params = {"unit": "82", "start": "2026-01-01", "end": "2026-03-31", "by": "unit"}
    page = client.get("/ioc/indicators/", params).content.decode()
    assert "33,33" in page and "không tính được" in page.lower()
    charts = client.get("/ioc/charts/", params).content.decode()
    assert charts.count('<svg role="img"') == 5 and "03/2026" in charts
    # Each chart's title and axes are HTML text outside its drawing.
    assert charts.count("<figcaption><h2>") == 5
    assert "<h2>Tỷ lệ đúng hạn theo tháng</h2>" in charts
    assert "Tiếp nhận hồ sơ" in charts  # the desk held the late dossier past its 4 hours


def test_online_payment_share_is_indicator_4(world: World) -> None:
    add_fees(fee=50_000, charge=0)
    at = datetime(2026, 3, 2, 9, tzinfo=VN)
    desk, online = intake(world, at), intake(world, at)
    record_at_desk(
        desk, method="cash", amount_vnd=50_000, receipt_number="1", by=world.desk_a, at=at
    )
    payment = start_online(online, provider="vnpay", at=at)
    settle(Notice(payment.txn_ref, 50_000, True, "1", "NCB", "00"), at=at)
    results = {
        r.spec.code: r for r in compute(world.province, Period(date(2026, 3, 1), date(2026, 3, 31)))
    }
    assert results["4"].value == Decimal("50.00") and results["4"].points == Decimal("5.00")
    # The IOC sees the payment figures beside the indicators.
    client = Client()
    client.force_login(world.ioc)
    params = {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "unit"}
    page = client.get("/ioc/indicators/", params).content.decode()
    assert 'id="payment-figures"' in page and 'id="collected">100.000' in page
