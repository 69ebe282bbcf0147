"""The IOC's dossiers at risk: due soon and overdue per unit, the drill-down lists exact."""

from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import World
from testing.clock import vn
from testing.dossiers import intake
from testing.warnings import codes, signed_in_page

FRIDAY_16 = vn(2026, 3, 6, 16)


@pytest.fixture(autouse=True)
def _eight_hours(settings: Any) -> None:
    settings.DUE_SOON_HOURS = 8


def page(client: Client, username: str, url: str) -> tuple[int, str]:
    return signed_in_page(client, username, url, FRIDAY_16)


def test_the_ioc_lists_the_dossiers_at_risk_per_unit(world: World) -> None:
    # Filed Monday 2 March: due Thursday 5 March 17:00, overdue on Friday.
    overdue = intake(world, vn(2026, 3, 2, 9))
    # Filed Wednesday 4 March: due Monday 9 March 17:00, beyond Friday 16:00 + 8 h = Monday 16:00.
    later = intake(world, vn(2026, 3, 4, 9))
    # Filed Tuesday 3 March: due Friday 6 March 17:00, due soon.
    soon = intake(world, vn(2026, 3, 3, 9))
    assert (overdue.due_at, soon.due_at, later.due_at) == (
        vn(2026, 3, 5, 17),
        vn(2026, 3, 6, 17),
        vn(2026, 3, 9, 17),
    )
    client = Client()
    status, html = page(client, "ioc", "/ioc/at-risk/")
    assert status == 200 and world.ward_a.name in html and world.ward_b.name not in html
    assert "?unit=30001&amp;which=due_soon" in html and "?unit=30001&amp;which=overdue" in html
    with time_machine.travel(FRIDAY_16, tick=False):
        soon_html = client.get("/ioc/at-risk/?unit=30001&which=due_soon").content.decode()
        late_html = client.get("/ioc/at-risk/?unit=30001&which=overdue").content.decode()
        assert client.get("/ioc/at-risk/?unit=30002&which=due_soon").status_code == 200
        assert client.get("/ioc/at-risk/?unit=99999&which=due_soon").status_code == 404
        assert client.get("/ioc/at-risk/?unit=30001&which=all").status_code == 404
    assert codes(soon_html) == {soon.code}
    assert codes(late_html) == {overdue.code}
    # A desk officer reads no figures; ward A's leader reads ward A's.
    assert page(Client(), "desk_b", "/ioc/at-risk/")[0] == 403
    status, html = page(Client(), "leader_a", "/ioc/at-risk/?unit=30001&which=overdue")
    assert status == 200 and overdue.code in codes(html)
