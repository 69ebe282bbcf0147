"""Playwright driving Debian's Chromium against the live server (fixtures for browser tests).

Registered by the root conftest. A test that asks for `browser` or `open_page` is skipped
when Chromium or Playwright is missing, except under CI, where that is an error.
"""

import os
import shutil
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class CspWatchingBrowser:
    """The Playwright browser, whose every context records Content-Security-Policy violations.

    The site allows no inline script or style (config/settings.py); a page that still carries
    one logs "Refused to ..." in the console, and the browser tests fail on it.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **kwargs: Any) -> Any:
        ctx = self._browser.new_context(**kwargs)
        ctx.on("console", self._console)
        return ctx

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def _sync_api() -> Any:
    if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise RuntimeError("CI must run the browser tests: install chromium (make test does)")
        pytest.skip(
            "!!! BROWSER TESTS SKIPPED: Debian's chromium is not installed "
            "(run `make test` as root, or apt-get install chromium) !!!"
        )
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Start one headless Chromium for the module's tests."""
    sync_api = _sync_api()
    # Playwright's sync API runs an event loop in this thread; the live server's database work
    # is ordinary synchronous Django, so tell Django it is safe here.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            b = CspWatchingBrowser(p.chromium.launch(executable_path=CHROMIUM, args=ARGS))
            yield b
            b.close()
            assert not b.violations, "Content-Security-Policy violations:\n" + "\n".join(
                b.violations
            )
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Return a function that signs a persona in at the desk and returns their page."""
    contexts = []

    def make(username: str, *, width: int = 1366, height: int = 768) -> Any:
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/desk/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-" + username)
        page.click("button[type=submit]")
        # Staff land on an inbox; those who only watch figures, on the wall (/ioc/).
        page.wait_for_url(lambda url: "/desk/queue/" in url or url.endswith("/ioc/"))
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert not browser.violations, "Content-Security-Policy violations:\n" + "\n".join(
        browser.violations
    )


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_problems(page: Any) -> list[str]:
    """Return axe's serious and critical accessibility violations on the page."""
    # Imported here: axe_playwright_python needs Playwright, which only browser tests require.
    axe = import_module("axe_playwright_python.sync_playwright")
    result = axe.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


PHONE = {"width": 390, "height": 844}


def assert_mobile_and_accessible(page: Any) -> None:
    """Assert the page fits a 390 px wide phone without horizontal scrolling and axe finds no
    serious or critical violation on it (every citizen page must pass; issue 11 item 8).

    The viewport is set to 390 px here, so a test may call it on any page it has open.
    """
    page.set_viewport_size(PHONE)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width} px wide at 390 px (horizontal scroll)"
    problems = axe_problems(page)
    assert problems == [], f"{page.url}: " + "; ".join(problems)
