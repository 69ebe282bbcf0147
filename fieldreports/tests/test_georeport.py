"""Open311 GeoReport v2, through a client written from the specification, in JSON and XML."""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fieldreports.models import FieldReport, ReportStatus, UnitPlace
from fieldreports.tests.open311 import REQUEST_FIELDS, SERVICE_FIELDS, Open311
from testing import files
from testing.clock import vn
from testing.world import World

pytestmark = pytest.mark.django_db

CONTACT = {
    "email": "nguoi.bao@example.vn",
    "phone": "0912345678",
    "first_name": "Bảo",
    "last_name": "Nguyễn Văn",
    "device_id": "device-secret-42",
}


@pytest.fixture(params=["json", "xml"])
def api(request: Any, client: Client) -> Open311:
    return Open311(client, request.param)


def _post(api: Open311, at: datetime, **fields: Any) -> list[dict[str, Any]]:
    with time_machine.travel(at, tick=False):
        return api.post(**fields)


def test_services_list_the_configured_categories(api: Open311) -> None:
    services = api.services()
    assert api.last.status_code == 200
    codes = [s["service_code"] for s in services]
    assert codes == ["roads", "lighting", "environment", "urban-order", "public-order"]
    for service in services:
        assert set(service) == SERVICE_FIELDS
        assert service["type"] == "realtime"
        assert service["metadata"] in (False, "false")


def test_post_routes_to_the_ward_and_its_agency_with_a_deadline_in_working_hours(
    api: Open311, world: World
) -> None:
    # Friday 13/03/2026 10:00; lighting has 16 working hours: 5 on Friday, 8 on Monday, 3 on
    # Tuesday: due Tuesday 17/03 10:00 (the weekend does not count).
    answer = _post(
        api,
        vn(2026, 3, 13, 10, 0),
        service_code="lighting",
        address_string="Trước số 12 đường Nguyễn Huệ, phuong An Binh",
        description="Đèn đường không sáng ba ngày nay",
        **CONTACT,
    )
    assert api.last.status_code == 201
    assert len(answer) == 1
    assert set(answer[0]) == {"service_request_id", "service_notice", "account_id"}
    report = FieldReport.objects.get(pk=answer[0]["service_request_id"])
    assert report.unit == world.ward_a
    assert report.agency is None  # the test world's ward has no "economic" agency
    assert report.expected_at == vn(2026, 3, 17, 10, 0)
    with time_machine.travel(vn(2026, 3, 13, 11, 0), tick=False):
        (public,) = api.request(answer[0]["service_request_id"])
    assert public["status"] == "open"
    assert public["service_code"] == "lighting"
    assert public["agency_responsible"] == "Phường An Bình"
    assert public["expected_datetime"].startswith("2026-03-17T10:00:00+07:00")
    assert public["requested_datetime"].startswith("2026-03-13T10:00:00+07:00")


def test_a_report_after_hours_starts_counting_at_the_next_working_morning(
    api: Open311, world: World
) -> None:
    # Saturday evening; roads: 24 working hours from Monday 07:00 = Wednesday 17:00.
    answer = _post(
        api,
        vn(2026, 3, 14, 20, 0),
        service_code="roads",
        jurisdiction_id="30002",
        description="Ổ gà lớn",
    )
    report = FieldReport.objects.get(pk=answer[0]["service_request_id"])
    assert report.unit == world.ward_b
    assert report.expected_at == vn(2026, 3, 18, 17, 0)


def test_coordinates_go_to_the_unit_with_the_nearest_point(api: Open311, world: World) -> None:
    UnitPlace.objects.create(unit=world.ward_a, lat="10.80", long="105.34")
    UnitPlace.objects.create(unit=world.ward_b, lat="10.86", long="105.43")
    answer = _post(api, vn(2026, 3, 13, 9, 0), service_code="roads", lat="10.855", long="105.42")
    assert FieldReport.objects.get(pk=answer[0]["service_request_id"]).unit == world.ward_b


def test_public_answers_carry_no_personal_data(api: Open311, world: World) -> None:
    answer = _post(
        api, vn(2026, 3, 13, 9, 0), service_code="roads", jurisdiction_id="30001", **CONTACT
    )
    request_id = answer[0]["service_request_id"]
    with time_machine.travel(vn(2026, 3, 13, 10, 0), tick=False):
        listed = api.requests()
        listed_body = api.last.content
        one = api.request(request_id)
        one_body = api.last.content
    for body in (listed_body, one_body):
        for secret in ("nguoi.bao", "0912345678", "912345678", "Bảo", "device-secret"):
            assert secret.encode() not in body
    for row in listed + one:
        assert set(row) == REQUEST_FIELDS
    assert [r["service_request_id"] for r in listed] == [request_id]


