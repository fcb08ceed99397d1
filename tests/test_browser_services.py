"""重点人群 and 精准服务 in a real Chromium at 1440×900: click a bar to drill to an area, click
again for the masked list, and screenshots of every level."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def click_bar(page, chart_index: int, bar_index: int, horizontal: bool = False) -> None:
    """A real mouse click just inside the end of a bar where it starts at the axis (bars on
    a zoomed rate axis extend below the plot area, so their middle may be off the plot)."""
    bar = page.locator("[data-testid='stPlotlyChart']").nth(chart_index).locator("g.trace.bars path").nth(bar_index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    if horizontal:
        page.mouse.click(box["x"] + min(12, box["width"] / 2), box["y"] + box["height"] / 2)
    else:
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + min(12, box["height"] / 2))


def wait_text(page, text: str) -> None:
    page.wait_for_function(f"() => document.body.innerText.includes({text!r})", timeout=60_000)
    wait_idle(page)


def shoot(page, name: str) -> None:
    """The first screen at 1440×900 as the director sees it, then the whole page (a tall
    viewport: the page scrolls inside Streamlit's own container)."""
    page.locator("[data-testid='stMain']").evaluate("el => el.scrollTo(0, 0)")
    screenshot(page, name)
    page.set_viewport_size({"width": 1440, "height": 3200})
    wait_idle(page)
    screenshot(page, f"{name}_full")
    page.set_viewport_size({"width": 1440, "height": 900})
    wait_idle(page)


def assert_clean(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "Page not found" not in body


def test_groups_drill_by_clicking_bars(server):
    with browser_page(1440, 900) as page:
        page.goto(f"{server}/groups")
        wait_text(page, "数据截至")  # a fresh server may rerun once before the page draws
        assert_clean(page)
        body = page.inner_text("body")
        assert "80岁以上" in body and "5,878 人" in body
        shoot(page, "groups_city")
        click_bar(page, 0, 0)  # 市直, the first area
        page.wait_for_url("**drill_area=city**", timeout=60_000)
        wait_text(page, "市直各类重点人群")
        assert_clean(page)
        assert "市直各类重点人群" in page.inner_text("body")
        shoot(page, "groups_area")
        click_bar(page, 0, 1, horizontal=True)  # 90岁以上, the second group
        page.wait_for_url("**drill_category=aged_90_plus**", timeout=60_000)
        wait_text(page, "按年龄从大到小排列")
        assert_clean(page)
        body = page.inner_text("body")
        assert "人员名单" in body and "市直 · 90岁以上：共 813 人" in body
        assert page.get_by_role("button", name="下载 CSV").count() == 1
        shoot(page, "groups_people")


def test_services_drill_by_clicking_bars(server):
    with browser_page(1440, 900) as page:
        page.goto(f"{server}/services")
        wait_text(page, "数据截至")  # a fresh server may rerun once before the page draws
        assert_clean(page)
        assert "8,628 件" in page.inner_text("body")
        shoot(page, "services_city")
        click_bar(page, 0, 7)  # 皋兰县, the eighth area
        page.wait_for_url("**drill_area=620122**", timeout=60_000)
        wait_text(page, "皋兰县各项服务办结率")
        assert_clean(page)
        assert "皋兰县各项服务办结率" in page.inner_text("body")
        shoot(page, "services_area")
        click_bar(page, 0, 2)  # 医疗护理, one of the report's gaps
        page.wait_for_url("**drill_category=nursing**", timeout=60_000)
        wait_text(page, "服务申请明细")
        assert_clean(page)
        body = page.inner_text("body")
        assert "服务申请明细" in body and "皋兰县 · 医疗护理：本期申请" in body
        assert page.get_by_role("button", name="下载 CSV").count() == 1
        shoot(page, "services_requests")
