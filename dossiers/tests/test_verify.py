"""`verify_figures`: the figure fields of every dossier equal a replay of its events."""

from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier
from dossiers.replay import verify
from testing.clock import vn
from testing.world import World


def test_an_online_dossier_refused_at_receipt_verifies(world: World) -> None:
    # The refuse verb stamps finished_at; the replay must end processing there too.
    d = actions.file_dossier(
        actor=world.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    )
    d = actions.refuse(
        d, actor=world.desk_a, at=vn(2026, 3, 2, 10), reason="Không thuộc thẩm quyền"
    )
    assert d.finished_at == vn(2026, 3, 2, 10)
    assert verify(Dossier.objects.filter(pk=d.pk)) == []
