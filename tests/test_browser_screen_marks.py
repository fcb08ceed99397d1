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
