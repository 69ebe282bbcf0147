"""Search everything the user may see, the dossier list's filters and its XLSX export."""

import io
from datetime import datetime

import pytest
from django.test import Client
from openpyxl import load_workbook

from audit.models import ListExport
from backoffice import search as view
from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, Status
from orgs.models import Role, StaffRole
from testing.clock import vn
from testing.dossiers import finish, intake

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    r = client.post("/desk/login/", {"username": username, "password": "pw-" + username})
    assert r.status_code == 302
    return client


def file_at(w: World, unit_b: bool, at: datetime, name: str, id_number: str, phone: str) -> str:
    d = actions.file_dossier(
        actor=w.desk_b if unit_b else w.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_b if unit_b else w.ward_a,
        channel="1",
        applicant=Applicant("person", name, id_number, phone=phone),
        documents=[ReceivedDocument(1)],
        at=at,
    )
    return d.code


@pytest.fixture
def returned(world: World) -> Dossier:
    """A dossier of ward A carried to the end: received, decided, result returned."""
    d = intake(world, vn(2026, 3, 2, 9))
    d = finish(world, d, vn(2026, 3, 3, 9))
    return actions.return_result(
        d,
        actor=world.desk_a,
        at=vn(2026, 3, 4, 9),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )


def page_of(client: Client, **params: str) -> str:
    r = client.get("/desk/search/", params)
    assert r.status_code == 200
    return r.content.decode()


def listed(client: Client, **params: str) -> str:
    """The list's rows only (the search box repeats the query)."""
    page = page_of(client, **params)
    return page.split("<tbody>")[1] if "<tbody>" in page else ""


@pytest.mark.parametrize(
    "query",
    [
        "the code",
        "the code in lower case",
        "nguyen van a",
        "NGUYEN VAN",
        "087095000123",
        "0912345678",
        "+84 912 345 678",
    ],
)
def test_search_finds_a_returned_dossier(world: World, returned: Dossier, query: str) -> None:
    assert returned.status == Status.RETURNED
    query = {"the code": returned.code, "the code in lower case": returned.code.lower()}.get(
        query, query
    )
    table = listed(signed_in("desk_a"), q=query)
    assert f"/desk/dossiers/{returned.code}/" in table
    assert "087095000123" not in table and "********0123" in table  # the ID stays masked
    assert "0912345678" not in table and "*******678" in table  # and so does the phone


def test_header_box_and_empty_inbox_lead_to_the_search(world: World, returned: Dossier) -> None:
    client = signed_in("desk_a")
    inbox = client.get("/desk/queue/to_receive/", {"q": returned.code}).content.decode()
    assert 'action="/desk/search/"' in inbox  # the header's box
    assert f"/desk/search/?q={returned.code}" in inbox  # nothing in this inbox: search all
    assert returned.code in listed(client, q=returned.code)


def test_search_does_not_reach_another_unit(world: World, returned: Dossier) -> None:
    other = file_at(world, True, vn(2026, 3, 2, 10), "Nguyễn Văn Ánh", "087095000999", "0987654321")
    desk_a = signed_in("desk_a")
    for query in (other, "087095000999", "0987654321", "nguyen van anh"):
        assert other not in listed(desk_a, q=query)
    desk_b = signed_in("desk_b")
    for query in (returned.code, "087095000123", "0912345678"):
        assert returned.code not in listed(desk_b, q=query)
    assert other in listed(desk_b, q="nguyen van")
    # The province's IOC viewer sees both wards.
    both = listed(signed_in("ioc"), q="nguyen van")
    assert returned.code in both and other in both


def test_filters_status_channel_procedure_and_period(world: World, returned: Dossier) -> None:
    march_5 = file_at(world, False, vn(2026, 3, 5, 9), "Lê Thị Bích", "087195000456", "0933333333")
    online = intake(world, vn(2026, 3, 20, 9), channel="2").code
    client = signed_in("desk_a")

    by_status = listed(client, status="returned")
    assert returned.code in by_status and march_5 not in by_status and online not in by_status
    by_channel = listed(client, channel="2")
    assert online in by_channel and returned.code not in by_channel
    by_procedure = listed(client, procedure="1.001193")
    assert all(c in by_procedure for c in (returned.code, march_5, online))
    assert returned.code not in listed(client, procedure="9.999999")

    period = listed(client, period="submitted", start="03/03/2026", end="19/03/2026")
    assert march_5 in period and returned.code not in period and online not in period
    # Both ends are included, in Vietnam's days (09:00 on 20/03 is in 20/03).
    assert online in listed(client, start="20/03/2026", end="20/03/2026")
    received = listed(client, period="received", start="20/03/2026", end="20/03/2026")
    assert online in received and march_5 not in received

    bad = page_of(client, start="20/03/2026", end="01/03/2026")
    assert "không được trước ngày bắt đầu" in bad and returned.code not in bad


