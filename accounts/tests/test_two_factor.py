"""Two-factor sign-in (TOTP) that a unit requires of its leaders and administrators (issue 14).

After the password, such a user owes a code from an authenticator app: at the desk and in the
admin they are not signed in until it is accepted, and the API token needs it in `otp`.
Everyone else signs in as before.
"""

import base64
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.models import Role, StaffRole
from testing.clock import vn
from testing.twofactor import code_of, enrolled_device, require_two_factor, wrong_code_for
from testing.world import World

T0 = vn(2026, 3, 2, 9, 0, 5)  # five seconds into a 30-second step
CODE_PAGE = "/desk/login/code/"
ENROL_PAGE = "/desk/login/enrol/"


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(world: World) -> World:
    require_two_factor(world.ward_a)
    return world


def password(client: Client, username: str, next_url: str = "") -> Any:
    path = "/desk/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(path, {"username": username, "password": f"pw-{username}"})


def code(client: Client, value: str, page: str = CODE_PAGE, next_url: str = "/desk/") -> Any:
    return client.post(page, {"code": value, "next": next_url})


def token(client: Client, username: str, otp: str | None = None) -> Any:
    body: dict[str, str] = {"username": username, "password": f"pw-{username}"}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")


def signed_in(client: Client) -> bool:
    """Tell whether the desk lets the client in (it redirects a visitor to the sign-in)."""
    r = client.get("/desk/")
    return r.status_code == 200 or (r.status_code == 302 and "/login/" not in r["Location"])


