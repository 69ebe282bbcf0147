"""The report through the API and the operations-centre pages, with who may read it."""

import io
from datetime import datetime

from django.test import Client
from openpyxl import load_workbook

from conftest import World
from testing.api import bearer
from testing.clock import VN
from testing.dossiers import finish, intake

KEYS = {
    "received_total",
    "received_online",
    "received_desk_post",
    "carried_over",
    "resolved_total",
    "early",
    "on_time",
    "late",
    "in_progress_total",
    "within_time",
    "overdue",
    "on_time_rate",
    "indicator_2_1",
}


def history(world: World) -> None:
    d = intake(world, datetime(2026, 3, 2, 9, tzinfo=VN))
    finish(world, d, datetime(2026, 3, 3, 9, tzinfo=VN))
    intake(world, datetime(2026, 3, 4, 9, tzinfo=VN))


def test_report_api_for_the_ioc(world: World, client: Client) -> None:
    history(world)
    params = {"unit": "82", "from": "2026-03-01", "to": "2026-03-31", "by": "unit"}
    r = client.get("/api/v1/stats/report", params, **bearer(client, "ioc"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body["total"]) >= KEYS
    assert set(body["rows"][0]) >= KEYS
    assert body["total"]["received_total"] == 2 and body["total"]["early"] == 1
    assert float(body["total"]["on_time_rate"]) == 100.0
    assert float(body["total"]["indicator_2_1"]) == 50.0  # the open one is overdue by 31/3
    assert body["from"] == "2026-03-01"


def test_report_api_refuses_and_explains(world: World, client: Client) -> None:
    desk_b = bearer(client, "desk_b")
    r = client.get(
        "/api/v1/stats/report",
        {"unit": "30001", "from": "2026-03-01", "to": "2026-03-31"},
        **desk_b,
    )
    assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json")
    ioc = bearer(client, "ioc")
    r = client.get(
        "/api/v1/stats/report", {"unit": "82", "from": "2026-03-31", "to": "2026-03-01"}, **ioc
    )
    assert r.status_code == 422 and "2026-03-01" in r.json()["detail"]
    r = client.get(
        "/api/v1/stats/report", {"unit": "00000", "from": "2026-03-01", "to": "2026-03-31"}, **ioc
    )
    assert r.status_code == 404
    r = client.get(
        "/api/v1/stats/report", {"unit": "82", "from": "mùng 1", "to": "2026-03-31"}, **ioc
    )
    assert r.status_code == 422


def test_report_page_and_drill_down(world: World, client: Client) -> None:
    history(world)
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    page = client.get(
        "/ioc/report/", {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "unit"}
    ).content.decode()
    assert "Phường An Bình" in page
    assert "100,00%" in page
    r = client.get(
        "/ioc/dossiers/",
        {
            "unit": "82",
            "start": "2026-03-01",
            "end": "2026-03-31",
            "by": "unit",
            "column": "overdue",
            "key": "30001",
        },
    )
    assert r.status_code == 200 and "Đang giải quyết — Quá hạn: 1" in r.content.decode()


def test_desk_officer_has_no_figures_page(world: World, client: Client) -> None:
    client.post("/desk/login/", {"username": "desk_b", "password": "pw-desk_b"})
    assert client.get("/ioc/").status_code == 403


def test_report_downloads_as_xlsx_with_the_same_numbers(world: World, client: Client) -> None:

    history(world)
    client.post("/desk/login/", {"username": "ioc", "password": "pw-ioc"})
    params = {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "unit"}
    r = client.get("/ioc/report/", {**params, "format": "xlsx"})
    assert r["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][1] == "Tổng số tiếp nhận"
    assert rows[4][0] == "Phường An Bình" and rows[4][1] == 2
    # Eleven form columns, the two digitisation counts, then the four rates.
    assert rows[3][12] == "Hồ sơ đã số hóa" and rows[3][13] == "Kết quả đã số hóa"
    assert rows[-1][0] == "Tổng cộng" and rows[-1][14] == 100.0 and rows[-1][15] == 50.0
    assert rows[-1][16] == 0.0 and rows[-1][17] == 0.0  # nothing scanned in this history
