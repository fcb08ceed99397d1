"""The theme a viewer picks holds across pages, reloads and shared links; the sidebar logo is
readable in dark (issue 26, item 8)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle

ROOT = Path(__file__).resolve().parent.parent
BACKGROUND = "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(text: str) -> tuple[float, float, float]:
    if text.startswith("#"):
        return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(float(x) for x in re.findall(r"[\d.]+", text)[:3])


def _is_dark(page) -> bool:
    return _luminance(_rgb(page.evaluate(BACKGROUND))) < 0.2


def _text_fill(svg: str) -> str:
    return re.search(r'<text[^>]*fill="(#[0-9A-Fa-f]{6})"', svg).group(1)


def test_dark_theme_holds_across_pages_reloads_and_links(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base, browser_page(1600, 1000) as page:
        page.goto(f"{base}/contacts")
        wait_idle(page)
        assert not _is_dark(page)
        page.locator("[data-testid='stMainMenu']").click()
        page.locator("[data-testid='stMainMenuPopover']").get_by_text("深色").click()
        page.wait_for_function(f"() => {{ const c = ({BACKGROUND})(); return c !== 'rgb(255, 255, 255)'; }}")
        page.keyboard.press("Escape")
        assert _is_dark(page)
        for url in (f"{base}/money", f"{base}/money", f"{base}/branches?year=2020&area=620122", f"{base}/"):
            page.goto(url)  # another address, a reload, a shared link, the home page
            wait_idle(page)
            page.wait_for_timeout(500)
            assert _is_dark(page), url
        # The sidebar logo is its dark variant, its text readable on the dark sidebar (≥ 3:1).
        logo = page.locator("img[data-testid='stSidebarLogo'], img[data-testid='stLogo']").first
        content = logo.evaluate("e => getComputedStyle(e).content")
        assert "data:image/svg+xml" in content
        sidebar = _rgb(
            page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stSidebar]')).backgroundColor")
        )
        dark_fill = _text_fill((ROOT / "dashboard/assets/logo_dark.svg").read_text(encoding="utf-8"))
        assert contrast(_rgb(dark_fill), sidebar) >= 3.0
        light_fill = _text_fill((ROOT / "dashboard/assets/logo.svg").read_text(encoding="utf-8"))
        assert contrast(_rgb(light_fill), sidebar) < 3.0  # (the light logo would not do in dark)
        assert contrast(_rgb(light_fill), _rgb("#F3F5F9")) >= 3.0  # and it still does in light
        screenshot(page, "theme_dark_remembered_home_1600")
