"""The citizen's side in a real browser: every page fits a phone and passes axe, the app
installs, the offline page shows without a network, and no personal page is ever cached."""

from typing import Any

from conftest import World
from testing.browser import PHONE, assert_mobile_and_accessible, shot
from testing.clock import vn
from testing.dossiers import intake

CACHED_URLS = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
  }
  return out;
}"""
CONTROLLED = """() => new Promise((resolve) => {
  if (navigator.serviceWorker.controller) return resolve(true);
  navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
})"""


def test_citizen_pages_fit_a_phone_and_pass_axe(
    catalogue: dict[str, str], world: World, browser: Any, live_server: Any
) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    ctx = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    page.goto(f"{base}/")
    assert_mobile_and_accessible(page)
    shot(page, "portal-home")
    page.fill("#q", "ket hon")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/thu-tuc/?q=ket+hon")
    assert "Đăng ký kết hôn" in page.inner_text("ol.results")
    assert_mobile_and_accessible(page)
    shot(page, "portal-catalogue")
    page.click("text=Đăng ký kết hôn")
    page.wait_for_url("**/thu-tuc/1.000894/")
    assert "05 ngày làm việc" in page.inner_text("main")
    assert_mobile_and_accessible(page)
    shot(page, "portal-procedure")
    page.goto(f"{base}/thu-tuc/2.000488/in/")
    assert_mobile_and_accessible(page)
    page.emulate_media(media="print")
    shot(page, "portal-procedure-print")
    page.emulate_media(media="screen")
    page.goto(f"{base}/tra-cuu/")
    assert_mobile_and_accessible(page)
    shot(page, "portal-lookup")
    # Typed by hand: the form posts, the status opens at an address without the PIN.
    page.fill("#code", d.code.upper())
    page.fill("#pin", d.public_secret)
    page.click("form[data-fragment-lookup] button[type=submit]")
    page.wait_for_url(f"**/tra-cuu/{d.code}/")
    assert "Đăng ký khai sinh" in page.inner_text("main")
    assert_mobile_and_accessible(page)
    shot(page, "portal-status")
    page.goto(f"{base}/khong-co-trang-nay/")
    assert_mobile_and_accessible(page)
    ctx.close()


def test_the_app_installs_works_offline_and_never_caches_a_dossier(
    catalogue: dict[str, str], world: World, browser: Any, live_server: Any
) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    ctx = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    page.goto(f"{base}/")
    assert page.evaluate(CONTROLLED)
    # A public procedure page is kept once visited.
    page.goto(f"{base}/thu-tuc/1.000894/")
    page.wait_for_function(
        """async () => (await caches.match("/thu-tuc/1.000894/")) !== undefined""",
        polling=100,
    )
    # The receipt's QR code: code and PIN in the fragment, posted by the page's script.
    page.goto(f"{base}/tra-cuu/#{d.code}.{d.public_secret}")
    page.wait_for_url(f"**/tra-cuu/{d.code}/")
    assert "Nguyễn V. A." in page.inner_text("main")
    assert d.public_secret not in page.url
    cached = page.evaluate(CACHED_URLS)
    assert "/offline/" in cached and "/thu-tuc/1.000894/" in cached
    assert "/static/portal/portal.css" in cached
    assert not [u for u in cached if u.startswith("/tra-cuu/") or u == "/"], cached

    # The server out of reach: a page never kept shows the offline page, a kept one itself.
    ctx.set_offline(True)
    page.goto(f"{base}/thu-tuc/2.000488/")
    assert "Bạn đang ngoại tuyến" in page.inner_text("main")
    shot(page, "portal-offline")
    page.goto(f"{base}/tra-cuu/{d.code}/")
    assert "Bạn đang ngoại tuyến" in page.inner_text("main")
    assert "Nguyễn V. A." not in page.content()
    page.goto(f"{base}/thu-tuc/1.000894/")
    assert "Đăng ký kết hôn" in page.inner_text("main")
    ctx.set_offline(False)
    ctx.close()
