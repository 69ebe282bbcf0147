"""A small, real OpenID Connect provider standing in for VNeID in the demo and the tests.

    python -m demo.peers.oidc_provider --port 8010 [--auto-approve] [--test-controls]

Authorization-code flow with PKCE (S256) and a nonce: discovery document, an authorization
endpoint (a consent page listing the test identities, or auto-approval of the first one or of
`login_hint`), a token endpoint (client secret by HTTP Basic or in the form), RS256-signed
id_tokens with a key made at start, JWKS and userinfo. Standard library and `cryptography`
only, no Django: it is another system, not part of motcua. Codes live 60 s and work once.

`--test-controls` adds POST /_test/next {"mode": ...}: the next token response is spoiled on
purpose ("tamper", "expired", "wrong_nonce", "wrong_audience", "userinfo_other_sub") so the
tests can check that the relying party refuses it. It prints "listening on <url>" once ready.
"""

import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

DEMO_IDENTITIES = [
    {
        "sub": "vneid-demo-0001",
        "name": "Trần Thị Bình",
        "citizen_id": "079190001234",
        "phone_number": "0912000111",
    },
    {
        "sub": "vneid-demo-0002",
        "name": "Lê Hoàng Nam",
        "citizen_id": "087095004321",
        "phone_number": "0987000222",
    },
]
CODE_SECONDS = 60
TOKEN_SECONDS = 300
MODES = ("tamper", "expired", "wrong_nonce", "wrong_audience", "userinfo_other_sub")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


@dataclass
class Grant:
    """One authorization code waiting to be exchanged."""

    identity: dict[str, str]
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    method: str
    expires: float


@dataclass
class Provider:
    """The provider's state: key, registered client, identities, codes and access tokens."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    identities: list[dict[str, str]]
    auto_approve: bool = False
    test_controls: bool = False
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, tuple[dict[str, str], float]] = field(default_factory=dict)
    next_mode: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "phone"],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": b64url(_int_bytes(numbers.n)),
                    "e": b64url(_int_bytes(numbers.e)),
                }
            ]
        }

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = (
            b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        )
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    def identity(self, hint: str) -> dict[str, str]:
        for person in self.identities:
            if hint and hint in (person["sub"], person.get("citizen_id", "")):
                return person
        return self.identities[0]

    def authorize_problem(self, params: dict[str, str]) -> str:
        if params.get("client_id") != self.client_id:
            return "unknown client_id"
        if params.get("redirect_uri") not in self.redirect_uris:
            return "redirect_uri is not registered"
        return ""

    def issue_code(self, params: dict[str, str], identity: dict[str, str]) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = Grant(
                identity=identity,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                nonce=params.get("nonce", ""),
                challenge=params.get("code_challenge", ""),
                method=params.get("code_challenge_method", "plain"),
                expires=time.time() + CODE_SECONDS,
            )
        query = {"code": code, "state": params.get("state", "")}
        return params["redirect_uri"] + "?" + urlencode(query)

    def exchange(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """Return the token response, or {"error": ...} (RFC 6749 5.2)."""
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client_id != self.client_id or not secrets.compare_digest(secret, self.client_secret):
            return {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
            mode, self.next_mode = self.next_mode, ""
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            return {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant.challenge and not self._pkce_ok(grant, form.get("code_verifier", "")):
            return {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": grant.identity["sub"],
            "aud": client_id,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "auth_time": now,
            "nonce": grant.nonce,
            **{k: v for k, v in grant.identity.items() if k != "sub"},
        }
        if mode == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif mode == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif mode == "wrong_audience":
            claims["aud"] = "someone-else"
        id_token = self.sign(claims)
        if mode == "tamper":
            head, body, signature = id_token.split(".")
            forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            forged["citizen_id"] = "001099009999"
            id_token = ".".join((head, b64url(json.dumps(forged).encode()), signature))
        access = secrets.token_urlsafe(24)
        info = dict(grant.identity)
        if mode == "userinfo_other_sub":
            info["sub"] = "someone-else"
        with self.lock:
            self.tokens[access] = (info, time.time() + TOKEN_SECONDS)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": id_token,
        }

    @staticmethod
    def _pkce_ok(grant: Grant, verifier: str) -> bool:
        if grant.method == "S256":
            computed = b64url(hashlib.sha256(verifier.encode()).digest())
        else:
            computed = verifier
        return bool(verifier) and secrets.compare_digest(computed, grant.challenge)

    def userinfo(self, access: str) -> dict[str, str] | None:
        with self.lock:
            found = self.tokens.get(access)
        if found is None or found[1] < time.time():
            return None
        return found[0]


CONSENT = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID (bản demo)</title></head><body>
<main><h1>VNeID — nhà cung cấp định danh cục bộ (bản demo)</h1>
<p>Ứng dụng <strong>{client}</strong> xin xác thực danh tính của bạn.</p>
<form method="post" action="/authorize">{hidden}<fieldset><legend>Chọn danh tính thử nghiệm</legend>
{choices}</fieldset><p><button type="submit">Đồng ý</button></p></form></main></body></html>"""


