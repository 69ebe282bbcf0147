"""The IOC's drill-down: names not codes, a page at a time, each dossier's step and time left."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World
from dossiers.importer import read_history, write_csv, write_history
from testing.clock import vn
from testing.dossiers import intake
from testing.history import GOOD

FRIDAY_16 = vn(2026, 3, 6, 16)
CELL = "/ioc/dossiers/?unit=82&start=2026-01-01&end=2026-03-31&by=unit"


def _import_resolved(n: int) -> None:
    """Import `n` birth registrations of ward A resolved in February 2026."""
    rows = []
    for i in range(n):
        received = vn(2026, 2, 2, 8) + timedelta(minutes=5 * i)
        rows.append(
            {
                **GOOD,
                "code": f"H-{i:04d}",
                "procedure_code": "1.001193",
                "receiving_unit": "30001",
                "received_at": received.isoformat(),
                "finished_at": (received + timedelta(hours=1)).isoformat(),
                "returned_at": "",
            }
        )
    parsed = read_history(write_csv(rows), "h.csv")
    assert parsed.errors == []
    write_history(parsed.planned)


def _get(client: Client, url: str) -> str:
    with time_machine.travel(FRIDAY_16, tick=False):
        r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def test_each_open_dossier_shows_its_step_and_working_time_left(
    world: World, client: Client
) -> None:
    # Filed Monday 2 March: due Thursday 5 March 17:00, 7 working hours late on Friday 16:00.
    intake(world, vn(2026, 3, 2, 9))
    # Filed Tuesday 3 March: due Friday 6 March 17:00, one working hour left.
    intake(world, vn(2026, 3, 3, 9))
    client.force_login(world.ioc)
    html = _get(client, f"{CELL}&column=in_progress_total&key=30001")
    assert "Đang giải quyết — Tổng số đang giải quyết: 2" in html
    # The row's name, not its code, beside the unit that was asked about.
    assert "Tỉnh Đồng Tháp · Phường An Bình ·" in html
    assert html.count('<td data-label="Bước hiện tại">Tiếp nhận hồ sơ</td>') == 2
    assert "quá hạn 7,0 giờ làm việc" in html
    assert "còn 1,0 giờ làm việc" in html


def test_the_list_comes_a_page_at_a_time_in_the_same_queries(world: World, client: Client) -> None:
    _import_resolved(57)
    client.force_login(world.ioc)
    url = f"{CELL}&column=resolved_total"
    _get(client, url)  # caches warm (roles, calendars)
    with CaptureQueriesContext(connection) as first:
        page1 = _get(client, url)
    with CaptureQueriesContext(connection) as second:
        page2 = _get(client, url + "&page=2")
    assert "Đã giải quyết — Tổng số đã giải quyết: 57" in page1
    assert page1.count('data-label="Mã hồ sơ"><a') == 50
    assert page2.count('data-label="Mã hồ sơ"><a') == 7
    assert "Trang 1/2" in page1 and "page=2" in page1 and "hồ sơ 51–57" in page2
    # Fifty rows cost what seven do: no query per dossier.
    assert len(first.captured_queries) == len(second.captured_queries)
