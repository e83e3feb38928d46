"""End to end: `streamlit run` on a free port, every page in headless Debian Chromium via Playwright.

Every page is opened in normal and presentation mode and drawn at 1280×720, 1440×900 and
1920×1080, light and dark (one server, one browser, one load per page and mode: the window is
resized and the colour scheme switched in place). It fails on horizontal overflow of a chart or
key figure (measured in the DOM), on an axe-core violation of impact serious or critical (WCAG 2.1
A/AA rules; axe-core comes from npm, pinned in package-lock.json), and on a chart without a text
alternative. Screenshots land in test-artifacts/screenshots/ for a person to look at.

Outside CI the test is skipped, with a message, when chromium or axe-core is missing; in CI that fails.
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
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
SIZES = [(1280, 720), (1440, 900), (1920, 1080)]
SCHEMES = ["light", "dark"]
MODES = {"normal": "", "praesentation": "&visning=praesentation"}
AXE_ALL = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
AXE_CONTRAST = {"type": "rule", "values": ["color-contrast"]}
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
    "krydstabel": "krydstabel",
    "kommuner": "kommuner",
    "registrer": "registrer",
    "data": "data",
}
VIEW = "kommune=510&periode=510-2024"

pytestmark = pytest.mark.e2e

for _needed, _how in ((CHROMIUM, "apt-get install chromium"), (AXE, "npm ci")):
    if not _needed.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {_needed} (.ci/run: {_how})", pytrace=False)
        pytest.skip(f"end-to-end test skipped: no {_needed} ({_how})", allow_module_level=True)


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


# Everything that can be wrong with the layout of one drawn page, measured in the DOM.
MEASURE = """() => {
  const problems = [];
  const px = (n) => Math.round(n);
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) problems.push(`page scrolls sideways (${root.scrollWidth} > ${window.innerWidth})`);
  const main = document.querySelector('[data-testid="stMain"]');
  if (main && main.scrollWidth > main.clientWidth + 1) problems.push(`main area scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  charts.forEach((chart, i) => {
    const box = chart.getBoundingClientRect();
    const column = chart.parentElement.getBoundingClientRect();
    if (chart.scrollWidth > chart.clientWidth + 1) problems.push(`chart ${i} overflows its box (${chart.scrollWidth} > ${chart.clientWidth})`);
    if (box.right > column.right + 1 || box.left < column.left - 1) problems.push(`chart ${i} wider than its column (${px(box.width)} > ${px(column.width)})`);
    const svg = chart.querySelector('svg.marks, canvas');
    if (!svg) { problems.push(`chart ${i} not drawn`); return; }
    const drawn = svg.getBoundingClientRect();
    if (drawn.right > box.right + 1) problems.push(`chart ${i} drawn past its box (${px(drawn.right)} > ${px(box.right)})`);
    const label = (chart.getAttribute('aria-label') || svg.getAttribute('aria-label') || '').trim();
    if (label.length < 20 || label === 'Vega visualization') problems.push(`chart ${i} has no text alternative (${label})`);
  });
  const tables = [...document.querySelectorAll('[data-testid="stExpander"] summary')].filter((s) => s.textContent.includes('Vis data som tabel'));
  if (tables.length < charts.length) problems.push(`${charts.length} charts but ${tables.length} "Vis data som tabel"`);
  for (const metric of document.querySelectorAll('[data-testid="stMetric"]')) {
    for (const el of [metric, ...metric.querySelectorAll('*')]) {
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`key figure cut: "${el.textContent.trim().slice(0, 40)}" (${el.scrollWidth} > ${el.clientWidth})`);
    }
    // the font size of the element that holds the text itself, not of its wrapper
    const textSize = (el) => {
      const holder = [el, ...el.querySelectorAll('*')].find((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
      return holder ? parseFloat(getComputedStyle(holder).fontSize) : 0;
    };
    const value = metric.querySelector('[data-testid="stMetricValue"]');
    const label = metric.querySelector('[data-testid="stMetricLabel"]');
    if (value && label && textSize(value) <= textSize(label))
      problems.push(`key figure number not larger than its label: "${label.textContent.trim()}"`);
  }
  return {problems, charts: charts.map((c) => px(c.getBoundingClientRect().height))};
}"""

# Presentation mode: the first figure, as drawn (its SVG is fitted to the window as a vector
# drawing), measured in screen pixels: the smallest axis and legend label, and the box from its
# title to its source line.
PRESENTED = """() => {
  const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg.marks');
  if (!svg) return null;
  const box = svg.getBoundingClientRect(), drawn = svg.viewBox.baseVal;
  const scale = Math.min(box.width / drawn.width, box.height / drawn.height);
  // labels thinned out by the chart (drawn with opacity 0) are not on the screen
  const shown = (t) => t.textContent.trim() && getComputedStyle(t).opacity !== '0';
  const texts = [...svg.querySelectorAll('.role-axis-label text, .role-legend-label text')].filter(shown);
  const rects = [...svg.querySelectorAll('text')].filter(shown).map((t) => t.getBoundingClientRect());
  return {
    label: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
    top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)),
    left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
  };
}"""
PRESENTED_LABEL_PX = 16  # chart labels on a meeting screen, at the smallest size (1280×720)
# pages whose first figure, with its title and source, is on the screen as the page opens; the
# others (Ankestyrelsen: the Danmarkskort text comes first) fit the window once scrolled to
UNSCROLLED = {"", "tendenser", "aar-for-aar", "anbefalinger", "krydstabel", "kommuner"}

AXE_RUN = """async (only) => {
  const result = await axe.run(document, {runOnly: only, resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}` +
    ` ${v.nodes[0] ? v.nodes[0].failureSummary.replace(/\\s+/g, ' ').slice(0, 160) : ''}`);
}"""


def _open(browser, url: str, scheme: str = "light", size: tuple[int, int] = (1440, 900)):
    page = browser.new_page(
        viewport={"width": size[0], "height": size[1]},
        locale="da-DK",
        accept_downloads=True,
        color_scheme=scheme,
    )
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=120_000)
    _settle(page)
    return page


def _settle(page, pause: int = 800) -> None:
    """Wait until the script run has finished and the charts have drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
    page.wait_for_function(
        '() => document.querySelectorAll(\'[data-testid="stSkeleton"], [data-stale="true"]\').length === 0',
        timeout=120_000,
    )
    page.wait_for_timeout(pause)  # vega charts render asynchronously after the script finished


