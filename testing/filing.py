"""Online filing in tests: procedure 1.004873 in the shared world, citizens, and a way through
the filing pages with the test client."""

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from catalog.actions import import_records
from catalog.io import DocumentRecord, StepRecord
from testing.citizens import citizen
from testing.world import World, make_record

MARITAL = "1.004873"


def add_marital_status(world: World) -> str:
    """Import 1.004873 (certificate of marital status, fully online): a required form and an
    optional ID paper; desk, specialist, leader, desk. Return its code."""
    import_records(
        [
            make_record(
                MARITAL,
                name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
                result="Giấy xác nhận tình trạng hôn nhân",
                channels=["desk", "post", "online_full"],
                documents=[
                    DocumentRecord(
                        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "original", 1, True, ""
                    ),
                    DocumentRecord("Giấy tờ tùy thân của người yêu cầu", "original", 1, False, ""),
                ],
                steps=[
                    StepRecord("Tiếp nhận hồ sơ", "one_stop_desk", "desk_officer", Decimal(4)),
                    StepRecord("Thẩm định hồ sơ", "office", "specialist", Decimal(14)),
                    StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
                    StepRecord("Trả kết quả", "one_stop_desk", "desk_officer", Decimal(2)),
                ],
            )
        ]
    )
    return MARITAL


def signed_in_citizen(phone: str = "0912000111", **kwargs: Any) -> tuple[User, Client]:
    """A citizen with a profile (ID number, phone) and a client signed in as them."""
    kwargs.setdefault("id_number", "087095000123")
    user = citizen(phone, **kwargs)
    client = Client()
    client.force_login(user, backend="accounts.backends.CitizenBackend")
    return user, client


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """A file as a browser posts it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def fill_applicant(client: Client, code: str, unit_id: int, **fields: str) -> Any:
    """Post the applicant form (profile values unless given)."""
    page = client.get(f"/nop-ho-so/{code}/")
    initial = page.context["form"].initial
    data = {k: initial.get(k) or "" for k in ("name", "id_number", "address", "phone", "email")}
    data.update({"address": "12 Nguyễn Huệ, Phường An Bình", "unit": str(unit_id)}, **fields)
    return client.post(f"/nop-ho-so/{code}/", data)


def send_file(client: Client, code: str, position: int, file: Any) -> Any:
    """Upload one document's file on the documents step."""
    return client.post(f"/nop-ho-so/{code}/giay-to/", {"document": position, "file": file})


def submit(client: Client, code: str) -> Any:
    """Post the review page's submit form for the draft it shows."""
    page = client.get(f"/nop-ho-so/{code}/xem-lai/")
    return client.post(f"/nop-ho-so/{code}/xem-lai/", {"draft": page.context["draft"].pk})
