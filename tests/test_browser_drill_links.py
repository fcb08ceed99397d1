"""需要关注's 查看 drills instead of re-filtering; breadcrumbs name each level once; Back after
a crumb returns to the previous view without a warning (issue 26, items 2 and 3)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import labels
from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _crumbs(page) -> str:
    return " ".join(page.inner_text(".st-key-breadcrumbs").split())


def _back_to_the_city(page) -> None:
    """Click the 全市 crumb and wait for the run it starts: on a loaded machine the page may
    still read "not running" from the run before for a moment after the click (a suite run
    once checked the address before the rerun had rewritten it)."""
    page.locator(".st-key-breadcrumbs").get_by_role("button", name=labels.BREADCRUMB_CITY).click()
    page.wait_for_function("() => !location.search.includes('drill_')", timeout=60_000)
    wait_idle(page)


def test_attention_link_opens_the_drill_view_and_keeps_the_filters(server):
    with browser_page(1600, 1000) as page:
        page.goto(f"{server}/")
        wait_idle(page)
        panel = page.locator(".st-key-attention")
        before = panel.inner_text()
        item = panel.locator("[data-testid='stHorizontalBlock']").filter(has_text="逾期未联系").first
        text = item.inner_text()
        area = next(
            name
            for name in ("城关区", "七里河区", "西固区", "安宁区", "红古区", "永登县", "皋兰县", "榆中县", "市直")
            if f"其中{name}最多" in text
        )
        item.get_by_role("link", name=labels.ATTENTION_LINK).click()
        page.wait_for_url("**/contacts?**", timeout=60_000)
        wait_idle(page)
        query = _query(page)
        assert "area" not in query and query.get("drill_area")  # a drill, not a global filter
        assert _crumbs(page) == f"{labels.BREADCRUMB_CITY} › {area}"
        screenshot(page, "attention_link_drills_1600")
        # Back to 全市 by the crumb; the sidebar's area filter was never set.
        _back_to_the_city(page)
        assert "drill_area" not in _query(page) and "area" not in _query(page)
        page.goto(f"{server}/")
        wait_idle(page)
        assert page.locator(".st-key-attention").inner_text() == before  # the items still read city-wide


def test_crumbs_once_by_name_and_back_without_a_warning(server):
    with browser_page(1600, 1000) as page:
        # An area filter of 皋兰县 and a drill into the same area and one of its units: 皋兰县 once.
        page.goto(f"{server}/contacts?year=2020&area=620122&drill_area=620122&drill_unit=369")
        wait_idle(page)
        crumbs = _crumbs(page)
        assert crumbs.count("皋兰县") == 1 and crumbs.endswith("发展和改革委员会"), crumbs
        screenshot(page, "breadcrumbs_once_1600")
        page.goto(f"{server}/contacts?year=2020&drill_area=620122&drill_unit=369")
        wait_idle(page)
        assert _crumbs(page) == f"{labels.BREADCRUMB_CITY} › 皋兰县 › 发展和改革委员会"
        _back_to_the_city(page)
        assert "drill_unit" not in _query(page)
        page.go_back()
        page.wait_for_timeout(1500)
        wait_idle(page)
        body = page.inner_text("body")
        assert "下钻单位" not in body and "不在" not in body
        assert _query(page).get("drill_unit") == ["369"] and _query(page).get("drill_area") == ["620122"]
        assert _crumbs(page) == f"{labels.BREADCRUMB_CITY} › 皋兰县 › 发展和改革委员会"
