"""The bell and the notification pages in a real browser, under the strict CSP: htmx fills the
bell's count; the citizen's page fits a phone and passes axe."""

from typing import Any

import pytest

from dossiers.models import OutboxMessage
from notify import delivery
from testing.browser import assert_mobile_and_accessible, axe_problems, shot
from testing.citizens import citizen
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World

AT = vn(2026, 3, 2, 9)
PASSWORD = "Mat-khau-dai-2026"


@pytest.mark.django_db(transaction=True)
def test_the_bell_and_the_notification_pages(
    world: World, open_page: Any, browser: Any, live_server: Any, notify_templates: None
) -> None:
    d = intake(world, AT)
    person = citizen("0912000333")
    d.applicant_user = person
    d.save(update_fields=["applicant_user"])
    note = OutboxMessage.objects.create(
        dossier=d,
        user=world.desk_a,
        kind="step_overdue",
        channel="app",
        recipient="desk_a",
        payload={"step": "Thẩm định"},
        created_at=AT,
    )
    delivery.deliver(note.pk, AT)

    page = open_page("desk_a")
    page.locator("a.bell .count").wait_for()  # fetched by htmx after load
    assert page.locator("a.bell .count").inner_text() == "1"
    page.click("a.bell")
    page.wait_for_url("**/desk/notifications/")
    assert f"Hồ sơ {d.code} đã quá hạn bước Thẩm định" in page.inner_text("main")
    assert axe_problems(page) == []
    shot(page, "desk-notifications")
    page.click("text=Đánh dấu tất cả là đã đọc")
    page.wait_for_url("**/desk/notifications/")
    assert page.locator("a.bell .count").count() == 0

    ctx = browser.new_context(locale="vi-VN")
    mine = ctx.new_page()
    mine.set_default_timeout(15000)
    mine.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    mine.fill("#id_contact", "0912000333")
    mine.fill("#id_password", PASSWORD)
    mine.click("form button[type=submit]")
    mine.wait_for_url("**/tai-khoan/ho-so/")
    mine.goto(f"{live_server.url}/tai-khoan/thong-bao/")
    assert f"Hồ sơ {d.code} đã được tiếp nhận" in mine.inner_text("main")
    assert "quá hạn" not in mine.inner_text("main")  # the officer's warning is not theirs
    assert_mobile_and_accessible(mine)
    shot(mine, "citizen-notifications")
    ctx.close()
