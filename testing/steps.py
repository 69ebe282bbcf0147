"""The full internal workflow in tests: procedure 1.004873 with its seven steps as the demo
catalogue has them (desk, office leader assigns, specialist appraises, office leader checks,
the chairman signs, the clerk issues, desk returns) and the people who hold them at ward A."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from accounts.models import User
from catalog.actions import import_records
from catalog.io import DocumentRecord, StepRecord
from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier
from orgs.models import Agency, Role, StaffRole
from testing.world import World, make_record

MARITAL = "1.004873"


@dataclass
class Office:
    """Ward A's office people besides the world's (whose specialist is `world.specialist_a`),
    and a specialist of ward B whom nobody at ward A may assign."""

    office_leader: User
    specialist2: User
    clerk: User
    specialist_b: User


def _person(username: str, full_name: str, role: str, agency: Agency) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, full_name=full_name
    )
    StaffRole.objects.create(user=user, role=role, unit=agency.unit, agency=agency)
    return user


def add_full_workflow(world: World) -> Office:
    """Import 1.004873 with seven steps (3 working days) and staff ward A's office."""
    import_records(
        [
            make_record(
                MARITAL,
                name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
                result="Giấy xác nhận tình trạng hôn nhân",
                documents=[
                    DocumentRecord(
                        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "original", 1, True, ""
                    )
                ],
                steps=[
                    StepRecord(
                        "Tiếp nhận, kiểm tra, số hóa hồ sơ",
                        "one_stop_desk",
                        "desk_officer",
                        Decimal(4),
                    ),
                    StepRecord("Phân công xử lý", "office", "leader", Decimal(2)),
                    StepRecord(
                        "Thẩm định hồ sơ, dự thảo kết quả", "office", "specialist", Decimal(8)
                    ),
                    StepRecord("Kiểm tra, trình ký", "office", "leader", Decimal(2)),
                    StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
                    StepRecord("Vào số, đóng dấu, phát hành", "office", "clerk", Decimal(2)),
                    StepRecord("Trả kết quả", "one_stop_desk", "desk_officer", Decimal(2)),
                ],
            )
        ]
    )
    office_a = Agency.objects.get(unit=world.ward_a, kind__code="office")
    office_b = Agency.objects.get(unit=world.ward_b, kind__code="office")
    return Office(
        office_leader=_person("office_leader_a", "Phạm Văn Bình", Role.LEADER, office_a),
        specialist2=_person("specialist2_a", "Nguyễn Văn Bảo", Role.SPECIALIST, office_a),
        clerk=_person("clerk_a", "Đỗ Thị Hoa", Role.CLERK, office_a),
        specialist_b=_person("specialist_b", "Lý Văn Tài", Role.SPECIALIST, office_b),
    )


def file_marital(world: World, at: datetime) -> Dossier:
    """Receive a 1.004873 dossier at ward A's desk."""
    return actions.file_dossier(
        actor=world.desk_a,
        version=ProcedureVersion.objects.get(procedure__code=MARITAL),
        receiving_unit=world.ward_a,
        channel="1",
        applicant=Applicant("person", "Trần Thị Bích", "087195000456", phone="0912555666"),
        documents=[ReceivedDocument(1)],
        at=at,
    )
