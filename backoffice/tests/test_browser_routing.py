"""Real browser: the intake limit in *Chờ tiếp nhận*, the competent unit on the intake form and
a transfer to another unit, each page on a 390 px phone without horizontal scroll."""

from typing import Any

import pytest
from django.utils import timezone

from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier
from testing.browser import PHONE, assert_mobile_and_accessible


def _file(w: World, channel: str) -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a if channel == "1" else w.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel=channel,
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_intake_limit_competent_unit_and_transfer_on_a_phone(
    world: World, open_page: Any, live_server: Any
) -> None:
    online = _file(world, "2")
    received = actions.forward(_file(world, "1"), actor=world.desk_a, at=timezone.now())
    desk = open_page("desk_a", **PHONE)

    desk.goto(f"{live_server.url}/desk/queue/to_receive/")
    row = desk.locator("tr", has_text=online.code)
    badge = row.locator(".badge", has_text="tiếp nhận").first.inner_text()
    assert "giờ làm việc để tiếp nhận" in badge or "quá hạn tiếp nhận" in badge
    assert_mobile_and_accessible(desk)

    desk.goto(f"{live_server.url}/desk/intake/?procedure=1.001193")
    assert desk.locator("#id_competent_unit option").all_inner_texts() == [
        "Phường An Bình",
        "Phường Hồng Ngự",
    ]
    assert_mobile_and_accessible(desk)

    desk.goto(f"{live_server.url}/desk/dossiers/{received.code}/act/transfer/")
    desk.select_option("#id_competent_unit", label="Phường Hồng Ngự")
    desk.fill("#id_reason", "Thửa đất thuộc địa bàn Phường Hồng Ngự")
    assert_mobile_and_accessible(desk)
    desk.click("button:has-text('Xác nhận')")
    desk.wait_for_selector(".messages li.success")
    assert "Phường Hồng Ngự" in desk.locator("dl").first.inner_text()
    received.refresh_from_db()
    assert received.competent_unit == world.ward_b
