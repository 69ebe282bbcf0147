"""The public procedure catalogue: search without diacritics, filters, one page per procedure,
its print view and its form templates; only what is in force is shown."""

from typing import Any

from django.test import Client

from catalog.actions import import_records
from catalog.models import ProcedureVersion
from catalog.public import filing_units
from catalog.public import version_in_force as in_force_version
from conftest import World, make_record


def names(response: Any) -> str:
    return response.content.decode()


def test_search_folds_diacritics_and_hides_what_is_not_in_force(
    catalogue: dict[str, str], client: Client
) -> None:
    r = client.get("/thu-tuc/", {"q": "ket hon"})
    assert r.status_code == 200
    body = names(r)
    assert "Đăng ký kết hôn" in body
    assert "Đăng ký khai sinh" not in body
    # Retired procedures and ones without a published version stay out.
    assert "đã bãi bỏ" not in body and "chưa công bố" not in body
    # Upper case and diacritics typed by the citizen fold the same way; a code finds itself.
    assert "Đăng ký kết hôn" in names(client.get("/thu-tuc/", {"q": "KẾT  HÔN"}))
    assert "Cấp Phiếu lý lịch" in names(client.get("/thu-tuc/", {"q": "2.000488"}))
    assert "Không có thủ tục phù hợp" in names(client.get("/thu-tuc/", {"q": "xyz"}))


def test_filters_by_field_level_and_unit(
    catalogue: dict[str, str], world: World, client: Client
) -> None:
    by_field = names(client.get("/thu-tuc/", {"field": "LLTP"}))
    assert "Cấp Phiếu lý lịch" in by_field and "Đăng ký kết hôn" not in by_field
    commune = names(client.get("/thu-tuc/", {"level": "commune"}))
    assert "Đăng ký kết hôn" in commune and "Cấp Phiếu lý lịch" not in commune
    province = names(client.get("/thu-tuc/", {"level": "province"}))
    assert "Cấp Phiếu lý lịch" in province and "Đăng ký khai sinh" not in province
    # Ward A's desk takes its own commune-level procedures and its province's.
    at_ward = names(client.get("/thu-tuc/", {"unit": world.ward_a.code}))
    assert "Đăng ký kết hôn" in at_ward and "Cấp Phiếu lý lịch" in at_ward
    # The province's own desk takes province-level procedures only.
    at_province = names(client.get("/thu-tuc/", {"unit": world.province.code}))
    assert "Cấp Phiếu lý lịch" in at_province and "Đăng ký kết hôn" not in at_province
    # Nonsense in a filter is ignored, never an error.
    nonsense = {"level": "x", "unit": "\u202e", "page": "z"}
    assert client.get("/thu-tuc/", nonsense).status_code == 200


def test_where_to_file(catalogue: dict[str, str], world: World) -> None:
    marriage, record = in_force_version("1.000894"), in_force_version("2.000488")
    assert marriage is not None and record is not None
    assert filing_units(marriage) == [world.ward_a, world.ward_b]
    assert filing_units(record) == [world.province, world.ward_a, world.ward_b]


def test_pagination_keeps_the_filters(world: World, client: Client) -> None:
    import_records([make_record(f"9.{i:06d}", name=f"Thủ tục thử {i:02d}") for i in range(25)])
    first = names(client.get("/thu-tuc/", {"q": "thu tuc thu"}))
    assert "25 thủ tục" in first and "Trang 1/2" in first
    assert "?q=thu+tuc+thu&amp;page=2" in first
    second = names(client.get("/thu-tuc/", {"q": "thu tuc thu", "page": "2"}))
    assert "Trang 2/2" in second and second.count("<li>\n  <h2>") == 5


def test_online_button_only_when_online_filing_is_allowed(world: World, client: Client) -> None:
    assert "/nop-ho-so/1.001193/" in names(client.get("/thu-tuc/1.001193/"))
    ProcedureVersion.objects.filter(procedure__code="1.001193").update(
        allows_online_full=False, allows_online_partial=False
    )
    assert "/nop-ho-so/" not in names(client.get("/thu-tuc/1.001193/"))


def test_print_view(catalogue: dict[str, str], client: Client) -> None:
    r = client.get("/thu-tuc/2.000488/in/")
    body = names(r)
    assert r.status_code == 200 and "print-sheet" in body and "data-print" in body
    assert "200.000 đ" in body and "Tờ khai đăng ký khai sinh" in body


def test_form_template_download(catalogue: dict[str, str], client: Client) -> None:
    r = client.get("/thu-tuc/1.000894/mau/1/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="1.000894-mau-1.pdf"'
    assert r.getvalue().startswith(b"%PDF")
    # A document without a file, a position that does not exist, a retired procedure: 404.
    assert client.get("/thu-tuc/1.001193/mau/1/").status_code == 404
    assert client.get("/thu-tuc/1.000894/mau/9/").status_code == 404
    assert client.get("/thu-tuc/1.000001/mau/1/").status_code == 404
    assert client.get("/thu-tuc/1.000894/mau/..%2f..%2fsettings.py/").status_code == 404


def test_catalogue_pages_are_rate_limited(
    catalogue: dict[str, str], client: Client, settings: Any
) -> None:
    settings.RATE_LIMIT_PUBLIC_PER_MINUTE = 3
    for _ in range(3):
        assert client.get("/thu-tuc/1.000894/", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/thu-tuc/", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.get("/", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.get("/thu-tuc/", REMOTE_ADDR="203.0.113.10").status_code == 200
