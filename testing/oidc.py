"""The local OpenID provider (demo/peers/oidc_provider.py) as a live process for tests."""

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from testing.peers import running_peer

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-secret-0123456789"
CALLBACK = "http://testserver/tai-khoan/vneid/callback/"


@dataclass
class LiveProvider:
    """A provider process: its issuer URL, and a way to spoil its next token response."""

    issuer: str

    def spoil_next(self, mode: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the provider on 127.0.0.1
            self.issuer + "/_test/next",
            data=json.dumps({"mode": mode}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1
            assert response.status == 200


@pytest.fixture(scope="session")
def oidc_process() -> Iterator[LiveProvider]:
    """Start the provider on a free port; ready when it prints its URL."""
    with running_peer(
        "demo.peers.oidc_provider",
        "--auto-approve",
        "--test-controls",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        CLIENT_SECRET,
        "--redirect-uri",
        CALLBACK,
    ) as url:
        yield LiveProvider(url)


@pytest.fixture
def oidc_provider(oidc_process: LiveProvider, settings: Any) -> LiveProvider:
    """Point the site's OpenID settings at the live provider for one test."""
    issuer = oidc_process.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = issuer + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = issuer + "/token"
    settings.OIDC_OP_USER_ENDPOINT = issuer + "/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = issuer + "/jwks"
    return oidc_process


def follow_to_provider(location: str, **params: str) -> str:
    """GET the provider's authorization URL (auto-approved); return where it redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    if params:
        location += "&" + "&".join(f"{k}={v}" for k, v in params.items())
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(location, timeout=5)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.code
        return str(redirect.headers["Location"])
    raise AssertionError("the provider did not redirect")
