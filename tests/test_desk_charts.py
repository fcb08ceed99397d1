"""Issue 26 item 10, at a desk: scatter labels that do not overlap, coverage charts whose
bars all sit near 100 % drawn on a zoomed axis that says where it starts."""

from __future__ import annotations

import itertools

from dashboard import charts

# 区县对比's default scatter on the demo ledger (2020): 联系覆盖率 against 逾期未联系人数.
DEMO = {
    "市直": (0.99556, 308),
    "城关区": (0.99529, 139),
    "七里河区": (0.99322, 73),
    "西固区": (0.99514, 44),
    "安宁区": (0.99444, 29),
    "红古区": (0.99867, 9),
    "永登县": (0.99448, 62),
    "皋兰县": (0.98162, 183),
    "榆中县": (0.98792, 464),
}
CLOSE = {"七里河区", "永登县", "西固区", "安宁区"}
FONT = 13  # the house font size (px); a CJK character is about one font size wide
MARKER = 14


def _boxes(fig, plot_width: float):
    """Every label's box and every marker's box in pixels, from the figure's own axis ranges,
    positions and texts (a model of plotly's text placement, written out independently)."""
    trace = fig.data[0]
    xr, yr = fig.layout.xaxis.range, fig.layout.yaxis.range
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    positions = trace.textposition
    if isinstance(positions, str):
        positions = [positions] * len(trace.x)
    labels, markers = {}, {}
    for x, y, text, name, pos in zip(trace.x, trace.y, trace.text, trace.customdata or trace.text, positions):
        px = (x - xr[0]) / (xr[1] - xr[0]) * plot_width
        py = (yr[1] - y) / (yr[1] - yr[0]) * plot_h
        r = MARKER / 2
        markers[name] = (px - r, py - r, px + r, py + r)
        if not text:
            continue
        w, h, gap = FONT * len(text), FONT * 1.2, r + 1
        v, hz = pos.split()
        top = {"top": py - gap - h, "bottom": py + gap, "middle": py - h / 2}[v]
        side = gap if v == "middle" else 0
        left = {"center": px - w / 2, "right": px + side, "left": px - w - side}[hz]
        labels[name] = (left, top, left + w, top + h)
    return labels, markers


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _demo_scatter():
    names = list(DEMO)
    return charts.scatter(
        [DEMO[n][0] for n in names],
        [DEMO[n][1] for n in names],
        names,
        title="t",
        x_title="联系覆盖率",
        y_title="逾期未联系人数",
        x_percent=True,
        y_percent=False,
    )


def test_scatter_labels_do_not_overlap_each_other_or_a_marker():
    fig = _demo_scatter()
    # 640 px is the narrowest plot the placement assumes; 1,000 px is the chart at 1600 px.
    for width in (640, 1000):
        labels, markers = _boxes(fig, width)
        for (a, box_a), (b, box_b) in itertools.combinations(labels.items(), 2):
            assert not _overlap(box_a, box_b), (width, a, b)
        for name, box in labels.items():
            for other, marker in markers.items():
                if other != name:
                    assert not _overlap(box, marker), (width, name, other)
    # The close points are each named beside their marker, and every name is in its tooltip.
    trace = fig.data[0]
    named = {t for t in trace.text if t}
    assert CLOSE <= named
    assert list(trace.customdata) == list(DEMO)
    assert "%{customdata}" in trace.hovertemplate
    positions = dict(zip(trace.customdata, trace.textposition))
    assert len({positions[n] for n in CLOSE}) > 1  # not all "top center" as before


def _coverage_chart(values, reference):
    names = [f"区{i}" for i in range(len(values))]
    return charts.bar_with_target(
        names,
        values,
        title="各区域联系覆盖率",
        target=1.0,
        target_label="目标 100%",
        reference=reference,
        reference_label=f"全市 {reference:.1%}",
    )


def test_coverage_bars_near_100_percent_get_a_zoomed_axis_that_says_so():
    """总览's and 联系覆盖's 各区域联系覆盖率 on the demo ledger: every bar between 98.2 % and
    99.9 %. From 0 they all look full; the axis starts under the lowest and says where."""
    values = sorted(v for v, _ in DEMO.values())
    fig = _coverage_chart(values, 0.99429)
    low, high = fig.layout.yaxis.range
    assert 0.95 <= low < min(values), low
    assert high > 1.0  # the target line and the label row above the bars stay in view
    # the lowest bar stands out from the axis: at least a fifth of the spread above its start
    assert min(values) - low >= (1.0 - min(values)) / 5
    notes = [a.text for a in fig.layout.annotations or []]
    assert f"纵轴从 {low * 100:g}% 起，未从 0 起" in notes, notes
    # the label row sits above every bar and the target line, inside the range
    row = [t for t in fig.data if getattr(t, "mode", None) == "text"][0].y[0]
    assert 1.0 < row < high


def test_coverage_bars_far_apart_keep_an_axis_from_zero():
    fig = _coverage_chart([0.55, 0.8, 0.97], 0.8)
    assert fig.layout.yaxis.range[0] == 0
    assert not [a for a in fig.layout.annotations or [] if "纵轴从" in (a.text or "")]


def test_the_axis_note_has_a_row_of_its_own_above_the_legend():
    """Issue 26: the 纵轴从 note shared the legend's row (right-aligned on it) and covered the
    legend at 390 px; it sits under the title, the plot starts lower to leave the legend its row."""
    fig = _coverage_chart(sorted(v for v, _ in DEMO.values()), 0.99429)
    note = next(a for a in fig.layout.annotations if "纵轴从" in (a.text or ""))
    top = fig.layout.margin.t
    assert note.yanchor == "top" and note.y == 1 and note.yref == "paper"
    assert top - note.yshift == charts.AXIS_NOTE_TOP  # the note's top, px under the figure's top
    assert top - charts.AXIS_NOTE_TOP >= 17 + 2 * 22  # the note, then room for two legend rows


def test_district_metric_bars_near_100_percent_take_the_same_zoom():
    """区县对比's per-metric bars: a rate with every area at 90 % or more is drawn on the same
    zoomed axis as the coverage charts, with the same note; a count or a low rate from zero."""
    values = [v for v, _ in DEMO.values()]
    names = list(DEMO)
    fig = charts.bars_with_reference(
        names, values, ids=names, title="t", reference=0.99429, reference_label="全市", percent=True
    )
    start = charts.zoomed_start(values, 0.99429)
    assert fig.layout.yaxis.range[0] == start
    assert [a.text for a in fig.layout.annotations if a.name == charts.AXIS_NOTE] == [
        f"纵轴从 {start * 100:g}% 起，未从 0 起"
    ]
    low = charts.bars_with_reference(
        names[:3], [0.02, 0.05, 0.01], ids=names[:3], title="t", reference=0.03, reference_label="全市", percent=True
    )
    assert low.layout.yaxis.range[0] == 0 and not low.layout.annotations
    counts = charts.bars_with_reference(
        names[:3], [95, 97, 99], ids=names[:3], title="t", reference=float("nan"), reference_label="", percent=False
    )
    assert counts.layout.yaxis.range[0] == 0
