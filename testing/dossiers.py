"""Dossiers made through the real actions, for tests that need a history to count."""

from datetime import datetime

from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier
from testing.clock import vn
from testing.world import World


def intake(w: World, at: datetime, channel: str = "1") -> Dossier:
    """File a birth registration at ward A (accepted at the desk when it came online)."""
    actor = w.citizen if channel == "2" else w.desk_a
    d = actions.file_dossier(
        actor=actor,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel=channel,
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )
    if channel == "2":
        d = actions.accept(d, actor=w.desk_a, at=at)
    return d


def finish(w: World, d: Dossier, at: datetime) -> Dossier:
    """Carry a dossier through its workflow to an approved result, all at `at`."""
    d = actions.forward(d, actor=w.desk_a, at=at)
    d = actions.forward(d, actor=w.specialist_a, at=at, comment="Đủ điều kiện.")
    return actions.approve(d, actor=w.leader_a, at=at)


def book_history(w: World) -> list[str]:
    """Make March 2026's tracking-book rows (one forwarded, one online) and one in April.

    Return the codes of the two March dossiers.
    """
    a = intake(w, vn(2026, 3, 2, 9))
    actions.forward(a, actor=w.desk_a, at=vn(2026, 3, 2, 10))
    b = intake(w, vn(2026, 3, 3, 9), channel="2")
    intake(w, vn(2026, 4, 1, 9))  # outside March
    return [a.code, b.code]
