"""The meeting screen all day, in Chromium (issue 26, item 12): at the root address it loads
with no failed request (at "/screen" the browser probes /screen/_stcore/health and
/screen/_stcore/host-config first: two 404s); a screen token opens it on a configured
ledger; the demo screen says it shows a fixed snapshot."""

from __future__ import annotations

from dashboard import labels
from tests.browser import browser_page, require_browser, screenshot, streamlit_server
from tests.test_screen_token import TOKEN, _config


def _failed_requests(page, url: str) -> list[tuple[int, str]]:
    failed: list[tuple[int, str]] = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(url)
    page.wait_for_selector("#meeting-screen[data-panel] .kpi-value", timeout=60_000)
    page.wait_for_timeout(1500)
    return failed


def test_demo_screen_at_the_root_makes_no_failed_request(sqlite_demo_path):
    """Served as ``make run`` serves it (deploy/app.py): the root address, and "/screen"
    answered with a redirect to it, load with no failed request; the other pages still work."""
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}", script="deploy/app.py") as base:
        with browser_page(1920, 1080) as page:
            assert _failed_requests(page, f"{base}/?screen=1&dwell=60&panels=overview") == []
            bottom = page.inner_text("#meeting-screen .bottom")
            assert labels.SCREEN_DEMO_SNAPSHOT in bottom and "天未更新" not in page.inner_text("#meeting-screen")
            screenshot(page, "screen_demo_snapshot_1920")
        with browser_page(1920, 1080) as page:
            assert _failed_requests(page, f"{base}/screen?dwell=60&panels=overview") == []
            assert page.url == f"{base}/?screen=1&dwell=60&panels=overview"
            page.goto(f"{base}/")
            page.get_by_role("heading", name=labels.OVERVIEW_TITLE).first.wait_for(timeout=60_000)


def test_screen_token_opens_the_screen_alone(sqlite_demo_path, tmp_path):
    require_browser()
    env = {"DASHBOARD_ACCESS_FILE": _config(tmp_path), "AUDIT_DB_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}"}
    with (
        streamlit_server(f"sqlite:///{sqlite_demo_path}", demo=False, env=env) as base,
        browser_page(1920, 1080) as page,
    ):
        assert _failed_requests(page, f"{base}/?screen_token={TOKEN}&dwell=60&panels=overview,coverage") == []
        screenshot(page, "screen_token_1920")
        # Any other page's address shows the screen too: nothing else is registered for it.
        page.goto(f"{base}/contacts?screen_token={TOKEN}&dwell=60")
        page.wait_for_selector("#meeting-screen[data-panel]", timeout=60_000)
        assert page.locator("[data-testid='stMetricValue']").count() == 0
        page.goto(f"{base}/?screen_token=wrong")
        page.wait_for_function(f"document.body.innerText.includes({labels.SCREEN_TOKEN_INVALID!r})", timeout=60_000)
        assert page.locator("#meeting-screen").count() == 0
