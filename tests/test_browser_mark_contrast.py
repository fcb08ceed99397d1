"""Every status mark (▼ ▲ ●) is readable against what it actually sits on — 4.5:1 or more, in
light and dark, on 总览's cards and charts at the desk, on its area cards at 390 px and on the
meeting screen — and a mark coloured for "behind" stays orange (issue 26, items 5 and 8: the
phone card's ▼ read 3.9:1, the light screen's 4.46:1)."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle
from tests.test_browser_theme_memory import _is_dark, _rgb, contrast

# Each visible text node holding a mark: its colour (an SVG text's fill) and its background:
# the nearest opaque ancestor's, for a chart label the bar under it, else the page's.
MARKS = r"""() => {
  const opaque = c => { const m = (c || '').match(/[\d.]+/g); return !!m && (m.length < 4 || +m[3] > 0.5); };
  const app = getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor;
  const screen = document.getElementById('meeting-screen');
  const page = screen ? getComputedStyle(screen).backgroundColor : app;
  const bgOf = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (opaque(c)) return c;
    }
    return page;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    if (!/[▼▲●]/.test(n.textContent)) continue;
    const el = n.parentElement;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const plot = el.closest('.js-plotly-plot');
    let color, bg = null;
    if (plot) {
      color = getComputedStyle(el).fill;  // (the phone's CSS may override plotly's inline fill)
      const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
      for (const p of plot.querySelectorAll('.point path')) {
        const b = p.getBoundingClientRect();
        if (x > b.left && x < b.right && y > b.top && y < b.bottom) { bg = getComputedStyle(p).fill; break; }
      }
      bg = bg || page;
      // A label drawn with a halo (a stroke of 2 px or more under its fill, at least half
      // opaque) is read against the halo over what lies beneath.
      const st = getComputedStyle(el), k = (st.stroke || '').match(/[\d.]+/g);
      if (k && parseFloat(st.strokeWidth) >= 2 && st.paintOrder.startsWith('stroke')) {
        const a = k.length > 3 ? +k[3] : 1, under = bg.match(/[\d.]+/g).map(Number);
        if (a >= 0.5) bg = 'rgb(' + [0, 1, 2].map(i => Math.round(a * +k[i] + (1 - a) * under[i])).join(',') + ')';
      }
    } else {
      color = getComputedStyle(el).color;
      bg = bgOf(el);
    }
    out.push({text: n.textContent.trim().slice(0, 24), color, bg, cls: el.className && String(el.className)});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def _settled(page, scheme: str) -> None:
    """Charts drawn in the theme shown (a dark page reruns once to redraw them) and still."""
    page.wait_for_function(f"window.__chartTheme && window.__chartTheme.served === '{scheme}'", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1500)


def _check(marks: list[dict]) -> None:
    for m in marks:
        assert contrast(_rgb(m["color"]), _rgb(m["bg"])) >= 4.5, m


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_marks_on_the_overview_readable_at_desk_and_phone(server, scheme):
    with browser_page(1600, 1000, color_scheme=scheme) as page:
        page.goto(server)
        wait_idle(page)
        page.wait_for_selector("[data-testid='stPlotlyChart'] .textpoint text", timeout=60_000)
        _settled(page, scheme)
        assert _is_dark(page) is (scheme == "dark")
        marks = page.evaluate(MARKS)
        assert len({m["text"][:2] for m in marks}) >= 2 and any("▼" in m["text"] for m in marks), marks
        _check(marks)
    with browser_page(390, 844, color_scheme=scheme, is_mobile=True) as page:
        page.goto(server)
        wait_idle(page)
        page.wait_for_selector(".st-key-phone_cards_overview_areas .area-card-note.bad", timeout=60_000)
        _settled(page, scheme)
        page.wait_for_function(f"document.documentElement.getAttribute('data-scheme') === '{scheme}'")
        marks = page.evaluate(MARKS)
        bad = [m for m in marks if "area-card-note bad" in (m["cls"] or "")]
        assert bad, marks
        _check(marks)
        r, g, b = _rgb(bad[0]["color"])
        assert r > g > b and r - b > 120, bad[0]  # still orange: "behind"
        page.locator(".st-key-phone_cards_overview_areas").scroll_into_view_if_needed()
        screenshot(page, f"mark_contrast_phone_cards_{scheme}_390")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_marks_on_the_meeting_screen_readable(server, theme):
    with browser_page(1920, 1080) as page:
        for panel in ("overview", "coverage", "budget"):
            page.goto(f"{server}/?screen=1&panels={panel}&dwell=60&theme={theme}")
            shown = f"#meeting-screen[data-panel='{panel}']"
            page.wait_for_selector(f"{shown} .kpi-value, {shown} .row", timeout=60_000)
            page.wait_for_timeout(800)
            marks = page.evaluate(MARKS)
            assert any("▼" in m["text"] and "bad" in m["cls"] for m in marks), (panel, marks)
            if panel == "budget":  # 超支 marked as on the 执行状态 column
                assert any(m["text"].startswith("▲ ") and "value" in m["cls"] for m in marks), marks
            _check(marks)
