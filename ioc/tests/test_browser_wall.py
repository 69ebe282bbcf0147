"""The wall in a real browser: IOC viewers land on it, it refreshes its figures in place, and
it reads on a 1920x1080 screen and on a phone."""

from typing import Any

import pytest

from conftest import World
from testing.browser import assert_mobile_and_accessible, shot
from testing.clock import vn
from testing.dossiers import finish, intake


@pytest.mark.django_db(transaction=True)
def test_the_wall_refreshes_in_place_on_a_screen_and_a_phone(
    world: World, open_page: Any, settings: Any
) -> None:
    settings.WALL_REFRESH_SECONDS = 1
    finish(world, intake(world, vn(2026, 3, 2, 9)), vn(2026, 3, 3, 9))
    intake(world, vn(2026, 3, 2, 9))  # overdue by now
    page = open_page("ioc", width=1920, height=1080)
    assert page.url.endswith("/ioc/")
    page.wait_for_selector("#tile-at_risk")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    # The live part is swapped in without reloading the page.
    page.evaluate("window.__marker = 1")
    swapped = page.evaluate(
        "() => new Promise(done => document.body.addEventListener("
        "'htmx:afterSwap', () => done(true), {once: true}))"
    )
    assert swapped and page.evaluate("window.__marker") == 1
    assert "Quá hạn" in page.inner_text("#wall-live")
    shot(page, "ioc-wall")
    assert_mobile_and_accessible(page)
