"""Satisfaction: one rating per finished dossier, at the desk tablet or through the API."""

from datetime import date, datetime

from django.test import Client

from conftest import World
from stats.models import Rating
from stats.report import Period, satisfaction
from testing.api import bearer
from testing.clock import VN
from testing.dossiers import finish, intake


def test_desk_tablet_rating_once(world: World, client: Client) -> None:
    d = finish(
        world, intake(world, datetime(2026, 3, 2, 9, tzinfo=VN)), datetime(2026, 3, 3, 9, tzinfo=VN)
    )
    client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert f"/desk/dossiers/{d.code}/rate/" in page
    r = client.post(
        f"/desk/dossiers/{d.code}/rate/", {"value": "very_satisfied", "comment": "Nhanh"}
    )
    assert "Cảm ơn" in r.content.decode()
    again = client.post(f"/desk/dossiers/{d.code}/rate/", {"value": "dissatisfied"})
    assert again.status_code == 200
    assert Rating.objects.get(dossier=d).value == "very_satisfied"
    figures = satisfaction(world.province, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert figures.counts == {"very_satisfied": 1} and figures.finished == 1
    assert figures.satisfied_rate == 100


def test_api_rating_rules(world: World, client: Client) -> None:
    open_one = intake(world, datetime(2026, 3, 2, 9, tzinfo=VN))
    desk = bearer(client, "desk_a")
    r = client.post(
        f"/api/v1/dossiers/{open_one.code}/rating",
        {"value": "satisfied"},
        content_type="application/json",
        **desk,
    )
    assert r.status_code == 409 and "kết thúc" in r.json()["detail"]
    d = finish(world, open_one, datetime(2026, 3, 3, 9, tzinfo=VN))
    bad = client.post(
        f"/api/v1/dossiers/{d.code}/rating",
        {"value": "5 sao"},
        content_type="application/json",
        **desk,
    )
    assert bad.status_code == 422
    wrong_pin = client.post(
        f"/api/v1/public/dossiers/{d.code}/rating",
        {"value": "dissatisfied"},
        content_type="application/json",
        HTTP_X_LOOKUP_PIN="000",
    )
    assert wrong_pin.status_code == 404
    ok = client.post(
        f"/api/v1/public/dossiers/{d.code}/rating",
        {"value": "dissatisfied", "comment": "Chờ lâu"},
        content_type="application/json",
        HTTP_X_LOOKUP_PIN=d.public_secret,
    )
    assert ok.status_code == 201 and ok.json()["value_label"] == "Không hài lòng"
    twice = client.post(
        f"/api/v1/dossiers/{d.code}/rating",
        {"value": "satisfied"},
        content_type="application/json",
        **desk,
    )
    assert twice.status_code == 409
    other_ward = bearer(client, "desk_b")
    hidden = client.post(
        f"/api/v1/dossiers/{d.code}/rating",
        {"value": "satisfied"},
        content_type="application/json",
        **other_ward,
    )
    assert hidden.status_code == 404
