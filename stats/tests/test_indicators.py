"""Decision 766 indicators computed from motcua's data; the others say they can't be."""

from datetime import date, datetime
from decimal import Decimal

from django.test import Client

from conftest import World
from stats.indicators import SPECS, _points, compute
from stats.report import Period
from testing.clock import VN
from testing.dossiers import finish, intake


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
    assert not results["4"].computable and results["4"].value is None
    assert not results["1"].computable


def test_pages_render_for_the_ioc(world: World, client: Client) -> None:
    history(world)
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    params = {"unit": "82", "start": "2026-01-01", "end": "2026-03-31", "by": "unit"}
    page = client.get("/ioc/indicators/", params).content.decode()
    assert "33,33" in page and "không tính được" in page.lower()
    charts = client.get("/ioc/charts/", params).content.decode()
    assert charts.count("<svg") == 5 and "03/2026" in charts
    assert "Tiếp nhận hồ sơ" in charts  # the desk held the late dossier past its 4 hours
