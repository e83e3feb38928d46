"""End to end: `streamlit run` on a free port, every page in headless Debian Chromium via Playwright.

Screenshots land in test-artifacts/screenshots/ for a person to look at. Outside CI the test is
skipped, with a message, only when no chromium is installed; in CI a missing browser fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# url path -> screenshot name; Overblik is the default page and lives at the root URL
PAGES = {
    "": "overblik",
    "tendenser": "tendenser",
    "aar-for-aar": "aar-for-aar",
    "ankestyrelsen": "ankestyrelsen",
    "anbefalinger": "anbefalinger",
    "kommuner": "kommuner",
    "registrer": "registrer",
    "data": "data",
}
VIEW = "kommune=510&periode=510-2024"

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)", pytrace=False)
    pytest.skip(
        "end-to-end test skipped: no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    db = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    env = {**os.environ, "BORGERRAAD_DB": str(db)}
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start within 90 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="da-DK", accept_downloads=True)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=120_000)
    _settle(page)
    return page


def _settle(page) -> None:
    """Wait until the script run has finished and the charts have drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
    page.wait_for_function(
        '() => document.querySelectorAll(\'[data-testid="stSkeleton"], [data-stale="true"]\').length === 0',
        timeout=120_000,
    )
    page.wait_for_timeout(2500)  # vega charts render asynchronously after the script finished


@pytest.mark.parametrize("path", list(PAGES), ids=list(PAGES.values()))
def test_page_loads_without_error(server: str, browser, path: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, f"{server}/{path}?{VIEW}")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        page.screenshot(path=str(SHOTS / f"{PAGES[path]}.png"), full_page=True)
        if path in ("", "tendenser", "ankestyrelsen"):
            assert page.locator(".vega-embed").count() >= 1
    finally:
        page.close()


def test_overblik_numbers_and_png_download(server: str, browser) -> None:
    page = _open(browser, f"{server}/?{VIEW}")
    try:
        assert "Henvendelser" in page.locator('[data-testid="stMetric"]').first.inner_text()
        with page.expect_download(timeout=60_000) as info:
            page.locator('[data-testid="stDownloadButton"] button', has_text="PNG").first.click()
        target = SHOTS / "download-overblik.png"
        info.value.save_as(str(target))
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert int.from_bytes(data[16:20], "big") >= 1800
    finally:
        page.close()


def test_presentation_mode_hides_sidebar(server: str, browser) -> None:
    page = _open(browser, f"{server}/?{VIEW}&visning=praesentation")
    try:
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        page.screenshot(path=str(SHOTS / "overblik-praesentation.png"), full_page=True)
    finally:
        page.close()


def test_dark_theme_keeps_charts_readable(server: str, browser) -> None:
    """Streamlit follows the system's dark mode; charts keep their white card and dark text."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="da-DK", color_scheme="dark")
    try:
        page.goto(f"{server}/tendenser?{VIEW}", wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=120_000)
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
        )
        assert background != "rgb(255, 255, 255)"  # the app really is dark
        assert page.locator(".vega-embed").count() >= 1
        page.screenshot(path=str(SHOTS / "tendenser-moerk.png"), full_page=False)
    finally:
        page.close()
