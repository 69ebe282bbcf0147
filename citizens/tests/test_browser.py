"""A citizen signs up, confirms the code, signs out and in again, in Chromium at 390 px."""

from typing import Any

import pytest

from accounts.models import User
from conftest import World
from dossiers.models import OutboxMessage
from testing.browser import axe_problems, shot

PASSWORD = "Sen-vang-2026"


def fits_390(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert axe_problems(page) == [], page.url


@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_and_sign_in_on_a_phone(
    world: World, browser: Any, live_server: Any, settings: Any
) -> None:
    settings.CONFIRMATION_CODES_IN_LOG = True
    settings.OIDC_ENABLED = True  # the button only: the flow is tested in test_oidc.py
    settings.OIDC_DEMO_PROVIDER = True
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/tai-khoan/dang-ky/")
    fits_390(page)
    page.fill("#id_full_name", "Đỗ Thị Mai")
    page.fill("#id_contact", "0912 777 888")
    page.fill("#id_password1", "12345678")
    page.fill("#id_password2", "12345678")
    page.click("button[type=submit]")
    assert "Mật khẩu" in page.inner_text("form")  # refused by the validators
    fits_390(page)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/tai-khoan/xac-nhan/")
    assert "Bản demo: mã xác nhận được ghi vào nhật ký máy chủ" in page.inner_text("main")
    shot(page, "citizen-confirm")
    fits_390(page)
    code = OutboxMessage.objects.get(recipient="0912777888").payload["code"]
    page.fill("#id_code", code)
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_url("**/tai-khoan/ho-so/")
    assert "Đỗ Thị Mai" in page.inner_text("main")
    assert "VNeID" in page.inner_text("main")  # how to get the ID number vouched
    fits_390(page)
    shot(page, "citizen-profile")
    page.click("text=Đăng xuất")
    page.wait_for_url("**/tai-khoan/dang-nhap/")
    assert "Đăng nhập bằng VNeID (bản demo: nhà cung cấp định danh cục bộ)" in page.inner_text(
        "main"
    )
    fits_390(page)
    shot(page, "citizen-signin")
    page.fill("#id_contact", "+84912777888")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/tai-khoan/ho-so/")
    assert User.objects.get(phone="0912777888").is_citizen
    page.goto(f"{live_server.url}/tai-khoan/dang-ky/")
    shot(page, "citizen-signup")
    ctx.close()
