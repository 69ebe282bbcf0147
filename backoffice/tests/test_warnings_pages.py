"""The desk's warnings list shows each officer exactly the warnings of their roles."""

from typing import Any

import pytest
from django.test import Client

from conftest import World
from dossiers.models import DossierStep, StepWarning
from dossiers.warnings import scan
from orgs.models import Agency
from testing.clock import vn
from testing.dossiers import intake
from testing.warnings import codes, province_leader, signed_in_page, step_due

FRIDAY_16 = vn(2026, 3, 6, 16)
FILED = vn(2026, 3, 5, 9)


@pytest.fixture(autouse=True)
def _eight_hours(settings: Any) -> None:
    settings.WARN_DUE_WITHIN_HOURS = 8
    settings.DUE_SOON_HOURS = 8


def page(client: Client, username: str, url: str) -> tuple[int, str]:
    return signed_in_page(client, username, url, FRIDAY_16)


def test_the_warnings_list_shows_a_user_the_warnings_of_their_roles(world: World) -> None:
    province_leader(world)
    soon, _step = step_due(world, vn(2026, 3, 9, 15), FILED)
    late, late_step = step_due(world, vn(2026, 3, 6, 10), FILED)
    quiet, _other = step_due(world, vn(2026, 3, 20, 10), FILED)
    # A specialist's step of ward A due soon: the desk does not see it, the specialist does.
    spec = intake(world, FILED)
    spec_step = DossierStep.objects.create(
        dossier=spec,
        position=9,
        name="Thẩm định",
        agency=Agency.objects.get(code="30001.office"),
        role="specialist",
        allotted_hours=8,
        started_at=FILED,
        due_at=vn(2026, 3, 9, 9),
    )
    DossierStep.objects.filter(dossier=spec).exclude(pk=spec_step.pk).update(finished_at=FILED)
    scan(FRIDAY_16)
    assert StepWarning.objects.filter(step=spec_step).exists()
    status, html = page(Client(), "desk_a", "/desk/warnings/")
    assert status == 200 and codes(html) == {soon.code, late.code}
    assert codes(page(Client(), "specialist_a", "/desk/warnings/")[1]) == {spec.code}
    assert codes(page(Client(), "leader_a", "/desk/warnings/")[1]) == {
        soon.code,
        late.code,
        spec.code,
    }
    # The province's leader sees the escalation sent up to them, nothing else.
    assert codes(page(Client(), "leader_p", "/desk/warnings/")[1]) == {late.code}
    # Ward B's officer sees nothing of ward A.
    status, html = page(Client(), "desk_b", "/desk/warnings/")
    assert status == 200 and codes(html) == set()
    assert quiet.code not in html and late_step.name
