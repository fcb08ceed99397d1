"""A real Chromium opens the dashboard served by ``streamlit run`` on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def test_first_screen_in_a_real_browser(server):
    with browser_page() as page:
        page.goto(server)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Page not found" not in page.content()
        body = page.inner_text("body")
        assert "数据截至 2020-12-31" in body
        assert "离休干部" in body and "重点对象联系覆盖率" in body
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert "182 人" in values
        shot = screenshot(page, "first_screen")
        assert shot.stat().st_size > 10_000


def test_bad_database_in_a_real_browser(tmp_path):
    require_browser()
    with streamlit_server(f"sqlite:///{tmp_path / 'blank.sqlite'}") as base, browser_page() as page:
        page.goto(base)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "缺少必需的表" in page.inner_text("body")
        screenshot(page, "first_screen_missing_tables")
