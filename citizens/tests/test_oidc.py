"""OpenID Connect sign-in, end to end against the live local provider (demo/peers).

The Django test client plays the browser on our side; urllib plays it at the provider, so
every redirect of the authorization-code flow (state, nonce, PKCE) is real HTTP there.
"""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import IdSource, User
from citizens.models import IdentityRecord
from conftest import World
from testing.citizens import citizen
from testing.oidc import LiveProvider, follow_to_provider

# The provider's first demo identity (demo/peers/oidc_provider.py).
SUB = "vneid-demo-0001"
ID_NUMBER = "079190001234"


def start(client: Client) -> str:
    r = client.get("/tai-khoan/vneid/")
    assert r.status_code == 302
    location = r["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    return location


def back_from_provider(client: Client, **provider_params: str) -> Any:
    callback = follow_to_provider(start(client), **provider_params)
    parts = urlsplit(callback)
    assert parts.netloc == "testserver"
    return client.get(f"{parts.path}?{parts.query}")


def signed_in(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_sign_in_creates_a_citizen_with_a_vouched_id(
    world: World, client: Client, oidc_provider: LiveProvider
) -> None:
    r = back_from_provider(client)
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/ho-so/"
    user = signed_in(client)
    assert user is not None and user.is_citizen and not user.is_staff
    assert user.oidc_subject == SUB
    assert user.full_name == "Trần Thị Bình"
    assert user.id_number == ID_NUMBER and user.id_vouched
    assert user.id_number_source == IdSource.OIDC and user.id_number_vouched_by is None
    assert IdentityRecord.objects.filter(user=user, source=IdSource.OIDC).count() == 1
    page = client.get("/tai-khoan/ho-so/")
    assert "Trần Thị Bình" in page.content.decode()
    # A second sign-in finds the same account and records nothing new.
    second = Client()
    back_from_provider(second)
    assert signed_in(second) == user
    assert User.objects.filter(is_citizen=True, oidc_subject=SUB).count() == 1
    assert IdentityRecord.objects.filter(user=user).count() == 1


def test_links_the_account_a_desk_vouched_for_but_never_a_self_declared_one(
    world: World, oidc_provider: LiveProvider
) -> None:
    squatter = citizen(phone="0911111111", id_number=ID_NUMBER)  # typed someone's number
    first = Client()
    back_from_provider(first)
    created = signed_in(first)
    assert created is not None and created != squatter
    squatter.refresh_from_db()
    assert not squatter.id_vouched and squatter.oidc_subject is None

    # The other demo identity already has an account its owner showed at the desk.
    vouched = citizen(phone="0922222222", id_number="087095004321", vouched_by=world.desk_a)
    second = Client()
    back_from_provider(second, login_hint="vneid-demo-0002")
    assert signed_in(second) == vouched
    vouched.refresh_from_db()
    assert vouched.oidc_subject == "vneid-demo-0002"


@pytest.mark.parametrize(
    "mode", ["tamper", "expired", "wrong_nonce", "wrong_audience", "userinfo_other_sub"]
)
def test_a_spoiled_token_is_refused(
    world: World, client: Client, oidc_provider: LiveProvider, mode: str
) -> None:
    oidc_provider.spoil_next(mode)
    r = back_from_provider(client)
    assert r.status_code == 400
    assert "VNeID" in r.content.decode()
    assert signed_in(client) is None
    assert not User.objects.filter(oidc_subject=SUB).exists()


def test_a_wrong_state_is_refused(
    world: World, client: Client, oidc_provider: LiveProvider
) -> None:
    callback = follow_to_provider(start(client))
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    r = client.get(parts.path, {"code": query["code"][0], "state": "forged-state"})
    assert r.status_code == 400
    assert signed_in(client) is None
    # Nor does a callback replayed into another browser's session.
    other = Client()
    r = other.get(f"{parts.path}?{parts.query}")
    assert r.status_code == 400 and signed_in(other) is None


def test_a_code_in_the_desk_sign_in_url_runs_no_exchange(
    world: World, client: Client, oidc_provider: LiveProvider
) -> None:
    callback = follow_to_provider(start(client))
    query = urlsplit(callback).query
    r = client.post(f"/desk/login/?{query}", {"username": "x", "password": "y"})
    assert r.status_code == 200
    assert signed_in(client) is None
    # The code is still unspent: the real callback works with it.
    parts = urlsplit(callback)
    assert client.get(f"{parts.path}?{parts.query}").status_code == 302
    assert signed_in(client) is not None


def test_off_when_no_client_is_configured(world: World, client: Client) -> None:
    assert client.get("/tai-khoan/vneid/").status_code == 404
    assert client.get("/tai-khoan/vneid/callback/?code=a&state=b").status_code == 404
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()
