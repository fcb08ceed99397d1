"""会议大屏 in a real Chromium: legible at 1080p and 4K, no chrome, no scrollbar, rotation,
pause on the space bar, and a database outage survived with the last figures."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from data_access.db import make_engine
from tests.browser import SCREENSHOTS, browser_page, require_browser, streamlit_server

CHROME = ("stHeader", "stSidebar", "stToolbar", "stDecoration", "stMainMenu", "stSidebarCollapsedControl")


@pytest.fixture(scope="module")
def ledger_copy(sqlite_demo_path, tmp_path_factory):
    """A private copy: the outage test breaks and restores it."""
    require_browser()
    path = tmp_path_factory.mktemp("screen") / "ledger.sqlite"
    shutil.copy(sqlite_demo_path, path)
    return path


@pytest.fixture(scope="module")
def server(ledger_copy):
    with streamlit_server(f"sqlite:///{ledger_copy}") as base:
        yield base


def open_screen(page, base: str, query: str) -> None:
    page.goto(f"{base}/screen?{query}")
    page.wait_for_selector("#meeting-screen[data-panel]", timeout=60_000)


@pytest.mark.parametrize(("width", "height", "min_px"), [(1920, 1080, 72), (3840, 2160, 144)])
def test_legible_without_chrome_or_scrollbar(server, width, height, min_px):
    with browser_page(width, height) as page:
        open_screen(page, server, "dwell=30")
        page.wait_for_timeout(800)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"screen_{width}x{height}.png"))
        sizes = page.evaluate(
            """() => ({
              scroll: document.documentElement.scrollHeight, inner: window.innerHeight,
              scrollW: document.documentElement.scrollWidth, innerW: window.innerWidth,
              value: parseFloat(getComputedStyle(document.querySelector('#meeting-screen .kpi-value')).fontSize),
              label: parseFloat(getComputedStyle(document.querySelector('#meeting-screen .kpi-label')).fontSize),
            })"""
        )
        assert sizes["scroll"] <= sizes["inner"] and sizes["scrollW"] <= sizes["innerW"]
        assert sizes["value"] >= min_px and sizes["label"] >= min_px * 28 / 72
        for test_id in CHROME:
            assert not page.locator(f"[data-testid='{test_id}']").is_visible(), test_id
        assert page.locator("input, select, button, textarea").filter(visible=True).count() == 0
        assert "数据截至 2020-12-31" in page.inner_text("#meeting-screen")


def test_rotates_after_the_dwell_and_pauses_on_space(server):
    with browser_page(1920, 1080) as page:
        open_screen(page, server, "dwell=3&panels=overview,coverage,aid")
        first = page.get_attribute("#meeting-screen", "data-panel")
        page.wait_for_function(
            f"document.getElementById('meeting-screen').getAttribute('data-panel') !== '{first}'", timeout=10_000
        )
        second = page.get_attribute("#meeting-screen", "data-panel")
        assert [first, second] == ["overview", "coverage"]
        page.keyboard.press("Space")
        page.wait_for_timeout(4500)  # longer than the dwell
        assert page.get_attribute("#meeting-screen", "data-panel") == "coverage"
        assert "已暂停" in page.inner_text("#meeting-screen")
        page.keyboard.press("Space")
        page.wait_for_function(
            "document.getElementById('meeting-screen').getAttribute('data-panel') === 'aid'", timeout=10_000
        )


def test_outage_keeps_the_last_figures_and_recovers(server, ledger_copy):
    with browser_page(1920, 1080) as page:
        open_screen(page, server, "dwell=60&refresh=2&panels=aid")
        page.wait_for_function("document.body.innerText.includes('182')", timeout=30_000)
        original = ledger_copy.read_bytes()
        try:
            ledger_copy.write_bytes(b"\0" * len(original))  # the database is gone
            page.wait_for_function("document.body.innerText.includes('暂时无法连接')", timeout=30_000)
            text = page.inner_text("#meeting-screen")
            assert "182" in text  # the last good figures stay up
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "screen_outage.png"))
        finally:
            ledger_copy.write_bytes(original)
        page.wait_for_function("!document.body.innerText.includes('暂时无法连接')", timeout=30_000)
        assert "182" in page.inner_text("#meeting-screen")


def test_no_personal_data_in_the_page(server, ledger_copy):
    with make_engine(f"sqlite:///{ledger_copy}").connect() as c:
        names = {n for (n,) in c.execute(sa.text("SELECT name FROM people")).all() if len(n) == 3}
        phones = {p for (p,) in c.execute(sa.text("SELECT phone FROM people")).all()}
    with browser_page(1920, 1080) as page:
        open_screen(page, server, "dwell=3&carousel=1")
        seen = set()
        for _ in range(4):  # across several panels
            seen.add(page.content())
            page.wait_for_timeout(3100)
        html = "".join(seen)
        assert not [n for n in names if n in html]
        assert not [p for p in phones if p in html]


def test_the_header_shows_the_time_kept_by_the_page(server):
    """Issue 26 item 11: the screen's header shows the wall clock ("14:05"), moved on by the
    page's own timer (no server rerun: the page's clock is driven here, the server's is not)."""
    with browser_page(1920, 1080) as page:
        page.clock.install(time="2026-03-02T14:05:10")
        open_screen(page, server, "dwell=30&refresh=3600")
        page.clock.run_for(2000)
        clock = page.locator("#ms-clock")
        assert clock.inner_text() == "14:05"
        assert clock.is_visible()
        box, top = clock.bounding_box(), page.locator("#meeting-screen .top").bounding_box()
        assert box["y"] >= top["y"] and box["y"] + box["height"] <= top["y"] + top["height"] + 1
        page.clock.run_for(60_000)
        assert clock.inner_text() == "14:06"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "screen_clock_1920x1080.png"))
