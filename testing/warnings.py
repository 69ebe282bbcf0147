"""Dossiers whose current step is due at a chosen instant, for the warning tests."""

import re
from datetime import datetime

import time_machine
from django.test import Client

from accounts.models import User
from dossiers.models import Dossier, DossierStep
from orgs.models import Role, StaffRole
from testing.dossiers import intake
from testing.world import World


def step_due(w: World, due: datetime, filed: datetime) -> tuple[Dossier, DossierStep]:
    """File a dossier at ward A at `filed` and move its first step's deadline to `due`.

    The step is the desk's (role desk_officer, agency ward A's one-stop desk).
    """
    d = intake(w, filed)
    assert d.current_step is not None
    DossierStep.objects.filter(pk=d.current_step.pk).update(due_at=due)
    step = DossierStep.objects.get(pk=d.current_step.pk)
    return d, step


def province_leader(w: World) -> StaffRole:
    """Make a leader of the province above wards A and B (user `leader_p`, with an email)."""
    user = User.objects.create_user(
        username="leader_p", password="pw-leader_p", full_name="Đỗ Văn Tỉnh", email="p@example.vn"
    )
    return StaffRole.objects.create(user=user, role=Role.LEADER, unit=w.province)


def codes(html: str) -> set[str]:
    """The dossier codes a page links to."""
    return set(re.findall(r"/desk/dossiers/([^/\"]+)/", html))


def signed_in_page(client: Client, username: str, url: str, at: datetime) -> tuple[int, str]:
    """Sign `username` in and GET `url`, with the clock stopped at `at`."""
    with time_machine.travel(at, tick=False):
        r = client.post("/desk/login/", {"username": username, "password": "pw-" + username})
        assert r.status_code == 302
        r = client.get(url)
        return r.status_code, r.content.decode()
