"""A citizen sends a field report from a phone, the ward answers it on the desk: every page
fits 390 px, passes axe and the strict CSP."""

from typing import Any

import pytest

from fieldreports.models import FieldReport
from testing.browser import assert_mobile_and_accessible, shot
from testing.citizens import citizen
from testing.world import World

PASSWORD = "Mat-khau-dai-2026"


@pytest.mark.django_db(transaction=True)
def test_send_answer_and_read_a_field_report(
    world: World, open_page: Any, browser: Any, live_server: Any, notify_templates: None
) -> None:
    citizen("0912000444")
    ctx = browser.new_context(locale="vi-VN")
    mine = ctx.new_page()
    mine.set_default_timeout(15000)
    mine.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    mine.fill("#id_contact", "0912000444")
    mine.fill("#id_password", PASSWORD)
    mine.click("form button[type=submit]")
    mine.wait_for_url("**/tai-khoan/ho-so/")
    mine.goto(f"{live_server.url}/phan-anh/gui/")
    assert_mobile_and_accessible(mine)
    mine.select_option("#service_code", "lighting")
    mine.select_option("#unit", "30001")
    mine.fill("#address", "Hẻm 5 đường Nguyễn Huệ")
    mine.fill("#description", "Đèn đường không sáng")
    mine.click("form button[type=submit]")
    mine.wait_for_url("**/phan-anh/*/")
    report = FieldReport.objects.get()
    assert_mobile_and_accessible(mine)

    desk = open_page("desk_a")
    desk.goto(f"{live_server.url}/desk/field-reports/")
    desk.click(f"text=#{report.pk}")
    desk.fill("#text", "Đã thay bóng đèn.")
    desk.check("input[name=close]")
    desk.click("form button.primary")
    desk.wait_for_url(f"**/desk/field-reports/{report.pk}/")
    assert "Đã thay bóng đèn." in desk.inner_text("main")
    assert_mobile_and_accessible(desk)

    mine.goto(f"{live_server.url}/phan-anh/")
    assert "Đã thay bóng đèn." in mine.inner_text("main")
    assert_mobile_and_accessible(mine)
    shot(mine, "portal-field-reports")
    ctx.close()
