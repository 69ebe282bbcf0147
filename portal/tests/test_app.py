"""The public home, the installable app's files, and which pages a service worker may keep."""

import json
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from conftest import World
from testing.clock import vn
from testing.dossiers import intake
from testing.portal import open_status


def test_home_offers_the_citizen_doors(world: World, client: Client, settings: Any) -> None:
    settings.PORTAL_PROVINCE_NAME = "Tỉnh Thử Nghiệm"
    settings.PORTAL_UNIT_NAME = "Trung tâm Phục vụ hành chính công tỉnh"
    r = client.get("/")
    body = r.content.decode()
    assert r.status_code == 200 and '<html lang="vi">' in body
    for needle in (
        "Tỉnh Thử Nghiệm",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "/static/portal/emblem.svg",
        'class="skip" href="#content"',
        'action="/thu-tuc/"',  # search procedures
        'method="post" action="/tra-cuu/"',  # look up a dossier
        'href="/verify/"',
        'href="/tai-khoan/dang-nhap/"',
        'href="/desk/">Cán bộ đăng nhập',
        'rel="manifest" href="/manifest.webmanifest"',
        "/static/portal/portal.js",
    ):
        assert needle in body, needle
    assert "<script>" not in body and "style=" not in body
    assert "Lĩnh vực" not in body or "Hộ tịch" in body
    # Staff still sign in at the desk.
    assert client.get("/desk/login/").status_code == 200


def test_manifest(client: Client) -> None:
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    m = json.loads(r.content)
    assert m["name"] == "Một cửa điện tử — Tỉnh Đồng Tháp" and m["lang"] == "vi"
    assert m["start_url"] == "/" and m["scope"] == "/" and m["display"] == "standalone"
    sizes = {(i["sizes"], i["purpose"]) for i in m["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in m["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_is_served_from_the_root(client: Client) -> None:
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/javascript; charset=utf-8"
    assert r["Service-Worker-Allowed"] == "/" and r["Cache-Control"] == "no-cache"
    text = r.content.decode()
    assert '"/offline/"' in text and "motcua-__VERSION__" not in text
    shell = json.loads(text.split("const SHELL = ", 1)[1].split(";", 1)[0])
    for url in shell[1:]:
        assert finders.find(url.removeprefix("/static/")), url
    assert client.get("/offline/").status_code == 200
    assert client.post("/sw.js").status_code == 405


def test_only_public_pages_are_cacheable(
    catalogue: dict[str, str], world: World, client: Client
) -> None:
    # The service worker keeps a page only without no-store/private and without Vary: Cookie.
    for url in ("/thu-tuc/", "/thu-tuc/1.000894/", "/thu-tuc/1.000894/in/", "/offline/"):
        r = client.get(url)
        assert r.status_code == 200
        assert "cookie" not in r.get("Vary", "").lower(), url
        assert "no-store" not in r.get("Cache-Control", ""), url
        assert not r.cookies, url
    d = intake(world, vn(2026, 3, 2, 9))
    status = open_status(client, d)
    assert status["Cache-Control"] == "no-store"
    assert client.get("/tra-cuu/")["Cache-Control"] == "no-store"
