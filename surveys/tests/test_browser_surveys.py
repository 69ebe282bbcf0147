"""In Chromium at 390 px: a citizen answers a survey on the portal; the IOC reads the results.
Both pages fit a phone and pass axe."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from surveys.models import Response
from testing.browser import PHONE, assert_mobile_and_accessible
from testing.surveys import campaign as _campaign


@pytest.mark.django_db(transaction=True)
def test_answer_on_a_phone_and_read_the_results(
    world: World, browser: Any, live_server: Any, open_page: Any, settings: Any
) -> None:
    today = timezone.localdate()
    period = {"starts_on": today - timedelta(days=30), "ends_on": today + timedelta(days=30)}
    campaign, scale, _choice, text = _campaign(world, **period)
    ctx = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/khao-sat/")
    page.click(f"a[href='/khao-sat/{campaign.pk}/']")
    assert_mobile_and_accessible(page)
    page.select_option("#id_unit", str(world.ward_a.pk))
    page.check(f"input[name=q{scale.pk}][value='5']")
    page.get_by_label("Đúng hẹn").check()
    page.fill(f"#id_q{text.pk}", "Cán bộ tận tình.")
    page.click("form.survey button[type=submit]")
    page.wait_for_selector("text=Xin cảm ơn")
    ctx.close()
    assert Response.objects.get().answers.count() == 3

    ioc = open_page("ioc", width=390, height=844)
    ioc.goto(f"{live_server.url}/ioc/surveys/")
    assert ioc.locator("tbody th[scope=row]").inner_text() == world.ward_a.name
    assert_mobile_and_accessible(ioc)
