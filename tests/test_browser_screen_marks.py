"""The meeting screen's marks match what they say (issue #26, point 5): the coverage
legend names the city's value and a line is drawn there; the legend's swatches have the
colour of the lines they name (绿线 is green, not the legend's grey); the 区县综合排名's
explanation is not cut off at 1920×1080."""

from __future__ import annotations

import pytest

from tests.browser import SCREENSHOTS, browser_page, require_browser, streamlit_server


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def _open(page, base: str, panel: str) -> None:
    page.goto(f"{base}/screen?dwell=600&panels={panel}")
    page.wait_for_selector(f"#meeting-screen[data-panel='{panel}']", timeout=60_000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_coverage_legend_and_its_lines(server, theme):
    with browser_page(1920, 1080) as page:
        page.goto(f"{server}/screen?dwell=600&panels=coverage&theme={theme}")
        page.wait_for_selector("#meeting-screen[data-panel='coverage']", timeout=60_000)
        page.wait_for_timeout(500)
        got = page.evaluate(
            """() => {
              const s = document.querySelector('#meeting-screen');
              const col = (q) => getComputedStyle(s.querySelector(q)).color;
              const bg = (q) => getComputedStyle(s.querySelector(q)).backgroundColor;
              return {
                legend: s.querySelector('.legend').innerText,
                cityLines: s.querySelectorAll('.mark.city').length,
                rows: s.querySelectorAll('.row').length,
                target: bg('.mark:not(.city)'), swatch: col('.swatch:not(.city)'),
                cityLine: getComputedStyle(s.querySelector('.mark.city')).borderLeftColor,
                citySwatch: col('.swatch.city'), legendText: col('.legend'),
              };
            }"""
        )
        assert "全市" in got["legend"] and got["cityLines"] == got["rows"] > 0
        assert got["swatch"] == got["target"] != got["legendText"]  # 绿线's swatch is the line's green
        assert got["citySwatch"] == got["cityLine"]


def test_the_ranking_explanation_fits_at_1080p(server):
    with browser_page(1920, 1080) as page:
        _open(page, server, "ranking")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "screen_ranking_1920x1080.png"))
        box = page.evaluate(
            """() => {
              const s = document.querySelector('#meeting-screen');
              const legend = s.querySelector('.stage .legend') || s.querySelector('.legend');
              const stage = (s.querySelector('.stage') || s).getBoundingClientRect();
              const r = legend.getBoundingClientRect();
              return {bottom: r.bottom, stageBottom: stage.bottom, height: window.innerHeight, text: legend.innerText,
                      scroll: legend.scrollHeight, client: legend.clientHeight};
            }"""
        )
        assert "综合名次" in box["text"]
        assert box["bottom"] <= box["stageBottom"] + 0.5 and box["bottom"] <= box["height"], box


DESK_BARS = """title => {
  const chart = [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .find(c => (c.querySelector('.gtitle') || {}).textContent?.includes(title));
  const fills = [...chart.querySelectorAll('g.trace.bars path')].map(p => getComputedStyle(p).fill);
  const texts = [...chart.querySelectorAll('.textpoint text')].map(t => t.textContent);
  return fills.map((fill, i) => [texts[i], fill]);
}"""
SCREEN_BARS = """() => [...document.querySelectorAll('#meeting-screen .row')].map(r =>
  [r.querySelector('.value').textContent, getComputedStyle(r.querySelector('.fill')).backgroundColor])"""


def _colours(bars, mark: str) -> set[str]:
    return {fill for text, fill in bars if mark in text}


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_over_spent_bars_in_the_desk_colours(server, theme):
    """Issue 26: the screen's over-spent (▲ 超支) budget bars were blue, the desk's execution
    charts draw them orange; the screen's ▲ bars take the desk's colour, and its ▼ bars the
    desk's vermilion (they had the screen's own orange, beside which ▲ and ▼ looked alike)."""
    with browser_page(1600, 1000) as page:
        page.goto(f"{server}/money")
        page.wait_for_selector("[data-testid='stPlotlyChart'] g.trace.bars path", timeout=60_000)
        page.wait_for_timeout(1000)
        desk = page.evaluate(DESK_BARS, "各类经费预算执行率")
    with browser_page(1920, 1080) as page:
        page.goto(f"{server}/screen?dwell=600&panels=budget&theme={theme}")
        page.wait_for_selector("#meeting-screen[data-panel='budget'] .row", timeout=60_000)
        screen = page.evaluate(SCREEN_BARS)
        page.screenshot(path=str(SCREENSHOTS / f"screen_budget_colours_{theme}.png"))
    over, short = _colours(desk, "▲"), _colours(desk, "▼")
    assert len(over) == 1 and len(short) == 1 and over != short, desk  # 医药费 ▲, 精准服务 ▼ on the demo
    assert _colours(screen, "▲") == over, (screen, desk)
    assert _colours(screen, "▼") == short, (screen, desk)
    on_pace = {fill for text, fill in screen if "▲" not in text and "▼" not in text}
    assert on_pace and not on_pace & (over | short), screen
