"""Enrolling an authenticator in a real browser: the QR code shows under the strict CSP.

A leader of a unit that requires two-factor sign-in signs in, sees the enrolment page (QR code
drawn from a data: URI, the secret in text), types the first code and reaches the desk; axe
finds no serious or critical accessibility violation on the enrolment and code pages.
"""

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from testing.browser import axe_problems, shot
from testing.twofactor import code_of, require_two_factor
from testing.world import World


@pytest.mark.django_db(transaction=True)
def test_enrolment_in_the_browser(world: World, browser: Any, live_server: Any) -> None:
    require_two_factor(world.ward_a)
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("#id_username", "leader_a")
    page.fill("#id_password", "pw-leader_a")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/login/enrol/**")
    qr = page.locator(".qr img")
    qr.wait_for()
    assert page.evaluate("document.querySelector('.qr img').naturalWidth") > 0
    assert page.locator(".otp-secret").inner_text().strip()
    assert refused == []  # nothing blocked by the Content-Security-Policy
    assert axe_problems(page) == []
    shot(page, "desk-two-factor-enrol")

    device = TOTPDevice.objects.get(user=world.leader_a)
    page.fill("#id_code", code_of(device))
    page.click("button.primary")
    page.wait_for_url("**/desk/queue/**")

    # Signing in again asks for the code only.
    page.click("header button:has-text('Đăng xuất')")
    page.wait_for_url("**/desk/login/**")
    page.fill("#id_username", "leader_a")
    page.fill("#id_password", "pw-leader_a")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/login/code/**")
    assert axe_problems(page) == []
    shot(page, "desk-two-factor-code")
    ctx.close()
