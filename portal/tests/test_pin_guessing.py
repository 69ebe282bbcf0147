"""Guessing a dossier's six-digit PIN: lookups of that dossier pause after too many misses."""

from typing import Any

from django.test import Client

from conftest import World
from testing.clock import vn
from testing.dossiers import intake


def test_wrong_pins_pause_the_lookup_of_that_dossier(world: World, settings: Any) -> None:
    settings.PIN_MAX_FAILURES = 3
    d = intake(world, vn(2026, 3, 2, 9))
    other = intake(world, vn(2026, 3, 2, 10))
    c = Client()
    wrong = "000000" if d.public_secret != "000000" else "111111"
    for _ in range(3):
        assert c.get(f"/tra-cuu/{d.code}/?pin={wrong}").status_code == 404
    # Now even the right PIN waits, on the page and in the API, with a Vietnamese message.
    page = c.get(f"/tra-cuu/{d.code}/?pin={d.public_secret}")
    assert page.status_code == 429 and "Nhập sai mã tra cứu quá nhiều lần" in page.content.decode()
    api = c.get(f"/api/v1/public/dossiers/{d.code}", {"secret": d.public_secret})
    assert api.status_code == 429
    assert api["Content-Type"].startswith("application/problem+json")
    # Other dossiers are not affected.
    ok = c.get(f"/tra-cuu/{other.code}/?pin={other.public_secret}")
    assert ok.status_code == 200


def test_the_pause_ends(world: World, settings: Any) -> None:
    import time_machine

    settings.PIN_MAX_FAILURES = 2
    settings.PIN_LOCKOUT_MINUTES = 15
    d = intake(world, vn(2026, 3, 2, 9))
    c = Client()
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        for _ in range(2):
            c.get(f"/tra-cuu/{d.code}/?pin=999999x")
        assert c.get(f"/tra-cuu/{d.code}/?pin={d.public_secret}").status_code == 429
    with time_machine.travel(vn(2026, 3, 2, 10, 16), tick=False):
        assert c.get(f"/tra-cuu/{d.code}/?pin={d.public_secret}").status_code == 200


def test_a_right_pin_leaves_no_trace_and_sign_ins_cannot_lock_a_dossier(
    world: World, settings: Any
) -> None:
    from accounts.models import LoginFailure

    settings.PIN_MAX_FAILURES = 2
    d = intake(world, vn(2026, 3, 2, 9))
    c = Client()
    for _ in range(5):
        assert c.get(f"/tra-cuu/{d.code}/?pin={d.public_secret}").status_code == 200
    assert c.get(f"/tra-cuu/{d.code}/").status_code == 404  # no PIN: not a guess
    assert not LoginFailure.objects.filter(username=f"pin:{d.code}").exists()
    for _ in range(3):
        c.post("/desk/login/", {"username": f"pin:{d.code}", "password": "x"})
    assert c.get(f"/tra-cuu/{d.code}/?pin={d.public_secret}").status_code == 200
