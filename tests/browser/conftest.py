"""Browser tests: Playwright drives Debian's Chromium against the app served on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def choose_language():
    """Switch the page's language through the navbar's menu. The menu opens by Bootstrap's script,
    which may not be running yet right after the page's HTML is shown: the page's load is awaited,
    and the menu opened again if its item did not show."""
    from playwright.sync_api import expect

    def choose(page, key: str) -> None:
        page.wait_for_load_state("load")
        item = page.get_by_test_id(f"lang-{key}")
        for _attempt in range(3):
            page.get_by_test_id("language-menu").click()
            try:
                expect(item).to_be_visible(timeout=3000)
                break
            except AssertionError:
                continue
        item.click()

    return choose
