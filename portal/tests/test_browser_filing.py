"""End to end in Chromium: a citizen signs up, files 1.004873 online with two uploads, the desk
receives it and asks for a supplement, the citizen uploads it from the dossier page, the
leader approves (signed), the citizen downloads the signed result and rates it. Every citizen
page fits 390 px and passes axe; the Content-Security-Policy is watched throughout."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from documents.signing import verify_pdf
from dossiers import actions
from dossiers.models import Attachment, Dossier, OutboxMessage, Status
from stats.models import Rating
from testing import files
from testing.browser import PHONE, assert_mobile_and_accessible, shot
from testing.filing import add_marital_status

PASSWORD = "Sen-vang-2026"


def _file(name: str, mime: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": mime, "buffer": data}


def _sign_up(page: Any, base: str) -> None:
    page.goto(f"{base}/tai-khoan/dang-ky/")
    page.fill("#id_full_name", "Đỗ Thị Mai")
    page.fill("#id_contact", "0912 777 888")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/tai-khoan/xac-nhan/")
    code = OutboxMessage.objects.get(recipient="0912777888").payload["code"]
    page.fill("#id_code", code)
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_url("**/tai-khoan/ho-so/")


def _upload(page: Any, position: int, file: dict[str, Any]) -> None:
    page.set_input_files(f"#file-{position}", file)
    with page.expect_navigation():
        page.click(f"#doc-{position} form[enctype] button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_files_online_and_gets_a_signed_result(
    world: World,
    browser: Any,
    live_server: Any,
    open_page: Any,
    scanner: Any,
    pki: Any,
    settings: Any,
) -> None:
    settings.CONFIRMATION_CODES_IN_LOG = True
    code = add_marital_status(world)
    base = live_server.url
    ctx = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = ctx.new_page()
    page.set_default_timeout(20000)
    _sign_up(page, base)

    # The procedure page's button opens the filing, prefilled from the account.
    page.goto(f"{base}/thu-tuc/{code}/")
    page.click("text=Nộp trực tuyến")
    page.wait_for_url(f"**/nop-ho-so/{code}/")
    assert page.input_value("#id_name") == "Đỗ Thị Mai"
    assert page.input_value("#id_phone") == "0912777888"
    page.fill("#id_id_number", "12345")
    page.click("form[novalidate] button[type=submit]")
    assert "12 chữ số" in page.inner_text("form[novalidate]")
    page.fill("#id_id_number", "087095000123")
    page.fill("#id_address", "12 Nguyễn Huệ, Phường An Bình")
    page.select_option("#id_unit", label="Phường An Bình")
    assert_mobile_and_accessible(page)
    shot(page, "filing-applicant")
    page.click("form[novalidate] button[type=submit]")
    page.wait_for_url(f"**/nop-ho-so/{code}/giay-to/")

    # An infected file is refused next to its field; then the two real uploads.
    _upload(page, 1, _file("to-khai.pdf", "application/pdf", files.EICAR))
    assert "mã độc" in page.inner_text("#doc-1")
    _upload(page, 1, _file("to-khai.pdf", "application/pdf", files.pdf()))
    _upload(page, 2, _file("cccd.jpg", "image/jpeg", files.jpeg()))
    assert "to-khai.pdf" in page.inner_text("#doc-1") and "cccd.jpg" in page.inner_text("#doc-2")
    assert_mobile_and_accessible(page)
    shot(page, "filing-documents")
    page.click("text=Tiếp tục để xem lại")
    page.wait_for_url(f"**/nop-ho-so/{code}/xem-lai/")
    assert "Phường An Bình" in page.inner_text("main")
    assert_mobile_and_accessible(page)
    shot(page, "filing-review")
    page.dblclick("button[data-once]")
    page.wait_for_url("**/ho-so-cua-toi/*/")
    d = Dossier.objects.get()
    assert d.status == Status.SUBMITTED and d.channel == "2"
    assert "đã được nộp" in page.inner_text("main")
    assert_mobile_and_accessible(page)

    # The desk sees the files inline, receives it and asks for a supplement.
    desk = open_page("desk_a")
    desk.goto(f"{base}/desk/dossiers/{d.code}/")
    assert "to-khai.pdf" in desk.inner_text("#attachments")
    assert desk.locator("#attachments img.scan").count() == 1  # the JPEG, shown inline
    desk.click("form[action$='/act/accept/'] button")
    desk.wait_for_url(f"**/desk/dossiers/{d.code}/")
    desk.click("a[href$='/act/request_supplement/']")
    desk.fill("#id_missing_documents", "Giấy tờ tùy thân của người yêu cầu (bản rõ nét)")
    desk.fill("#id_reason", "Ảnh giấy tờ tùy thân bị mờ.")
    desk.click("form.card button[type=submit]")
    desk.wait_for_url(f"**/desk/dossiers/{d.code}/")
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED

    # The citizen answers from the dossier page.
    page.goto(f"{base}/ho-so-cua-toi/")
    assert_mobile_and_accessible(page)
    shot(page, "mine-list")
    page.click(f"text={d.code}")
    assert "Ảnh giấy tờ tùy thân bị mờ." in page.inner_text("#supplement")
    assert_mobile_and_accessible(page)
    shot(page, "mine-supplement")
    page.set_input_files("#sup-2", _file("cccd-ro.png", "image/png", files.png()))
    with page.expect_navigation():
        page.click("#supplement button[type=submit]")
    assert "Giấy tờ của bạn đã được gửi." in page.inner_text("main")
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS
    assert Attachment.objects.filter(dossier=d, purpose="supplement").count() == 1

    # The workflow goes on; the leader approves at the desk; the result is signed.
    at = timezone.now()
    d = actions.forward(d, actor=world.desk_a, at=at)
    d = actions.forward(d, actor=world.specialist_a, at=at, comment="Đủ điều kiện.")
    leader = open_page("leader_a")
    leader.goto(f"{base}/desk/dossiers/{d.code}/")
    leader.check("#confirm-approve")
    leader.click("form[action$='/act/approve/'] button")
    leader.wait_for_url(f"**/desk/dossiers/{d.code}/")
    d.refresh_from_db()
    assert d.status == Status.RESULT_READY

    page.goto(f"{base}/ho-so-cua-toi/{d.code}/")
    assert "Đã có kết quả." in page.inner_text("main")
    with page.expect_download() as info:
        page.click("#result")
    pdf = Path(info.value.path()).read_bytes()
    # pyHanko runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(verify_pdf, pdf).result().ok
    page.check("#rate-very_satisfied")
    page.fill("#rate-comment", "Nhanh, không phải đi lại.")
    with page.expect_navigation():
        page.click("#rating button[type=submit]")
    assert "Cảm ơn bạn đã đánh giá." in page.inner_text("main")
    assert Rating.objects.get(dossier=d).value == "very_satisfied"
    assert_mobile_and_accessible(page)
    shot(page, "mine-dossier")
    page.goto(f"{base}/ho-so-cua-toi/giay-to/")
    assert "to-khai.pdf" in page.inner_text("main")
    assert_mobile_and_accessible(page)
    ctx.close()
