"""In a real browser at 390 px: the header's search box finds a finished dossier, and the
intake form shows every error beside its field; both pages fit the phone and pass axe."""

from typing import Any

import pytest

from conftest import World
from dossiers import actions
from testing.browser import assert_mobile_and_accessible
from testing.clock import vn
from testing.dossiers import finish, intake


@pytest.mark.django_db(transaction=True)
def test_search_and_intake_errors_on_a_phone(
    world: World, open_page: Any, live_server: Any
) -> None:
    d = finish(world, intake(world, vn(2026, 3, 2, 9)), vn(2026, 3, 3, 9))
    d = actions.return_result(
        d,
        actor=world.desk_a,
        at=vn(2026, 3, 4, 9),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    page = open_page("desk_a", width=390, height=844)
    page.fill("#find-q", d.code.lower())
    page.click("form.find button")
    page.wait_for_url("**/desk/search/?q=*")
    assert page.locator(f"table a:has-text('{d.code}')").count() == 1
    assert_mobile_and_accessible(page)

    page.goto(f"{live_server.url}/desk/intake/?procedure=1.001193")
    page.fill("#id_applicant_name", "Trần Thị Bé")
    page.fill("#id_applicant_id_number", "12345")
    page.fill("#id_applicant_phone", "123")
    page.click("button.primary")
    page.wait_for_selector(".error-summary")
    assert page.locator("#id_applicant_id_number-error").is_visible()
    assert page.locator("#id_applicant_phone-error").is_visible()
    assert page.locator("#id_documents-error").is_visible()
    assert page.input_value("#id_applicant_name") == "Trần Thị Bé"
    assert_mobile_and_accessible(page)