def _settle_layout(page) -> None:
    """After a resize, give grids and charts up to 3 s to take the new width (a passing overflow
    while Streamlit re-measures is no defect; one that stays is)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_timeout(150)
    try:
        page.wait_for_function(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return !m || m.scrollWidth <= m.clientWidth + 1; }",
            timeout=3000,
        )
    except PlaywrightTimeout:
        pass  # measured and reported below


def _app_background(page) -> str:
    return str(
        page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
    )


def _full_height_shot(page, name: str, width: int) -> None:
    """The whole page, not just the window: Streamlit scrolls inside its main area, so the window
    is made as tall as that area's content for one picture."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 900; }"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}-hel.png"))


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", list(PAGES), ids=list(PAGES.values()))
def test_page_fits_and_is_accessible(server: str, browser, path: str, mode: str) -> None:
    """One page in one mode: three window sizes × light and dark, each measured and photographed,
    and axe-core run in light and dark."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    presenting = mode == "praesentation"
    page = _open(browser, f"{server}/{path}?{VIEW}{MODES[mode]}")
    problems: list[str] = []
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[data-testid="stSidebar"]').is_visible() is not presenting
        assert page.evaluate("document.documentElement.lang") == "da"  # read aloud as Danish
        if path in ("", "tendenser", "ankestyrelsen"):
            assert page.locator(".vega-embed").count() >= 1
        page.add_script_tag(path=str(AXE))
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            light = "rgb(255, 255, 255)"
            page.wait_for_function(
                "([light, dark]) => (getComputedStyle(document.querySelector('[data-testid=\"stApp\"]'))"
                ".backgroundColor === light) !== dark",
                arg=[light, scheme == "dark"],
                timeout=10_000,
            )
            page.wait_for_timeout(200)
            background = _app_background(page)
            assert (background == "rgb(255, 255, 255)") is (scheme == "light"), f"{scheme}: {background}"
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                _settle_layout(page)
                where = f"{PAGES[path]} {mode} {scheme} {width}×{height}"
                measured = page.evaluate(MEASURE)
                problems += [f"{where}: {p}" for p in measured["problems"]]
                if presenting:  # one whole figure (title, filter, source) fits the window
                    problems += [
                        f"{where}: chart {h} px high does not fit the window"
                        for h in measured["charts"]
                        if h > height
                    ]
                    problems += [f"{where}: {p}" for p in _presented_problems(page, path, width, height)]
                page.screenshot(path=str(SHOTS / f"{PAGES[path]}-{mode}-{scheme}-{width}.png"))
            page.set_viewport_size({"width": 1440, "height": 900})
            page.wait_for_timeout(500)
            # every WCAG 2.1 A/AA rule once; in dark only what the colours change (contrast)
            only = AXE_ALL if scheme == "light" else AXE_CONTRAST
            problems += [f"{PAGES[path]} {mode} {scheme}: axe {v}" for v in page.evaluate(AXE_RUN, only)]
        if not presenting:
            page.emulate_media(color_scheme="light")
            _full_height_shot(page, f"{PAGES[path]}-{mode}-light-1440", 1440)
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def _presented_problems(page, path: str, width: int, height: int) -> list[str]:
    """The first figure in presentation mode: its labels readable from the back of a room and the
    whole of it, title to source line, inside the window (scrolled to, where allowed)."""
    figure = page.evaluate(PRESENTED)
    if figure is None:
        return []
    if path not in UNSCROLLED and figure["bottom"] > height:
        page.locator('[data-testid="stVegaLiteChart"]').first.evaluate("(e) => e.scrollIntoView()")
        page.wait_for_timeout(300)
        figure = page.evaluate(PRESENTED)
        page.locator('[data-testid="stMain"]').evaluate("(e) => e.scrollTo(0, 0)")
    problems = []
    if figure["label"] < PRESENTED_LABEL_PX:
        problems.append(f"chart labels {figure['label']:.1f} px (< {PRESENTED_LABEL_PX})")
    if (
        figure["top"] < 0
        or figure["bottom"] > height + 1
        or figure["left"] < 0
        or figure["right"] > width + 1
    ):
        box = ", ".join(f"{k} {figure[k]:.0f}" for k in ("top", "bottom", "left", "right"))
        problems.append(f"first figure not inside the {width}×{height} window ({box})")
    return problems


FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, id: e.getAttribute('data-testid') || '', text: (e.innerText || e.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim().slice(0, 60),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? 'yes' : 'no', shadow: s.boxShadow}; }"""


