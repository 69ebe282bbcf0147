"""In the browser: a citizen downloads the signed result from the status page and checks it
on /verify; one changed byte is refused. axe checks the /verify page."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from documents.models import Form
from documents.papers import issue
from dossiers import actions
from testing.browser import axe_problems, shot
from testing.clock import vn
from testing.signing import Pki, flip_inside_signed_range, ready_for_approval


@pytest.mark.django_db(transaction=True)
def test_citizen_downloads_and_verifies_the_signed_result(
    world: World,
    pki: Pki,
    browser: Any,
    live_server: Any,
    tmp_path: Path,
) -> None:
    d = ready_for_approval(world)
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 3, 9))
    # pyHanko runs its own event loop; Playwright's already runs in this thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(issue, d, Form.RESULT, at=timezone.now()).result()

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    # As the receipt's QR code opens it: code and PIN in the fragment, posted by the page.
    page.goto(f"{live_server.url}/tra-cuu/#{d.code}.{d.public_secret}")
    page.wait_for_url(f"**/tra-cuu/{d.code}/")
    with page.expect_download() as info:
        page.get_by_text("Tải kết quả điện tử đã ký số (PDF)").click()
    signed = tmp_path / "ket-qua.pdf"
    info.value.save_as(str(signed))
    assert signed.read_bytes().startswith(b"%PDF")

    page.get_by_text("Kiểm tra chữ ký số").click()
    page.wait_for_url("**/verify/**")
    page.set_input_files("#file", str(signed))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    text = verdict.inner_text()
    assert "Hợp lệ" in text and f"UBND {world.ward_a.name}" in text and d.code in text
    shot(page, "verify-valid")
    assert axe_problems(page) == []

    tampered = tmp_path / "sua.pdf"
    tampered.write_bytes(flip_inside_signed_range(signed.read_bytes()))
    page.set_input_files("#file", str(tampered))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.locator("#verdict").wait_for()
    text = page.locator("#verdict").inner_text()
    assert "Không hợp lệ" in text
    shot(page, "verify-tampered")
    ctx.close()
