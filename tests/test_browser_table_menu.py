"""No English left in a table's column menu or search (issue 26, item 9)."""

from __future__ import annotations

import re

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle

ENGLISH = ("Sort ascending", "Sort descending", "Statistics", "Autosize", "Pin column", "Hide column", "Format")


def test_column_menu_and_search_in_chinese(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base, browser_page(1600, 1000) as page:
        page.goto(f"{base}/contacts")
        wait_idle(page)
        table = page.locator("[data-testid='stDataFrame']").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 18)
        page.wait_for_timeout(400)
        page.mouse.click(box["x"] + 205, box["y"] + 18)  # the first header's ⋮ (its column is ~220 px wide here)
        menu = page.locator("[data-testid='stDataFrameColumnMenu']")
        menu.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        text = menu.inner_text()
        screenshot(page, "table_column_menu_zh_1600")
        assert "升序排列" in text and "隐藏此列" in text, text
        assert not [w for w in ENGLISH if w in text], text
        page.keyboard.press("Escape")
        table.hover()
        page.locator("[data-testid='stElementToolbarButton']").nth(1).click()  # 搜索
        page.wait_for_timeout(300)
        page.keyboard.type("zzzz")
        area = page.locator("[data-testid='search-result-area']").first
        area.wait_for(state="attached", timeout=10_000)
        page.wait_for_function(
            "() => /找到 0 项/.test(document.querySelector('[data-testid=search-result-area]')?.innerText || '')",
            timeout=10_000,
        )
        assert not re.search(r"\bresults?\b", area.inner_text())