def _three_reports(api: Open311) -> list[str]:
    ids = []
    for day, code in ((9, "roads"), (10, "lighting"), (11, "roads")):
        answer = _post(api, vn(2026, 3, day, 9, 0), service_code=code, jurisdiction_id="30001")
        ids.append(answer[0]["service_request_id"])
    return ids


def test_list_filters_by_id_code_dates_and_status(api: Open311, world: World) -> None:
    ids = _three_reports(api)
    FieldReport.objects.filter(pk=ids[0]).update(
        status=ReportStatus.CLOSED, closed_at=vn(2026, 3, 10, 9, 0)
    )
    with time_machine.travel(vn(2026, 3, 12, 9, 0), tick=False):
        assert [r["service_request_id"] for r in api.requests()] == ids[::-1]
        by_id = api.requests(service_request_id=f"{ids[2]},{ids[0]}", status="open")
        assert sorted(r["service_request_id"] for r in by_id) == sorted([ids[0], ids[2]])
        roads = api.requests(service_code="roads")
        assert [r["service_request_id"] for r in roads] == [ids[2], ids[0]]
        window = api.requests(start_date="2026-03-10T00:00:00+07:00", end_date="2026-03-10")
        assert [r["service_request_id"] for r in window] == [ids[1]]
        closed = api.requests(status="closed")
        assert [(r["service_request_id"], r["status"]) for r in closed] == [(ids[0], "closed")]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "service_code"),
        ({"service_code": "nope", "jurisdiction_id": "30001"}, "service_code"),
        ({"service_code": "roads"}, "lat"),
        ({"service_code": "roads", "lat": "10.8"}, "lat"),
        ({"service_code": "roads", "lat": "north", "long": "105"}, "lat"),
        ({"service_code": "roads", "lat": "95", "long": "105"}, "lat"),
        ({"service_code": "roads", "address_string": "somewhere nobody knows"}, "jurisdiction_id"),
        ({"service_code": "roads", "jurisdiction_id": "30001", "email": "not-an-email"}, "email"),
        (
            {"service_code": "roads", "jurisdiction_id": "30001", "description": "a\x00b"},
            "description",
        ),
    ],
)
def test_bad_posts_get_400_with_the_error_list(
    api: Open311, world: World, fields: dict[str, str], words: str
) -> None:
    errors = _post(api, vn(2026, 3, 13, 9, 0), **fields)
    assert api.last.status_code == 400
    assert len(errors) == 1
    assert str(errors[0]["code"]) == "400"
    assert words in errors[0]["description"]
    assert not FieldReport.objects.exists()


def test_bad_filters_and_unknown_ids(api: Open311, world: World) -> None:
    assert str(api.requests(status="pending")[0]["code"]) == "400"
    assert api.last.status_code == 400
    assert api.requests(start_date="yesterday")[0]["description"]
    assert api.last.status_code == 400
    assert str(api.request("999999")[0]["code"]) == "404"
    assert api.last.status_code == 404


def test_posts_without_api_key_are_limited_per_address(
    api: Open311, world: World, settings: Any
) -> None:
    settings.FIELDREPORT_POSTS_PER_HOUR = 2
    at = vn(2026, 3, 13, 9, 0)
    for _ in range(2):
        _post(api, at, service_code="roads", jurisdiction_id="30001")
        assert api.last.status_code == 201
    errors = _post(api, at, service_code="roads", jurisdiction_id="30001")
    assert api.last.status_code == 429
    assert str(errors[0]["code"]) == "429"
    assert api.last["Retry-After"]
    assert FieldReport.objects.count() == 2
    # Another address is not held back by this one.
    other = Open311(Client(REMOTE_ADDR="192.0.2.9"), api.fmt)
    _post(other, at, service_code="roads", jurisdiction_id="30001")
    assert other.last.status_code == 201


def test_a_photo_goes_through_the_upload_gate_and_is_public(
    world: World, client: Client, scanner: Any
) -> None:
    api = Open311(client)
    photo = SimpleUploadedFile("pothole.png", files.png(), content_type="image/png")
    answer = _post(
        api, vn(2026, 3, 13, 9, 0), service_code="roads", jurisdiction_id="30001", media=photo
    )
    assert api.last.status_code == 201
    with time_machine.travel(vn(2026, 3, 13, 10, 0), tick=False):
        (row,) = api.request(answer[0]["service_request_id"])
        assert row["media_url"]
        image = client.get(row["media_url"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    pdf = SimpleUploadedFile("x.pdf", files.pdf(), content_type="application/pdf")
    errors = _post(
        api, vn(2026, 3, 13, 9, 0), service_code="roads", jurisdiction_id="30001", media=pdf
    )
    assert api.last.status_code == 422
    assert "media" in errors[0]["description"]
    assert FieldReport.objects.count() == 1
