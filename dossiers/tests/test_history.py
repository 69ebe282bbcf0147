"""The demo history is made by the real actions: every dossier's event chain verifies."""

from datetime import datetime

from django.core.management import call_command

from dossiers import actions
from dossiers.demo import generate
from dossiers.models import Dossier, Status
from testing.clock import VN


def test_history_goes_through_the_actions(db) -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    end = datetime(2026, 3, 20, 17, 0, tzinfo=VN)
    n = generate(end=end, days=20, per_unit_day=1.0)
    assert n == Dossier.objects.count() > 50
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.IN_PROGRESS} <= statuses
    for dossier in Dossier.objects.all():
        assert dossier.event_count == dossier.events.count() >= 1
        assert actions.verify_chain(dossier)
    late = Dossier.objects.late().count()
    assert late <= max(1, n // 100)
