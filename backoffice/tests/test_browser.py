"""Real-browser test: Playwright driving Debian's Chromium against the live server.

One dossier of 1.004873 goes through every role with the middle steps' content: the desk
receives it (and forwarding asks for a confirmation), the office leader assigns it to a named
specialist, whose colleague does not see it; the specialist writes an opinion, attaches a
draft and forwards; the office leader checks; the chairman finds it under *Chờ ký* and
approves with a comment; the clerk enters the number, symbol and date with the signed scan;
the desk returns it recording who collected it and how. The timeline names each action. A
ward-B officer cannot open it by URL; a refused action shows its message; axe finds no
serious or critical violation; the dossier page fits a 390 px phone. Screenshots land in
docs/screenshots/.
"""

from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from dossiers.models import Attachment, Dossier, Status
from testing import files
from testing.browser import SHOTS, axe_problems, shot
from testing.steps import add_full_workflow


def _confirm(page: Any) -> None:
    """Tick the confirmation box of the action page and submit it."""
    page.check("#id_confirm")
    page.click("button:has-text('Xác nhận')")
    page.wait_for_selector(".messages li.success")


def _open(page: Any, code: str, queue: str = "Đang giải quyết") -> None:
    page.click(f"nav >> text={queue}")
    page.click(f"text={code}")
    page.wait_for_url(f"**/desk/dossiers/{code}/")


