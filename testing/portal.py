"""The public side in tests: the citizen's way into a dossier's pages (code and PIN posted,
never in a URL: portal.lookup, ADR 13) and a small public catalogue (the `catalogue` fixture,
registered by the root conftest)."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from catalog.actions import import_records
from catalog.io import DocumentRecord, StepRecord
from catalog.models import Procedure, ProcedureVersion, RequiredDocument, VersionStatus
from dossiers.models import Dossier
from orgs.models import Agency, AgencyKind
from testing.world import make_record


def look_up(client: Client, code: str, pin: str, **extra: Any) -> Any:
    """POST code and PIN to the lookup form; a match answers 302 to the status page."""
    return client.post("/tra-cuu/", {"code": code, "pin": pin}, **extra)


def open_status(client: Client, dossier: Dossier, **extra: Any) -> Any:
    """Look the dossier up with its receipt and return its status page."""
    r = look_up(client, dossier.code, dossier.public_secret, **extra)
    assert r.status_code == 302, r.status_code
    return client.get(r["Location"], **extra)


def build_catalogue(world: Any) -> dict[str, str]:
    """Add to the world: a marriage registration (commune, partly online, with a form file),
    a criminal-record certificate (province level, decided by the province's justice
    department, with a fee), a procedure no longer in force and one never published.
    Return their codes by role."""
    kinds = {k.code: k for k in AgencyKind.objects.all()}
    Agency.objects.create(
        unit=world.province, kind=kinds["one_stop_desk"], code="82.desk", name="Trung tâm PVHCC"
    )
    Agency.objects.create(
        unit=world.province, kind=kinds["justice"], code="82.justice", name="Sở Tư pháp"
    )
    marriage_form = DocumentRecord("Tờ khai đăng ký kết hôn", "original", 1, True, "Tờ khai")
    steps = [
        StepRecord("Tiếp nhận", "one_stop_desk", "desk_officer", Decimal(4)),
        StepRecord("Thẩm định", "justice", "specialist", Decimal(72)),
        StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
    ]
    import_records(
        [
            make_record(
                "1.000894",
                name="Đăng ký kết hôn",
                channels=["desk", "online_partial"],
                documents=[marriage_form],
                limit_amount=5,
                steps=[
                    StepRecord("Tiếp nhận", "one_stop_desk", "desk_officer", Decimal(4)),
                    StepRecord("Thẩm định", "office", "specialist", Decimal(32)),
                    StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
                ],
            ),
            make_record(
                "2.000488",
                name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
                field_code="LLTP",
                field_name="Lý lịch tư pháp",
                level="province",
                competent_agency_kind="justice",
                limit_amount=10,
                fee_vnd=200000,
                charge_vnd=1000000,
                channels=["desk", "post", "online_full"],
                steps=steps,
            ),
            make_record("1.000001", name="Thủ tục đã bãi bỏ kết hôn"),
            make_record("1.000002", name="Thủ tục chưa công bố kết hôn"),
        ]
    )
    Procedure.objects.filter(code="1.000001").update(is_active=False)
    ProcedureVersion.objects.filter(procedure__code="1.000002").update(status=VersionStatus.RETIRED)
    doc = RequiredDocument.objects.get(version__procedure__code="1.000894", position=1)
    doc.template_file.save("to-khai.pdf", ContentFile(b"%PDF-1.4 demo form\n"), save=True)
    return {
        "birth": "1.001193",
        "marriage": "1.000894",
        "record": "2.000488",
        "retired": "1.000001",
        "unpublished": "1.000002",
    }


@pytest.fixture
def catalogue(world: Any, settings: Any, tmp_path: Any) -> dict[str, str]:
    """The world plus build_catalogue's procedures; uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_catalogue(world)
