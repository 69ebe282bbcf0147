"""Dossiers whose current step is due at a chosen instant, for the warning tests."""

from datetime import datetime

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
