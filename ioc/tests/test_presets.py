"""The common-period links on the report page."""

from datetime import date

from django.test import Client

from conftest import World
from ioc.views import presets


def test_presets_on_a_late_november_day() -> None:
    got = {str(label): (start, end) for label, start, end in presets(date(2026, 11, 27))}
    assert got["Tháng này"] == (date(2026, 11, 1), date(2026, 11, 27))
    assert got["Tháng trước"] == (date(2026, 10, 1), date(2026, 10, 31))
    assert got["Quý này"] == (date(2026, 10, 1), date(2026, 11, 27))
    assert got["Quý trước"] == (date(2026, 7, 1), date(2026, 9, 30))
    assert got["6 tháng đầu năm 2026"] == (date(2026, 1, 1), date(2026, 6, 30))
    assert got["Năm 2025"] == (date(2025, 1, 1), date(2025, 12, 31))


def test_presets_in_january_reach_back_a_year() -> None:
    got = {str(label): (start, end) for label, start, end in presets(date(2027, 1, 5))}
    assert got["Tháng trước"] == (date(2026, 12, 1), date(2026, 12, 31))
    assert got["Quý trước"] == (date(2026, 10, 1), date(2026, 12, 31))
    assert got["6 tháng đầu năm 2027"] == (date(2027, 1, 1), date(2027, 1, 5))


def test_the_page_links_the_presets_for_the_chosen_unit(world: World, client: Client) -> None:
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    query = {"unit": "82", "start": "2026-01-01", "end": "2026-06-30", "by": "unit"}
    body = client.get("/ioc/report/", query).content
    page = body.decode()
    assert "6 tháng đầu năm" in page and "unit=82&amp;start=" in page
    assert '<th scope="col" rowspan="2">Đơn vị</th>' in page
