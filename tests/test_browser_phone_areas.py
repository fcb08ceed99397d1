"""At 390 px the per-area tables of 总览 and 区县对比 are one card per area — its name, its
key rate and ▼ status, all on the screen — and the table is hidden; at 1600 px the table
shows and the cards do not (issue 26, item 7)."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle

SEEN = """key => {
  const shown = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const cards = document.querySelector('.st-key-phone_cards_' + key);
  const table = document.querySelector('.st-key-phone_table_' + key + ' [data-testid=stDataFrame]');
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  const parts = cards ? [...cards.querySelectorAll('.area-card-name, .area-card-rate')] : [];
  return {cards: shown(cards), table: shown(table), count: cards ? cards.querySelectorAll('.area-card').length : 0,
          texts: parts.map(e => e.textContent), boxes: parts.map(box),
          notes: cards ? [...cards.querySelectorAll('.area-card-note')].map(e => e.textContent) : [],
          scroll: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


@pytest.mark.parametrize(
    ("path", "key", "rate"), [("/", "overview_areas", "联系覆盖率"), ("/districts", "comparison", "综合第")]
)
def test_areas_as_cards_on_a_phone_and_a_table_on_the_desk(server, path, key, rate):
    with browser_page(390, 844, is_mobile=True) as page:
        page.goto(f"{server}{path}")
        wait_idle(page)
        page.wait_for_selector(f".st-key-phone_cards_{key} .area-card", timeout=60_000)
        seen = page.evaluate(SEEN, key)
        assert seen["cards"] and not seen["table"], seen
        assert seen["count"] == 9  # every area of the demo ledger, one card each
        names, rates = seen["texts"][0::2], seen["texts"][1::2]
        assert all(n.strip() for n in names) and all(rate in r for r in rates), seen["texts"]
        for left, right in seen["boxes"]:
            assert left >= 0 and right <= 390, seen["boxes"]
        assert seen["scroll"] <= 390
        if key == "overview_areas":
            assert all("%" in r for r in rates)
        assert any(n.startswith("▼") for n in seen["notes"]), seen["notes"]
        page.locator(f".st-key-phone_cards_{key}").scroll_into_view_if_needed()
        screenshot(page, f"phone_area_cards_{key}_390")
    with browser_page(1600, 1000) as page:
        page.goto(f"{server}{path}")
        wait_idle(page)
        page.wait_for_selector(f".st-key-phone_table_{key} [data-testid=stDataFrame]", timeout=60_000)
        seen = page.evaluate(SEEN, key)
        assert seen["table"] and not seen["cards"], seen