def test_keyboard_reaches_controls_with_visible_focus(server: str, browser) -> None:
    """Tab walks the menu, the filters, every chart's data table and its downloads; whatever has
    focus shows it; Enter opens a chart's data table."""
    page = _open(browser, f"{server}/?{VIEW}")
    seen: list[dict[str, str]] = []
    try:
        page.locator("body").focus()
        for _ in range(150):  # the menu and filters first, then the page; stop at the first PNG button
            page.keyboard.press("Tab")
            seen.append(page.evaluate(FOCUSED))
            if seen[-1]["text"].endswith(" PNG") and "download" in seen[-1]["text"]:
                break
        texts = [entry["text"] for entry in seen]
        assert any("Tendenser" in t for t in texts), texts  # the page menu
        assert any("Vis data som tabel" in t for t in texts), texts
        assert any(t.endswith(" PNG") and "download" in t for t in texts), texts  # our download row
        unmarked = [
            e for e in seen if e["tag"] != "BODY" and e["outline"] == "no" and e["shadow"] in ("none", "")
        ]
        assert not unmarked, f"focus not visible on {unmarked}"
        summary = page.locator("summary", has_text="Vis data som tabel").first
        summary.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stTable"] table').first.is_visible()
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
        assert b"pHYs" in data[:200]  # declares its print resolution (300 dpi)
    finally:
        page.close()


def test_split_trend_has_legend_on_screen(server: str, browser) -> None:
    """A trend split into groups names them in a legend, on screen as in the PNG."""
    page = _open(browser, f"{server}/tendenser?{VIEW}&opdel=department&interval=quarter")
    try:
        legend = page.locator('[data-testid="stVegaLiteChart"] .role-legend').first
        assert legend.count() == 1
        assert "Social og Sundhed" in (legend.text_content() or "")
        page.screenshot(path=str(SHOTS / "tendenser-opdelt.png"))
    finally:
        page.close()


def test_split_trend_fits_a_small_meeting_screen(server: str, browser) -> None:
    """The hardest presented figure (eight lines, a two-row legend, event labels) at 1280×720:
    readable and whole, title to source line."""
    url = f"{server}/tendenser?{VIEW}&opdel=department&interval=quarter{MODES['praesentation']}"
    page = _open(browser, url, size=SIZES[0])
    try:
        assert page.locator('[data-testid="stVegaLiteChart"] .role-legend').count() == 1
        assert _presented_problems(page, "tendenser", *SIZES[0]) == []
        page.screenshot(path=str(SHOTS / "tendenser-opdelt-praesentation-1280.png"))
    finally:
        page.close()


TABLE_SCROLL = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')].map(
  (s) => [s.scrollWidth, s.clientWidth])"""


def test_recommendations_table_fits_without_sideways_scroll(server: str, browser) -> None:
    """Anbefalinger's table at 1440×900 and 1280×720, menu open: its long titles wrap in a
    narrower column instead of pushing the last columns out of sight."""
    page = _open(browser, f"{server}/anbefalinger?{VIEW}")
    try:
        table = page.locator('[data-testid="stDataFrame"]').first
        for width, height in SIZES[:2]:
            page.set_viewport_size({"width": width, "height": height})
            _settle_layout(page)
            table.scroll_into_view_if_needed()
            page.wait_for_function(f"({TABLE_SCROLL})().length > 0", timeout=10_000)
            page.wait_for_timeout(500)
            scroll_width, client_width = page.evaluate(TABLE_SCROLL)[0]
            assert scroll_width <= client_width + 1, (
                f"{width}×{height}: table scrolls ({scroll_width} > {client_width})"
            )
            table.screenshot(path=str(SHOTS / f"anbefalinger-tabel-{width}.png"))
    finally:
        page.close()
