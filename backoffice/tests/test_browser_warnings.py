"""The warnings list and the dossiers at risk in a real browser: no CSP violation, accessible."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from dossiers.warnings import scan
from testing.browser import axe_problems, shot
from testing.dossiers import intake


@pytest.mark.django_db(transaction=True)
def test_warnings_and_dossiers_at_risk_pages(world: World, open_page: Any) -> None:
    now = timezone.now()
    late = intake(world, now - timedelta(days=14))
    assert scan(now).escalated == 1
    page = open_page("leader_a")
    page.click("text=Cảnh báo")
    page.wait_for_selector("h1:has-text('Cảnh báo')")
    assert late.code in page.content() and "Quá hạn, đã báo lên cấp trên" in page.content()
    assert axe_problems(page) == []
    shot(page, "desk-warnings")
    page.click("text=Hồ sơ có nguy cơ trễ hạn")
    page.wait_for_selector("h1:has-text('Hồ sơ có nguy cơ trễ hạn')")
    page.click("a[href='?unit=30001&which=overdue']")
    page.wait_for_selector(f"a:has-text('{late.code}')")
    assert axe_problems(page) == []
    shot(page, "ioc-at-risk")
