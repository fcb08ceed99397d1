"""Issue 26 item 10: at a desk (1600 px, Chromium) the wide tables of 帮扶与经费 and
区县对比 show every column header whole — no table wider than its frame (a header past the
frame's right edge is cut), every header present in the grid."""

from __future__ import annotations

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle

GRIDS = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
  .filter(e => e.querySelector('.dvn-scroller'))
  .map(e => {
    const s = e.querySelector('.dvn-scroller');
    const heads = [...e.querySelectorAll('[role=columnheader]')].map(h => h.textContent);
    return {scroll: s.scrollWidth, client: s.clientWidth, heads};
  })"""


def test_every_header_of_the_wide_tables_is_visible_at_1600(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base, browser_page(1600, 1000) as page:
        for path, expected in (("money", ["慰问品（元）", "人均帮扶（元/人）"]), ("districts", ["困难对象覆盖率"])):
            page.goto(f"{base}/{path}")
            wait_idle(page)
            page.wait_for_timeout(1000)
            grids = page.evaluate(GRIDS)
            screenshot(page, f"desk_tables_{path}_1600")
            assert grids, path
            for g in grids:
                assert g["scroll"] <= g["client"] + 1, (path, g)
            heads = {h for g in grids for h in g["heads"]}
            assert set(expected) <= heads, (path, heads)
        # every metric of the comparison has its header in a grid (none past a frame's edge)
        assert {"重点对象联系覆盖率", "离退休党员任书记比例", "独居比例", "“五不”比例"} <= heads, heads
