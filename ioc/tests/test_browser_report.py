"""The operations centre's report in a real browser: readable, accessible, every number a link."""

from datetime import datetime
from typing import Any

import pytest

from conftest import World
from testing.browser import axe_problems, shot
from testing.clock import VN
from testing.dossiers import finish, intake


@pytest.mark.django_db(transaction=True)
def test_ioc_reads_the_report_and_drills_down(world: World, open_page: Any) -> None:
    d = intake(world, datetime(2026, 3, 2, 9, tzinfo=VN))
    finish(world, d, datetime(2026, 3, 3, 9, tzinfo=VN))
    intake(world, datetime(2026, 3, 4, 9, tzinfo=VN))
    page = open_page("ioc")
    page.click(".wall-links >> text=Báo cáo tình hình")
    page.fill("#id_start", "2026-03-01")
    page.fill("#id_end", "2026-03-31")
    page.click("button:has-text('Xem')")
    page.wait_for_selector("table")
    assert "Phường An Bình" in page.content()
    assert axe_problems(page) == []
    shot(page, "ioc-report")
    page.click("a[aria-label='Phường An Bình: Đang giải quyết — Quá hạn']")
    page.wait_for_selector("h1:has-text('Đang giải quyết — Quá hạn: 1')")
    shot(page, "ioc-drill-down")
