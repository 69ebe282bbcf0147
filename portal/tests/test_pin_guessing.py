"""Guessing PINs and codes: failed public lookups are counted per client address.

Found by probing (issue 14): ten wrong PINs for a dossier locked its citizen out of the status
page, the API and the result PDF; one client tried 200 PINs across 20 dossiers unhindered; an
unknown code was never throttled, so codes could be enumerated.
"""

from typing import Any

import time_machine
from django.test import Client

from accounts.models import RateCounter
from conftest import World
from testing.clock import vn
from testing.dossiers import intake
from testing.portal import look_up

GUESSER = "203.0.113.66"
CITIZEN = "198.51.100.7"


def page(client: Client, code: str, pin: str, ip: str) -> Any:
    """Post code and PIN; a match (302 to the status page) is reported as its 200."""
    r = look_up(client, code, pin, REMOTE_ADDR=ip)
    if r.status_code == 302:
        r = client.get(r["Location"], REMOTE_ADDR=ip)
        assert '<dl class="facts">' in r.content.decode()
    return r


def api(client: Client, code: str, pin: str, ip: str) -> Any:
    return client.get(f"/api/v1/public/dossiers/{code}", HTTP_X_LOOKUP_PIN=pin, REMOTE_ADDR=ip)


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_wrong_pins_pause_that_address_not_the_citizen(world: World, settings: Any) -> None:
    settings.PIN_MAX_FAILURES = 3
    d = intake(world, vn(2026, 3, 2, 9))
    guesser, citizen = Client(), Client()
    for _ in range(3):
        assert page(guesser, d.code, wrong(d.public_secret), GUESSER).status_code == 404
    # The guesser now waits, even with the right PIN, on the page and in the API.
    r = page(guesser, d.code, d.public_secret, GUESSER)
    assert r.status_code == 429 and "quá nhiều lần" in r.content.decode()
    r = api(guesser, d.code, d.public_secret, GUESSER)
    assert r.status_code == 429 and r["Content-Type"].startswith("application/problem+json")
    # The citizen, elsewhere, is not locked out by someone else's guesses.
    assert page(citizen, d.code, d.public_secret, CITIZEN).status_code == 200
    assert api(citizen, d.code, d.public_secret, CITIZEN).status_code == 200


def test_guessing_across_dossiers_and_unknown_codes_is_throttled_alike(
    world: World, settings: Any
) -> None:
    settings.LOOKUP_MAX_FAILURES = 20
    settings.PIN_MAX_FAILURES = 10
    dossiers = [intake(world, vn(2026, 3, 2, 9, i)) for i in range(4)]
    c = Client()
    answers = []
    for i in range(20):
        code = dossiers[i % 4].code if i % 2 else f"H99.{i:02d}-260302-0001"
        answers.append(page(c, code, "123456", GUESSER).status_code)
    # Unknown codes and wrong PINs answer alike...
    assert set(answers) == {404}
    # ... and count alike: the 21st failure from that address is refused, whatever the code.
    assert page(c, "H99.99-260302-0001", "123456", GUESSER).status_code == 429
    assert page(c, dossiers[0].code, "123456", GUESSER).status_code == 429
    assert page(Client(), dossiers[0].code, dossiers[0].public_secret, CITIZEN).status_code == 200


def test_the_pause_ends(world: World, settings: Any) -> None:
    settings.PIN_MAX_FAILURES = 2
    settings.PIN_LOCKOUT_MINUTES = 15
    d = intake(world, vn(2026, 3, 2, 9))
    c = Client()
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        for _ in range(2):
            page(c, d.code, "999999x", GUESSER)
        assert page(c, d.code, d.public_secret, GUESSER).status_code == 429
    # The estimate weighs the previous window: two windows later it has passed.
    with time_machine.travel(vn(2026, 3, 2, 10, 31), tick=False):
        assert page(c, d.code, d.public_secret, GUESSER).status_code == 200


def test_a_right_pin_leaves_no_count_and_sign_ins_cannot_lock_a_dossier(
    world: World, settings: Any
) -> None:
    settings.PIN_MAX_FAILURES = 2
    d = intake(world, vn(2026, 3, 2, 9))
    c = Client()
    for _ in range(5):
        assert page(c, d.code, d.public_secret, CITIZEN).status_code == 200
    assert look_up(Client(), d.code, "", REMOTE_ADDR=CITIZEN).status_code == 400  # no PIN
    assert not RateCounter.objects.filter(key__startswith="pin:", count__gt=0).exists()
    for _ in range(3):
        c.post("/desk/login/", {"username": f"pin:{d.code}", "password": "x"}, REMOTE_ADDR=CITIZEN)
    assert page(c, d.code, d.public_secret, CITIZEN).status_code == 200


def test_too_many_requests_from_one_address_get_429(world: World, settings: Any) -> None:
    settings.RATE_LIMIT_PUBLIC_PER_MINUTE = 5
    settings.RATE_LIMIT_VERIFY_PER_MINUTE = 2
    c = Client()
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        for _ in range(5):
            assert c.get("/tra-cuu/", REMOTE_ADDR=GUESSER).status_code == 200
        r = c.get("/tra-cuu/", REMOTE_ADDR=GUESSER)
        assert r.status_code == 429 and r["Retry-After"] == "60"
        assert c.get("/tra-cuu/", REMOTE_ADDR=CITIZEN).status_code == 200
        for _ in range(2):
            assert c.post("/verify/", {}, REMOTE_ADDR=GUESSER).status_code == 400
        assert c.post("/verify/", {}, REMOTE_ADDR=GUESSER).status_code == 429