def consent_page(provider: Provider, params: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
    )
    choices = "".join(
        f'<p><label><input type="radio" name="login_hint" value="{html.escape(p["sub"])}"'
        f"{' checked' if i == 0 else ''}> {html.escape(p['name'])} — "
        f"{html.escape(p.get('citizen_id', ''))}</label></p>"
        for i, p in enumerate(provider.identities)
    )
    return CONSENT.format(client=html.escape(provider.client_id), hidden=hidden, choices=choices)


def make_handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to `provider`."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-demo-oidc"

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write("oidc: " + (format % args) + "\n")

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, document: Any) -> None:
            self._send(status, json.dumps(document).encode(), "application/json")

        def _redirect(self, location: str) -> None:
            self._send(302, b"", "text/plain", Location=location)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, 65536)).decode("utf-8", "replace")
            return {k: v[0] for k, v in parse_qs(raw).items()}

        def _authorize(self, params: dict[str, str], approved: bool) -> None:
            problem = provider.authorize_problem(params)
            if problem:
                self._send(400, problem.encode(), "text/plain; charset=utf-8")
                return
            if (
                params.get("response_type") != "code"
                or "openid" not in params.get("scope", "").split()
            ):
                query = {"error": "invalid_request", "state": params.get("state", "")}
                self._redirect(params["redirect_uri"] + "?" + urlencode(query))
                return
            if not approved:
                body = consent_page(provider, params).encode()
                self._send(200, body, "text/html; charset=utf-8")
                return
            identity = provider.identity(params.get("login_hint", ""))
            self._redirect(provider.issue_code(params, identity))

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                self._authorize(params, approved=provider.auto_approve)
            elif url.path == "/userinfo":
                auth = self.headers.get("Authorization", "")
                info = provider.userinfo(auth.removeprefix("Bearer ").strip())
                if info is None:
                    self._send(
                        401, b"", "text/plain", WWW_Authenticate='Bearer error="invalid_token"'
                    )
                else:
                    self._json(200, info)
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/authorize":
                self._authorize(self._form(), approved=True)
            elif url.path == "/token":
                self._token()
            elif url.path == "/_test/next" and provider.test_controls:
                length = int(self.headers.get("Content-Length") or 0)
                mode = json.loads(self.rfile.read(length) or b"{}").get("mode", "")
                if mode not in MODES:
                    self._json(400, {"error": f"mode must be one of {MODES}"})
                    return
                with provider.lock:
                    provider.next_mode = mode
                self._json(200, {"mode": mode})
            else:
                self._send(404, b"not found", "text/plain")

        def _token(self) -> None:
            basic = None
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    decoded = base64.b64decode(auth[6:]).decode()
                except ValueError:
                    decoded = ":"
                user, _sep, password = decoded.partition(":")
                basic = (user, password)
            answer = provider.exchange(self._form(), basic)
            self._json(400 if "error" in answer else 200, answer)

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010, help="0 picks a free port")
    parser.add_argument("--issuer", default="", help="default: http://<host>:<port>")
    parser.add_argument("--client-id", default="motcua-demo")
    parser.add_argument("--client-secret", default="motcua-demo-secret")
    parser.add_argument(
        "--redirect-uri",
        action="append",
        default=[],
        help="a registered redirect URI (repeatable); default the demo site's callback",
    )
    parser.add_argument("--identities", default="", help="JSON file: a list of claim sets")
    parser.add_argument("--auto-approve", action="store_true", help="no consent page")
    parser.add_argument("--test-controls", action="store_true", help="enable POST /_test/next")
    args = parser.parse_args(argv)
    identities = DEMO_IDENTITIES
    if args.identities:
        with open(args.identities, encoding="utf-8") as handle:
            identities = json.load(handle)
    server = ThreadingHTTPServer((args.host, args.port), BaseHTTPRequestHandler)
    port = server.server_address[1]
    provider = Provider(
        issuer=args.issuer or f"http://{args.host}:{port}",
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=args.redirect_uri or ["http://127.0.0.1:8000/tai-khoan/vneid/callback/"],
        identities=identities,
        auto_approve=args.auto_approve,
        test_controls=args.test_controls,
    )
    server.RequestHandlerClass = make_handler(provider)
    print(f"listening on {provider.issuer}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
