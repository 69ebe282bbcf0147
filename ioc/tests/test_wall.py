"""The operations centre's wall: its figures read the report's and the warnings' definitions,
IOC viewers land on it, it refreshes its live part, and other apps add tiles by settings."""

from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import World
from dossiers.models import Dossier
from fieldreports.actions import Submission, submit
from fieldreports.defaults import seed
from fieldreports.figures import open_and_late
from fieldreports.models import Category, UnitPlace
from ioc.wall import snapshot
from lib.wall import Figure, Tile, WallScope
from stats.actions import rate
from stats.models import RatingChannel
from stats.report import (
    FLOW_COLUMNS,
    Column,
    GroupBy,
    Period,
    day_flows,
    flows_by_unit,
    report,
)
from surveys.actions import submit as survey_submit
from surveys.models import ResponseChannel
from testing.clock import vn
from testing.dossiers import finish, intake
from testing.surveys import campaign as survey_campaign

FRIDAY_10 = vn(2026, 3, 6, 10)


@pytest.fixture(autouse=True)
def _eight_hours(settings: Any) -> None:
    settings.DUE_SOON_HOURS = 8


def march(world: World) -> dict[str, Dossier]:
    """Four birth registrations at ward A in the first week of March 2026."""
    done = finish(world, intake(world, vn(2026, 3, 2, 9)), vn(2026, 3, 3, 9))
    rate(
        done,
        value="satisfied",
        comment="",
        at=vn(2026, 3, 3, 10),
        channel=RatingChannel.DESK,
        actor=world.desk_a,
    )
    return {
        "done": done,
        # Due Thursday 5 March 17:00: overdue on Friday.
        "late": intake(world, vn(2026, 3, 2, 9)),
        # Due Friday 6 March 17:00: within 8 working hours of Friday 10:00.
        "soon": intake(world, vn(2026, 3, 3, 9)),
        # Filed online this morning.
        "today": intake(world, vn(2026, 3, 6, 8), channel="2"),
    }


def values(tile: Tile) -> list[Any]:
    return [f.value for f in tile.figures]


def test_the_wall_reads_the_report_and_the_warnings(world: World) -> None:
    march(world)
    snap = snapshot(world.province, FRIDAY_10)
    tiles = {t.key: t for t in snap.tiles}
    assert values(tiles["intake"]) == [1, 0, 1, 3]
    assert values(tiles["resolved"]) == [0, 1, Decimal("100.00"), Decimal(95)]
    assert values(tiles["at_risk"]) == [1, 1]
    assert tiles["at_risk"].figures[1].alert
    assert values(tiles["satisfaction"]) == [Decimal("100.00"), 1]
    # A day's flows read from its counter row are the one-day report's.
    for day in (vn(2026, 3, 3).date(), FRIDAY_10.date()):
        one_day = report(world.province, Period(day, day), GroupBy.UNIT).total.counts
        assert day_flows(world.province, day) == {c: one_day[c] for c in FLOW_COLUMNS}
    assert day_flows(world.province, vn(2026, 3, 3).date())[Column.RESOLVED_TOTAL] == 1
    # The same numbers as the periodic report for the month so far.
    month = report(world.province, Period(vn(2026, 3, 1).date(), FRIDAY_10.date()), GroupBy.UNIT)
    assert month.total.counts[Column.RESOLVED_TOTAL] == 1
    flows = flows_by_unit(world.province, month.period)
    assert [(r.key, r.label) for r in flows] == [(r.key, r.label) for r in month.rows]
    for row, full in zip(flows, month.rows, strict=True):
        assert row.counts == {c: full.counts[c] for c in FLOW_COLUMNS}
    [ward] = snap.ranking
    assert (ward.rank, ward.name, ward.received, ward.resolved) == (1, "Phường An Bình", 4, 1)
    assert (ward.on_time_rate, ward.due_soon, ward.overdue) == (Decimal("100.00"), 1, 1)
    # In April nothing flows at ward A, yet its three open dossiers are overdue: it is ranked.
    [quiet] = snapshot(world.province, vn(2026, 4, 6, 10)).ranking
    assert (quiet.name, quiet.received, quiet.on_time_rate, quiet.overdue) == (
        "Phường An Bình",
        0,
        None,
        3,
    )
    # Ward B's subtree has none of it.
    empty = snapshot(world.ward_b, FRIDAY_10)
    assert empty.ranking == [] and values(empty.tiles[0]) == [0, 0, 0, 0]


def signed_in(username: str) -> Client:
    client = Client()
    with time_machine.travel(FRIDAY_10, tick=False):
        r = client.post("/desk/login/", {"username": username, "password": "pw-" + username})
        assert r.status_code == 302
    return client


def test_ioc_viewers_land_on_the_wall_which_refreshes_its_live_part(world: World) -> None:
    march(world)
    client = signed_in("ioc")
    with time_machine.travel(FRIDAY_10, tick=False):
        assert client.get("/desk/")["Location"] == "/ioc/"
        page = client.get("/ioc/").content.decode()
        live = client.get("/ioc/", {"unit": "82", "part": "live"}).content.decode()
    assert 'hx-trigger="every 30s"' in page and "Phường An Bình" in page
    assert "<html" not in live and "06/03/2026 10:00:00" in live and "100,00%" in live
    # Staff with work land on their inbox; a desk officer reads no figures.
    with time_machine.travel(FRIDAY_10, tick=False):
        assert signed_in("desk_a").get("/desk/")["Location"].startswith("/desk/queue/")
        assert signed_in("desk_b").get("/ioc/").status_code == 403


