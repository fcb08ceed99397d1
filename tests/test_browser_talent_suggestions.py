"""A real Chromium clicks bars on the 建言献计 and 银发人才库 pages and sees the lists."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def click_bar(page, chart_index: int = 0, bar_index: int = 0) -> None:
    bars = page.locator("[data-testid='stPlotlyChart']").nth(chart_index).locator("g.trace.bars path")
    bars.nth(bar_index).scroll_into_view_if_needed()
    box = bars.nth(bar_index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 12)


def open_page(page, base: str, path: str) -> None:
    """The entry page first: a process's very first request on a page URL reruns once."""
    page.goto(base)
    wait_idle(page)
    page.goto(f"{base}{path}")
    wait_idle(page)


def assert_clean(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_suggestions_department_bar_opens_its_list(server):
    with browser_page(1440, 900) as page:
        open_page(page, server, "/suggestions")
        assert_clean(page)
        assert "按期答复率" in page.inner_text("body")
        screenshot(page, "suggestions_city")
        click_bar(page, 0, 0)  # the department with the lowest on-time rate
        page.wait_for_url("**drill_category=**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        body = page.inner_text("body")
        assert "建议清单" in body and "仍未答复" in body  # the grid itself draws on a canvas
        screenshot(page, "suggestions_department")


def test_talent_area_then_field_bar_opens_the_member_list(server):
    with browser_page(1440, 900) as page:
        open_page(page, server, "/talent")
        assert_clean(page)
        screenshot(page, "talent_city")
        click_bar(page, 0, 1)  # 城关区, the second area
        page.wait_for_url("**drill_area=620102**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "城关区各专业领域期末在库人数" in page.inner_text("body")
        screenshot(page, "talent_area")
        click_bar(page, 0, 2)  # 教育, the third field
        page.wait_for_url("**drill_category=education**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "人才名单" in page.inner_text("body")
        screenshot(page, "talent_members")