@pytest.mark.django_db(transaction=True)
def test_a_dossier_through_every_role_with_the_middle_steps_in_the_browser(
    world: World, open_page: Any, live_server: Any, scanner: Any
) -> None:
    office = add_full_workflow(world)
    desk = open_page("desk_a")
    assert axe_problems(desk) == []
    shot(desk, "desk-inbox")

    desk.click("text=Tiếp nhận hồ sơ")
    desk.fill("#procedure-q", "hôn nhân")
    desk.click("text=1.004873 — Thủ tục cấp Giấy xác nhận tình trạng hôn nhân")
    desk.wait_for_url("**/desk/intake/?procedure=1.004873")
    assert desk.locator(".due-preview").is_visible()
    desk.check("#doc-1")
    desk.fill("#id_applicant_name", "Trần Thị Bích")
    desk.fill("#id_applicant_id_number", "087195000456")
    desk.fill("#id_applicant_phone", "0912555666")
    assert axe_problems(desk) == []
    shot(desk, "desk-intake")
    desk.click("button:has-text('Tiếp nhận và in giấy hẹn')")
    desk.wait_for_url("**/desk/dossiers/**")
    code = desk.url.rstrip("/").rsplit("/", 1)[-1]
    assert desk.locator("text=đã được tiếp nhận").count() >= 1
    assert axe_problems(desk) == []
    shot(desk, "desk-dossier")
    # Forwarding cannot be undone: without the box ticked, the page asks to confirm.
    desk.click("button:has-text('Chuyển bước tiếp theo')")
    desk.wait_for_selector("#field-confirm .error")
    assert axe_problems(desk) == []
    _confirm(desk)

    lead = open_page("office_leader_a")
    _open(lead, code)
    lead.click("text=Phân công xử lý…")
    options = lead.locator("#id_assignee option").all_inner_texts()
    assert "Nguyễn Văn Bảo" in options and "Lý Văn Tài" not in options  # ward B's specialist
    lead.select_option("#id_assignee", label="Nguyễn Văn Bảo")
    _confirm(lead)

    assert code not in open_page("specialist_a").content()  # assigned to someone else
    spec = open_page("specialist2_a")
    _open(spec, code)
    spec.click("text=Trình ý kiến và dự thảo…")
    # The opinion is required: the message stands beside its field.
    spec.check("#id_confirm")
    spec.click("button:has-text('Xác nhận')")
    spec.wait_for_selector("#field-comment .error")
    spec.fill("#id_comment", "Người yêu cầu chưa đăng ký kết hôn; đủ điều kiện cấp.")
    spec.set_input_files(
        "#id_draft", {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}
    )
    _confirm(spec)

    lead.goto(f"{live_server.url}/desk/dossiers/{code}/")
    # A refused action explains itself: sending back needs a reason.
    lead.click("text=Trả lại bước trước")
    lead.click("button:has-text('Xác nhận')")
    lead.wait_for_selector(".messages li.error")
    assert "lý do" in lead.locator(".messages li.error").inner_text().lower()
    shot(lead, "desk-action-refused")
    lead.goto(f"{live_server.url}/desk/dossiers/{code}/")
    lead.fill("#comment-forward", "Đã kiểm tra, trình lãnh đạo ký.")
    lead.check("#confirm-forward")
    lead.click("button:has-text('Kiểm tra xong, trình ký')")
    lead.wait_for_selector(".messages li.success")

    chairman = open_page("leader_a")  # lands on Chờ ký
    assert "/queue/awaiting_signature/" in chairman.url
    chairman.click(f"text={code}")
    chairman.fill("#comment-approve", "Đồng ý cấp.")
    chairman.check("#confirm-approve")
    chairman.click("form[action$='/act/approve/'] button")
    chairman.wait_for_selector(".messages li.success")

    clerk = open_page("clerk_a")
    _open(clerk, code)
    clerk.click("text=Vào số, phát hành kết quả…")
    clerk.fill("#id_result_number", "15")
    clerk.fill("#id_result_symbol", "GXN-UBND")
    clerk.fill("#id_result_date", timezone.localdate().isoformat())
    clerk.set_input_files(
        "#id_result_scan",
        {"name": "ket-qua-da-ky.pdf", "mimeType": "application/pdf", "buffer": files.pdf()},
    )
    assert axe_problems(clerk) == []
    _confirm(clerk)

    _open(desk, code, queue="Có kết quả chờ trả")
    desk.click("text=Trả kết quả cho người nộp…")
    desk.select_option("#id_return_method", "desk")
    desk.fill("#id_collector_name", "Trần Văn Cường")
    desk.fill("#id_collector_id_number", "087090000777")
    _confirm(desk)
    assert "Đã trả kết quả" in desk.content()

    timeline = desk.locator("ol.timeline").inner_text()
    for said in [
        "Chuyển xử lý · Nguyễn Thị Mai",
        "Phân công cho Nguyễn Văn Bảo · Phạm Văn Bình",
        "Đính kèm dự thảo kết quả: du-thao.pdf",
        "Trình ý kiến thẩm định và dự thảo kết quả · Nguyễn Văn Bảo",
        "Ý kiến thẩm định: Người yêu cầu chưa đăng ký kết hôn; đủ điều kiện cấp.",
        "Kiểm tra, trình ký · Phạm Văn Bình",
        "Phê duyệt · Lê Văn Đức",
        "Ý kiến: Đồng ý cấp.",
        "Vào số văn bản 15/GXN-UBND ngày",
        "Trả kết quả (Tại bộ phận một cửa) cho Trần Văn Cường",
    ]:
        assert said in timeline, said
    assert "Chuyển bước tiếp theo" not in timeline
    desk.locator("section:has(ol.timeline)").screenshot(path=str(SHOTS / "desk-timeline.png"))
    shot(desk, "desk-dossier-returned")

    d = Dossier.objects.get(code=code)
    assert d.status == Status.RETURNED and (d.result_number, d.result_symbol) == ("15", "GXN-UBND")
    assert set(Attachment.objects.filter(dossier=d).values_list("purpose", flat=True)) == {
        "draft",
        "result",
    }
    assert d.result_on_file
    assert office.specialist2.pk == d.steps.get(position=3).assignee_id

    other = open_page("desk_b")
    response = other.goto(f"{live_server.url}/desk/dossiers/{code}/")
    assert response is not None and response.status == 404

    phone = open_page("desk_a", width=390, height=844)
    phone.goto(f"{live_server.url}/desk/dossiers/{code}/")
    shot(phone, "desk-dossier-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