def test_the_reports_old_address_is_sent_on(world: World) -> None:
    client = signed_in("ioc")
    query = {"unit": "82", "start": "2026-03-01", "end": "2026-03-31", "by": "unit"}
    with time_machine.travel(FRIDAY_10, tick=False):
        r = client.get("/ioc/", query)
        assert r.status_code == 302 and r["Location"].startswith("/ioc/report/?")
        assert client.get(r["Location"]).status_code == 200


def field_reports_tile(scope: WallScope) -> Tile:
    """A tile as another app would register it (settings.WALL_TILES)."""
    return Tile(key="extra", title="Extra tile", figures=[Figure("Units", len(scope.unit_ids))])


def test_another_app_adds_a_tile_by_settings(world: World, settings: Any) -> None:
    settings.WALL_TILES = [*settings.WALL_TILES, "ioc.tests.test_wall.field_reports_tile"]
    snap = snapshot(world.ward_a, FRIDAY_10)
    assert [t.key for t in snap.tiles][-1] == "extra"
    assert values(snap.tiles[-1]) == [1]


def test_charts_carry_their_numbers_and_the_target(world: World) -> None:
    march(world)
    client = signed_in("ioc")
    with time_machine.travel(FRIDAY_10, tick=False):
        html = client.get(
            "/ioc/charts/", {"unit": "82", "start": "2026-03-01", "end": "2026-03-06", "by": "unit"}
        ).content.decode()
        grid = client.get("/ioc/map/", {"unit": "82"}).content.decode()
    assert html.count("<details>") == 5 and 'stroke-dasharray="5 3"' in html
    assert '<th scope="row" data-label="Tháng">03/2026</th>' in html and "Mục tiêu: 95,00%" in html
    # The map says what it cannot draw, and lists its numbers.
    assert "không có trong dữ liệu" in grid and "Phường An Bình" in grid
    assert "Phường Hồng Ngự" in grid and "100,00%" in grid


def test_the_field_reports_tile_counts_open_and_late(world: World) -> None:
    seed(Category)  # a transactional test before this one may have flushed the migration's rows
    for code in ("30001", "30001", "30002"):
        sub = Submission(service_code="roads", jurisdiction_id=code, description="Ổ gà")
        submit(sub, at=vn(2026, 3, 13, 9, 0))
    at = vn(2026, 3, 18, 9, 0)
    tiles = {t.key: t for t in snapshot(world.province, at).tiles}
    counts = open_and_late([world.province.path], at)
    assert values(tiles["field_reports"]) == [counts["open"], counts["overdue"]] == [3, 3]
    assert tiles["field_reports"].figures[1].alert
    assert values({t.key: t for t in snapshot(world.ward_a, at).tiles}["field_reports"]) == [2, 2]


def test_the_map_draws_units_at_their_points_with_the_open_reports(world: World) -> None:
    seed(Category)
    client = signed_in("ioc")
    with time_machine.travel(FRIDAY_10, tick=False):
        grid = client.get("/ioc/map/", {"unit": "82"}).content.decode()
    assert "lưới đơn giản" in grid and "<circle" in grid
    UnitPlace.objects.create(unit=world.ward_a, lat="10.460000", long="105.630000")
    UnitPlace.objects.create(unit=world.ward_b, lat="10.800000", long="105.340000")
    sub = Submission(service_code="roads", lat="10.470000", long="105.640000", description="Ổ gà")
    submit(sub, at=vn(2026, 3, 5, 9, 0))
    with time_machine.travel(FRIDAY_10, tick=False):
        placed = client.get("/ioc/map/", {"unit": "82"}).content.decode()
    assert "lưới đơn giản" not in placed and "điểm đã ghi nhận" in placed
    assert placed.count('width="6" height="6" fill="#0b4f9c"') == 1  # the one open report
    assert placed.count('r="8"') == 2  # the two wards


def test_the_survey_tile_gives_this_months_index_under_the_unit(world: World) -> None:
    campaign, scale, choice, _text = survey_campaign(world)
    good = choice.choices.get(label="Đúng hẹn").pk
    bad = choice.choices.get(label="Trễ hẹn").pk
    for unit, answers, at in (
        (world.ward_a, {scale.pk: 5, choice.pk: good}, vn(2026, 3, 3, 9)),
        (world.ward_a, {scale.pk: 1, choice.pk: bad}, vn(2026, 3, 4, 9)),
        (world.ward_b, {scale.pk: 4, choice.pk: good}, vn(2026, 3, 5, 9)),
        (world.ward_a, {scale.pk: 5, choice.pk: good}, vn(2026, 2, 27, 9)),  # last month
    ):
        survey_submit(campaign, unit=unit, answers=answers, channel=ResponseChannel.PORTAL, at=at)
    at = vn(2026, 3, 6, 10)
    province = {t.key: t for t in snapshot(world.province, at).tiles}["surveys"]
    ward_a = {t.key: t for t in snapshot(world.ward_a, at).tiles}["surveys"]
    # Rated answers this month: province 6 (4 satisfied), ward A 4 (2 satisfied).
    assert values(province) == [Decimal("66.7"), 3]
    assert values(ward_a) == [Decimal("50.0"), 2]
    assert "/ioc/surveys/" in province.figures[0].href
