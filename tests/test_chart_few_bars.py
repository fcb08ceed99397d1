"""A chart for one selected area is not one bar across the whole plot (issue 26, item 10)."""

from __future__ import annotations

from dashboard import charts


def _bar(fig):
    return next(t for t in fig.data if t.type == "bar")


def test_one_area_is_a_bar_of_ordinary_width():
    fig = charts.execution_bars(["皋兰县"], [0.965], 1.0, title="t", progress_label="序时进度 100.0%", ids=["620122"])
    width = _bar(fig).width
    assert width is not None and width / 1 <= 0.8 / charts.FEW_BARS + 1e-3  # its share of the plot, as among six
    fig = charts.bar_with_target(
        ["皋兰县", "榆中县"], [0.982, 0.988], ids=["620122", "620123"], title="t", target=1.0, target_label="目标"
    )
    assert _bar(fig).width / 2 <= 0.8 / charts.FEW_BARS + 1e-3


def test_many_areas_keep_plotly_widths():
    names = [f"区{i}" for i in range(9)]
    fig = charts.execution_bars(names, [0.9] * 9, 1.0, title="t", progress_label="p")
    assert _bar(fig).width is None
