"""The public lookup without the PIN in any URL (ADR 13): code and PIN are posted, the session
gets a short grant, the status page's address holds the code only."""

import re
from typing import Any

import time_machine
from django.test import Client

from conftest import World
from testing.clock import vn
from testing.dossiers import intake
from testing.portal import look_up, open_status


def same_page(a: str, b: str) -> bool:
    """The page without its CSRF token (masked anew on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", a) == re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", b
    )


def test_post_grants_the_status_page_without_the_pin_in_its_address(
    world: World, client: Client
) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    r = look_up(client, d.code, d.public_secret)
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/{d.code}/"
    assert d.public_secret not in r["Location"]
    page = client.get(r["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Đăng ký khai sinh" in body and "Nguyễn V. A." in body
    # A page with someone's dossier is stored nowhere and names itself to no one.
    for response in (r, page):
        assert response["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "no-referrer"
    # The form's own page keeps same-origin: under no-referrer a browser posts "Origin: null".
    assert client.get("/tra-cuu/")["Referrer-Policy"] == "same-origin"
    assert d.public_secret not in body


def test_codes_are_case_insensitive(world: World, client: Client) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    assert d.code != d.code.upper()
    r = look_up(client, f"  {d.code.upper()} ", d.public_secret)
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/{d.code}/"
    again = client.get(f"/tra-cuu/{d.code.upper()}/")
    assert again.status_code == 302 and again["Location"] == f"/tra-cuu/{d.code}/"


def test_unknown_code_and_wrong_pin_answer_alike(world: World, client: Client) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    unknown_code = "30001.one_stop_desk-260302-9999"
    wrong_pin = look_up(client, d.code, "000000" if d.public_secret != "000000" else "111111")
    unknown = look_up(client, unknown_code, "123456")
    assert wrong_pin.status_code == unknown.status_code == 404
    assert same_page(
        wrong_pin.content.decode().replace(d.code, "CODE"),
        unknown.content.decode().replace(unknown_code, "CODE"),
    )
    # Without a grant, the status page is the lookup form, exists the dossier or not.
    known = Client().get(f"/tra-cuu/{d.code}/").content.decode().replace(d.code, "CODE")
    other = Client().get(f"/tra-cuu/{unknown_code}/").content.decode()
    assert same_page(known, other.replace(unknown_code, "CODE"))


def test_a_pin_in_the_url_opens_nothing(world: World, client: Client) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    for url in (
        f"/tra-cuu/{d.code}/?pin={d.public_secret}",
        f"/tra-cuu/{d.code}/ket-qua.pdf?pin={d.public_secret}",
        f"/tra-cuu/?code={d.code}&pin={d.public_secret}",
    ):
        r = client.get(url)
        body = r.content.decode()
        assert r.status_code == 200 and r["Content-Type"].startswith("text/html"), url
        assert "Đăng ký khai sinh" not in body and "Nguyễn V. A." not in body, url
        assert d.public_secret not in body, url  # not even echoed into the form
    # The old GET form no longer redirects anywhere with the PIN.
    assert "Location" not in client.get(f"/tra-cuu/?code={d.code}&pin={d.public_secret}")


def test_the_grant_is_per_dossier_and_expires(world: World, client: Client, settings: Any) -> None:
    settings.LOOKUP_GRANT_MINUTES = 30
    with time_machine.travel(vn(2026, 3, 2, 9), tick=False):
        a = intake(world, vn(2026, 3, 2, 9))
        b = intake(world, vn(2026, 3, 2, 9, 5))
        assert "Đăng ký khai sinh" in open_status(client, a).content.decode()
        # A's grant does not open B.
        assert "Nguyễn V. A." not in client.get(f"/tra-cuu/{b.code}/").content.decode()
    with time_machine.travel(vn(2026, 3, 2, 9, 29), tick=False):
        assert "Nguyễn V. A." in client.get(f"/tra-cuu/{a.code}/").content.decode()
    with time_machine.travel(vn(2026, 3, 2, 9, 31), tick=False):
        assert "Nguyễn V. A." not in client.get(f"/tra-cuu/{a.code}/").content.decode()


def test_a_grant_starts_a_new_session_key(world: World, client: Client) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    client.get("/tra-cuu/")
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    look_up(client, d.code, d.public_secret)
    assert client.session.session_key != before and client.session["planted"] is True


def test_the_form_is_csrf_protected(world: World) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/tra-cuu/", {"code": d.code, "pin": d.public_secret})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.content.decode()
    assert 'href="/"' in r.content.decode()


def test_bad_input_gets_a_clear_answer(world: World, client: Client) -> None:
    for code, pin in (("", "123456"), ("X" * 61, "123456"), ("AB\u202eC", "123456")):
        r = look_up(client, code, pin)
        assert r.status_code == 400 and "Vui lòng nhập mã hồ sơ" in r.content.decode()
    assert client.get("/tra-cuu/" + "X" * 80 + "/").status_code == 200
