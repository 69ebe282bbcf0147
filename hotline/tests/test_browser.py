"""The IOC's hotline figures in a real browser: readable on a phone, accessible."""

from typing import Any

import pytest

from conftest import World
from hotline.models import Call, Outcome
from testing.browser import assert_mobile_and_accessible
from testing.clock import vn


@pytest.mark.django_db(transaction=True)
def test_the_hotline_figures_fit_a_phone(world: World, open_page: Any) -> None:
    at = vn(2026, 3, 10, 9)
    for outcome in (Outcome.ANSWERED, Outcome.TRANSFERRED, Outcome.ABANDONED):
        Call.objects.create(started_at=at, ended_at=at, outcome=outcome, dossiers_found=1)
    page = open_page("ioc")
    page.goto("/".join(page.url.split("/")[:3]) + "/ioc/hotline/?start=2026-03-01&end=2026-03-31")
    page.wait_for_selector("h1:has-text('Tổng đài trả lời tự động')")
    row = page.inner_text("tbody tr")
    assert "10/03/2026" in row and "3" in row
    assert_mobile_and_accessible(page)