def test_list_pages_newest_first(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = [
        file_at(
            world, False, vn(2026, 3, day, 9), f"Người {day}", f"0870950001{day:02d}", "0912345678"
        )
        for day in range(2, 6)
    ]
    monkeypatch.setattr(view, "PAGE_SIZE", 3)
    client = signed_in("desk_a")
    first = listed(client)
    assert codes[3] in first and codes[1] in first and codes[0] not in first
    cursor = first.split("after=")[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/desk/search/?after={cursor}").content.decode()
    assert codes[0] in second and codes[3] not in second


def test_xlsx_export_holds_the_filtered_list_and_is_logged(world: World, returned: Dossier) -> None:
    other_status = file_at(
        world, False, vn(2026, 3, 5, 9), "=HYPERLINK(1)", "087195000456", "0912345678"
    )
    client = signed_in("desk_a")
    r = client.get("/desk/search/export.xlsx", {"status": "returned", "q": "nguyen"})
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith('attachment; filename="danh-sach-ho-so-')
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách hồ sơ"
    header = rows[2]
    assert header[:3] == ("STT", "Mã hồ sơ", "Mã thủ tục")
    assert "Số định danh" in header[5] and header[9] == "Ngày nộp"
    assert len(rows) == 4  # title, exported by, header, one dossier
    data = dict(zip(header, rows[3], strict=True))
    assert data["Mã hồ sơ"] == returned.code and other_status not in str(rows)
    assert data["Người nộp"] == "Nguyễn Văn A"
    assert "0123" in data[header[5]] and "087095000123" not in str(rows)
    assert data["Trạng thái"] == "Đã trả kết quả"
    # Dates are real cells shown as dd/mm/yyyy, in Vietnam's time.
    assert data["Ngày nộp"] == vn(2026, 3, 2, 9, 0).replace(tzinfo=None)
    assert ws.cell(row=4, column=10).number_format == "dd/mm/yyyy hh:mm"
    # It prints on A4 landscape, one page wide.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    log = ListExport.objects.get()
    assert log.user == world.desk_a and log.rows == 1 and log.channel == "desk"
    assert log.filters == {"q": "nguyen", "status": "returned"}


def test_xlsx_export_is_bounded(world: World, returned: Dossier, settings: object) -> None:
    settings.LIST_EXPORT_MAX_ROWS = 0  # type: ignore[attr-defined]
    client = signed_in("desk_a")
    r = client.get("/desk/search/export.xlsx", {"q": "nguyen"}, follow=True)
    assert "tối đa 0" in r.content.decode()
    assert not ListExport.objects.exists()


def test_formula_like_name_stays_text(world: World) -> None:
    file_at(
        world, False, vn(2026, 3, 5, 9), '=HYPERLINK("http://x","y")', "087195000456", "0912345678"
    )
    r = signed_in("desk_a").get("/desk/search/export.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active  # type: ignore[attr-defined]
    assert ws.cell(row=4, column=5).value == '=HYPERLINK("http://x","y")'
    assert ws.cell(row=4, column=5).data_type == "s"


def test_unit_filter_for_someone_serving_several_units(world: World, returned: Dossier) -> None:
    b = file_at(world, True, vn(2026, 3, 2, 10), "Nguyễn Văn Ánh", "087095000999", "0987654321")
    StaffRole.objects.create(user=world.desk_a, role=Role.DESK_OFFICER, unit=world.ward_b)
    client = signed_in("desk_a")
    page = page_of(client)
    assert 'name="unit"' in page and "Phường Hồng Ngự" in page
    both = listed(client)
    assert returned.code in both and b in both
    only_b = listed(client, unit=str(world.ward_b.pk))
    assert b in only_b and returned.code not in only_b
    # A single-unit officer gets no unit filter, and cannot reach another unit through it.
    desk_b = signed_in("desk_b")
    assert 'name="unit"' not in page_of(desk_b)
    assert returned.code not in listed(desk_b, unit=str(world.ward_a.pk))


def test_exports_are_read_in_the_admin(
    world: World, returned: Dossier, admin_client: Client
) -> None:
    signed_in("desk_a").get("/desk/search/export.xlsx", {"q": "nguyen"})
    page = admin_client.get("/admin/audit/listexport/").content.decode()
    assert "Nguyễn Thị Mai" in page
    assert "listexport/" in page and ">1<" in page  # one row, one dossier
    export = ListExport.objects.get()
    assert admin_client.get(f"/admin/audit/listexport/{export.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/audit/listexport/{export.pk}/delete/").status_code == 403


def test_an_organisation_name_with_digits_is_found(world: World) -> None:
    code = actions.file_dossier(
        actor=world.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="1",
        applicant=Applicant(
            "organisation", "Công ty TNHH 3A Đồng Tháp", "0312345678", "", "0912345678"
        ),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 2, 9),
    ).code
    client = signed_in("desk_a")
    assert code in listed(client, q="tnhh 3a dong")
    assert code in listed(client, q="0312345678")  # the tax code
    assert code not in listed(client, q="!!!")


def test_a_unit_remembered_from_a_lost_role_does_not_empty_the_list(
    world: World, returned: Dossier
) -> None:
    # desk_a chose ward A in the switcher while serving two units, then lost the role in ward B:
    # the session still names ward A, but a single-unit officer has no unit filter to hold it.
    extra = StaffRole.objects.create(user=world.desk_a, role=Role.DESK_OFFICER, unit=world.ward_b)
    client = signed_in("desk_a")
    client.post("/desk/unit/", {"unit": str(world.ward_a.pk), "next": "/desk/"})
    extra.delete()
    assert returned.code in listed(client)
    r = client.get("/desk/search/export.xlsx")
    assert r.status_code == 200 and r["Content-Type"] == view.XLSX
