"""Every chart helper draws its text in the active theme's palette with WCAG AA contrast
(the browser test measures two pages; this walks every helper's figure in both themes)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import charts, service_charts


def _lum(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    ch = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_lum(a), _lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def figures():
    x, v = ["城关区", "皋兰县", "市直"], [0.99, 0.982, 0.996]
    return {
        "bar_with_target": charts.bar_with_target(
            x, v, title="t", target=1.0, target_label="目标", reference=0.99, reference_label="全市", note="口径"
        ),
        "trend": charts.trend(["2019年", "2020年"], {"离休": [703, 657], "退休": [32197, 33477]}, title="t", unit="人"),
        "execution_bars": charts.execution_bars(["a", "b"], [0.8, 1.03], 1.0, title="t", progress_label="序时"),
        "bars_and_rate": charts.bars_and_rate(
            ["1月", "2月"], [10, 20], [0.5, 0.7], title="t", bar_name="b", rate_name="r"
        ),
        "mix": charts.mix(["电话", "微信"], [10, 5], title="t"),
        "stacked_bars": charts.stacked_bars(x, {"a": [1, 2, 3], "b": [3, 2, 1]}, ids=x, title="t"),
        "histogram": charts.histogram_with_limits(
            [3, 10, 55], title="t", low=3, high=50, low_label="l", high_label="h"
        ),
        "timeline": charts.timeline([dt.date(2020, 1, 1)], ["党课"], title="t", order=["党课"]),
        "cumulative": charts.cumulative(
            ["1月", "2月"], [1e4, 2e4], 5e4, [0.1, 0.2], title="t", spent_name="s", budget_name="b", progress_name="p"
        ),
        "bars_with_reference": charts.bars_with_reference(
            x, v, ids=x, title="t", reference=0.99, reference_label="全市", percent=True
        ),
        "profile": charts.profile(["覆盖率"], [101.0], ["high"], title="t"),
        "scatter": charts.scatter(
            [0.9], [3], ["城关区"], title="t", x_title="x", y_title="y", x_percent=True, y_percent=False
        ),
        "share_bars": service_charts.share_bars(
            x, [0.1, None, 0.2], ["10%", "<5", "20%"], ids=x, title="t", reference=0.15, reference_label="全市"
        ),
        "group_bars": service_charts.group_bars(["独居"], [5], ["5 人"], ids=["a"], sub=[False], title="t"),
        "rate_bars": service_charts.rate_bars(
            x, v, ids=x, title="t", reference=0.99, reference_label="全市", target_label="目标"
        ),
        "share_trend": service_charts.share_trend([2019, 2020], {"80+": [0.15, 0.17]}, title="t"),
        "provider_mix": service_charts.provider_mix(["单位"], [3], ["3 件"], title="t"),
    }


def text_colours(node, path=""):
    """(path, colour) of every font colour in a figure's JSON, inside-bar labels left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if here == ".layout.template":  # plotly's defaults, overridden by the house style
                continue
            if key == "color" and isinstance(value, str) and "font" in path.rsplit(".", 1)[-1]:
                if "insidetextfont" not in path:
                    yield here, value
            yield from text_colours(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from text_colours(value, f"{path}[{i}]")


@pytest.mark.parametrize("kind", ["light", "dark"])
def test_every_chart_text_meets_aa_in_both_themes(monkeypatch, kind):
    monkeypatch.setattr(charts, "theme_type", lambda: kind)
    background = charts.PALETTES[kind]["background"]
    for name, fig in figures().items():
        seen = list(text_colours(fig.to_plotly_json()))
        assert any(p.startswith(".layout.font") for p, _ in seen), name
        low = [(p, c, round(contrast(c, background), 2)) for p, c in seen if contrast(c, background) < 4.5]
        assert not low, (name, low)
        layout = fig.to_plotly_json()["layout"]
        assert layout["title"]["font"]["color"] == charts.PALETTES[kind]["text"], name
