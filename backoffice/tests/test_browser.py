"""Real-browser tests: Playwright driving Debian's Chromium against the live server.

A desk officer receives a dossier, a specialist forwards it, a leader approves it, the desk
returns it; a ward-B officer cannot open it by URL; a refused action shows its message; axe
finds no serious or critical accessibility violation on the inbox, intake and dossier pages.
Screenshots land in docs/screenshots/.
"""

from typing import Any

import pytest

from conftest import World
from testing.browser import axe_problems, shot


@pytest.mark.django_db(transaction=True)
def test_dossier_from_intake_to_return_in_the_browser(
    world: World, open_page: Any, live_server: Any
) -> None:
    desk = open_page("desk_a")
    assert axe_problems(desk) == []
    shot(desk, "desk-inbox")

    desk.click("text=Tiếp nhận hồ sơ")
    desk.fill("#procedure-q", "khai sinh")
    desk.click("text=1.001193 — Đăng ký khai sinh")
    desk.wait_for_url("**/desk/intake/?procedure=1.001193")
    assert desk.locator(".due-preview").is_visible()
    desk.check("#doc-1")
    desk.fill("#id_applicant_name", "Nguyễn Văn Ánh")
    desk.fill("#id_applicant_id_number", "087095000123")
    desk.fill("#id_applicant_phone", "0912345678")
    assert axe_problems(desk) == []
    shot(desk, "desk-intake")
    desk.click("button:has-text('Tiếp nhận và in giấy hẹn')")
    desk.wait_for_url("**/desk/dossiers/**")
    code = desk.url.rstrip("/").rsplit("/", 1)[-1]
    assert desk.locator("text=đã được tiếp nhận").count() >= 1
    assert axe_problems(desk) == []
    shot(desk, "desk-dossier")
    desk.click("button:has-text('Chuyển bước tiếp theo')")
    desk.wait_for_selector(".messages li.success")

    spec = open_page("specialist_a")
    spec.click(f"text={code}")
    # A refused action explains itself: sending back needs a reason.
    spec.click("text=Trả lại bước trước")
    spec.click("button:has-text('Xác nhận')")
    spec.wait_for_selector(".messages li.error")
    assert "lý do" in spec.locator(".messages li.error").inner_text().lower()
    shot(spec, "desk-action-refused")
    spec.goto(f"{live_server.url}/desk/dossiers/{code}/")
    spec.click("button:has-text('Chuyển bước tiếp theo')")
    spec.wait_for_selector(".messages li.success")

    lead = open_page("leader_a")
    lead.click("text=Chờ phê duyệt")
    lead.click(f"text={code}")
    lead.click("button:has-text('Phê duyệt')")
    lead.wait_for_selector(".messages li.success")

    desk.click("text=Có kết quả chờ trả")
    desk.click(f"text={code}")
    desk.click("button:has-text('Trả kết quả cho người nộp')")
    desk.wait_for_selector(".messages li.success")
    assert "Đã trả kết quả" in desk.content()
    shot(desk, "desk-dossier-returned")

    other = open_page("desk_b")
    response = other.goto(f"{live_server.url}/desk/dossiers/{code}/")
    assert response is not None and response.status == 404

    phone = open_page("desk_a", width=390, height=844)
    phone.goto(f"{live_server.url}/desk/dossiers/{code}/")
    shot(phone, "desk-dossier-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