def test_enrolment_end_to_end(required: World, client: Client, clock: Any) -> None:
    r = password(client, "leader_a")
    assert r.status_code == 302 and r["Location"].startswith(CODE_PAGE)
    # No device yet: the code step leads to enrolment.
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith(ENROL_PAGE)
    page = client.get(r["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is an SVG made here, shown through a data: URI (no CDN, no inline script).
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert uri is not None
    assert base64.b64decode(uri.group(1)).startswith(b"<svg")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "script-src 'self'" in page["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user=required.leader_a)
    assert not device.confirmed
    assert device.config_url.startswith("otpauth://totp/")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', html)
    assert shown is not None and shown.group(1).replace(" ", "") == secret
    # Showing the page again shows the same secret.
    assert client.get(ENROL_PAGE).content.decode().count(shown.group(1)) == 1
    assert TOTPDevice.objects.filter(user=required.leader_a).count() == 1

    assert not signed_in(client)
    r = code(client, wrong_code_for(device), ENROL_PAGE)
    assert r.status_code == 200 and "Mã xác thực không đúng" in r.content.decode()
    assert not signed_in(client)

    r = code(client, code_of(device), ENROL_PAGE)
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    # Once enrolled, the enrolment page shows no secret any more.
    other = Client()
    password(other, "leader_a")
    r = other.get(ENROL_PAGE)
    assert r.status_code == 302 and r["Location"].startswith(CODE_PAGE)


@pytest.mark.parametrize(
    "url", ["/desk/", "/desk/intake/", "/desk/queue/mine/", "/desk/book/", "/ioc/", "/admin/"]
)
def test_no_page_is_reachable_between_the_password_and_the_code(
    required: World, client: Client, clock: Any, url: str
) -> None:
    required.leader_a.is_staff = True
    required.leader_a.save()
    enrolled_device(required.leader_a)
    password(client, "leader_a")
    assert "_auth_user_id" in client.session  # the password was right...
    r = client.get(url)
    # ...but the page answers as to a visitor who has not signed in.
    assert r.status_code == 302
    assert "/login/" in r["Location"]
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith(CODE_PAGE)


def test_sign_in_with_a_code_and_no_replay(required: World, client: Client, clock: Any) -> None:
    device = enrolled_device(required.leader_a)
    password(client, "leader_a", next_url="/desk/book/")
    r = code(client, code_of(device), next_url="/desk/book/")
    assert r.status_code == 302 and r["Location"] == "/desk/book/"
    assert signed_in(client)
    client.post("/desk/logout/")

    # The same code again, still within its 30 seconds: refused.
    password(client, "leader_a")
    r = code(client, code_of(device))
    assert r.status_code == 200
    assert "đã được dùng" in r.content.decode()
    assert not signed_in(client)
    # The next step's code is accepted.
    clock.shift(timedelta(seconds=30))
    r = code(client, code_of(device))
    assert r.status_code == 302
    assert signed_in(client)


def test_wrong_codes_are_counted_and_lock_the_code_step(
    required: World, client: Client, clock: Any
) -> None:
    device = enrolled_device(required.leader_a)
    password(client, "leader_a")
    for _ in range(4):
        assert code(client, wrong_code_for(device)).status_code == 200
    r = code(client, wrong_code_for(device))
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    # The right code is refused now, and signing in with the password again does not reset it.
    assert code(client, code_of(device)).status_code == 429
    other = Client()
    assert password(other, "leader_a").status_code == 302
    assert code(other, code_of(device)).status_code == 429
    assert token(other, "leader_a", code_of(device)).status_code == 429
    assert not signed_in(other)
    # After the lockout window (and the one before it) has passed, the code works again.
    clock.shift(timedelta(minutes=31))
    assert code(other, code_of(device)).status_code == 302
    assert signed_in(other)


def test_the_admin_requires_the_code(required: World, client: Client, clock: Any) -> None:
    required.leader_a.is_staff = True
    required.leader_a.is_superuser = True
    required.leader_a.save()
    device = enrolled_device(required.leader_a)
    r = client.post(
        "/admin/login/?next=/admin/", {"username": "leader_a", "password": "pw-leader_a"}
    )
    assert r.status_code == 302
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"] == CODE_PAGE + "?next=%2Fadmin%2F"
    r = code(client, code_of(device), next_url="/admin/")
    assert r["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # The unit's setting is edited in the admin.
    page = client.get(f"/admin/orgs/unit/{required.ward_a.pk}/change/")
    assert 'name="require_two_factor"' in page.content.decode()


def test_api_token_needs_the_code(required: World, client: Client, clock: Any) -> None:
    r = token(client, "leader_a")
    assert r.status_code == 401 and r.json()["type"].endswith("/otp-not-enrolled")
    device = enrolled_device(required.leader_a)
    r = token(client, "leader_a")
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/otp-required")
    assert "mã" in r.json()["detail"]
    r = token(client, "leader_a", wrong_code_for(device))
    assert r.status_code == 401 and r.json()["type"].endswith("/otp-invalid")
    assert "không đúng" in r.json()["detail"]
    r = token(client, "leader_a", code_of(device))
    assert r.status_code == 200 and r.json()["username"] == "leader_a"
    # The same code cannot be used twice.
    r = token(client, "leader_a", code_of(device))
    assert r.status_code == 401 and r.json()["type"].endswith("/otp-invalid")


@pytest.mark.parametrize("role", [Role.UNIT_ADMIN, Role.SYSADMIN])
def test_administrators_are_asked_too(required: World, client: Client, role: Role) -> None:
    StaffRole.objects.create(user=required.specialist_a, role=role, unit=required.ward_a)
    assert token(client, "specialist_a").status_code == 401
    r = password(client, "specialist_a")
    assert r["Location"].startswith(CODE_PAGE)


def test_users_without_the_requirement_sign_in_as_before(required: World, client: Client) -> None:
    # A desk officer of a unit that requires it: not a leader or administrator.
    r = password(client, "desk_a")
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert signed_in(client)
    assert token(client, "desk_a").status_code == 200
    # A leader whose unit does not require it.
    require_two_factor(required.ward_a, False)
    leader = Client()
    assert password(leader, "leader_a")["Location"] == "/desk/"
    assert signed_in(leader)
    assert token(leader, "leader_a").status_code == 200
    # A code page visited without owing a code goes back to the desk.
    assert leader.get(CODE_PAGE)["Location"] == "/desk/"


def test_a_unit_turning_it_on_stops_sessions_that_never_gave_a_code(
    world: World, client: Client
) -> None:
    password(client, "leader_a")
    assert signed_in(client)
    require_two_factor(world.ward_a)
    assert not signed_in(client)
    assert client.get("/desk/login/")["Location"].startswith(CODE_PAGE)
