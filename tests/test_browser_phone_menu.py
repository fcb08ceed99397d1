"""At 390 px the ⋮ menu (theme, print) is on the screen and opens (issue 26, item 7)."""

from __future__ import annotations

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


def test_main_menu_reachable_on_a_phone(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base, browser_page(390, 844, is_mobile=True) as page:
        for path in ("/", "/contacts"):
            page.goto(f"{base}{path}")
            wait_idle(page)
            box = page.locator("[data-testid='stMainMenu']").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("[data-testid='stMainMenu']").click()
        popover = page.locator("[data-testid='stMainMenuPopover']")
        popover.wait_for(timeout=10_000)
        assert "深色" in popover.inner_text() and "打印" in popover.inner_text()
        screenshot(page, "phone_main_menu_390")
