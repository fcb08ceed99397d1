"""Local sign-in in a real browser, and the audit row an export writes."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import audit
from data_access.db import make_engine
from tests import apptest_tools as tools
from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def signed_server(sqlite_demo_path, tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("access")
    env = {"DASHBOARD_ACCESS_FILE": tools.access_file(tmp), "AUDIT_DB_URL": f"sqlite:///{tmp / 'audit.sqlite'}"}
    with streamlit_server(f"sqlite:///{sqlite_demo_path}", demo=False, env=env) as base:
        yield base, tmp / "audit.sqlite"


def sign_in(page, password: str) -> None:
    page.get_by_label("用户名").fill("gaolan")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_sign_in_then_export_is_audited(signed_server):
    base, audit_db = signed_server
    with browser_page(1600, 2400) as page:
        page.goto(base)
        wait_idle(page)
        assert page.locator("[data-testid='stMetricValue']").count() == 0  # nothing before sign-in
        screenshot(page, "sign_in")
        sign_in(page, "not the password")
        page.wait_for_function("document.body.innerText.includes('用户名或密码不正确')", timeout=30_000)
        sign_in(page, tools.PASSWORD)
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "区县老干部局" in body and "皋兰县" in body
        screenshot(page, "signed_in_district")
        with page.expect_download() as info:
            page.get_by_role("button", name="下载 CSV").first.click()
        name = info.value.suggested_filename
        rows = len(open(info.value.path(), encoding="utf-8-sig").read().strip().splitlines()) - 1
    events = audit.fetch(make_engine(f"sqlite:///{audit_db}"), dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    exports = events[events["action"] == "export"]
    assert len(exports) == 1
    assert exports.iloc[0]["file_name"] == name and int(exports.iloc[0]["rows"]) == rows
    assert exports.iloc[0]["user_id"] == "gaolan"
    assert {"login_failed", "login", "view"} <= set(events["action"])


def test_the_meeting_screen_ends_with_the_session(sqlite_demo_path, tmp_path):
    """The screen refreshes on its own schedule without a full run; when the session expires
    its figures go and the sign-in page (saying the session ended) takes their place."""
    from dashboard import labels

    require_browser()
    env = {
        "DASHBOARD_ACCESS_FILE": tools.access_file(tmp_path, session_minutes="0.15"),  # 9 s
        "AUDIT_DB_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}",
    }
    with streamlit_server(f"sqlite:///{sqlite_demo_path}", demo=False, env=env) as base, browser_page() as page:
        page.goto(f"{base}/screen?refresh=2&dwell=5")
        wait_idle(page)
        sign_in(page, tools.PASSWORD)
        page.wait_for_selector("#meeting-screen .kpi-value", timeout=60_000)
        page.wait_for_function(
            f"document.body.innerText.includes({labels.SIGNIN_EXPIRED!r})", timeout=40_000, polling=500
        )
        assert page.locator("#meeting-screen").count() == 0


def test_watermark_over_the_page_and_the_excel_download_under_it(signed_server):
    """A signed-in page carries the faint account-and-time watermark; clicks go through it
    (the Excel download works) and the workbook says who took it; the export is audited."""
    import io

    import openpyxl

    base, audit_db = signed_server
    with browser_page(1440, 1000) as page:
        page.goto(f"{base}/contacts")
        wait_idle(page)
        sign_in(page, tools.PASSWORD)
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        wait_idle(page)
        after = page.evaluate(
            "() => { const s = getComputedStyle(document.body, '::after');"
            " return [s.backgroundImage.slice(0, 30), s.pointerEvents, s.position, s.zIndex]; }"
        )
        assert after == ['url("data:image/svg+xml;base64', "none", "fixed", "1000010"]
        screenshot(page, "watermark_contacts")
        with page.expect_download() as info:
            page.get_by_role("button", name="下载 Excel").first.click()
        name = info.value.suggested_filename
        book = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))  # (no file extension)
    assert name.endswith(".xlsx") and book.properties.creator == "gaolan"
    assert "皋兰县" in book.active.cell(2, 1).value  # the district account's own area, in the title block
    events = audit.fetch(
        make_engine(f"sqlite:///{audit_db}"), dt.date(2000, 1, 1), dt.date(2100, 1, 1), action="export"
    )
    assert name in set(events["file_name"]) and set(events["user_id"]) == {"gaolan"}
