"""Charts of the 重点人群 and 精准服务 pages, in the house style of ``dashboard.charts``
(CJK fonts, Okabe-Ito colours, status carried by a sign as well as a colour)."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import charts
from dashboard.charts import BLUE, GREEN, GREY, ORANGE, SKY, VERMILION
from data_access import rules


def _reference(fig: go.Figure, y: float | None, label: str, colour: str = GREY, dash: str = "dot") -> None:
    if y is None or y != y:
        return
    fig.add_hline(y=y, line_dash=dash, line_color=colour, line_width=2)
    fig.add_trace(
        go.Scatter(x=[None], y=[None], mode="lines", name=label, line={"color": colour, "dash": dash, "width": 2})
    )


@charts.built_once
def share_bars(
    x: list[str],
    shares: list[float | None],
    texts: list[str],
    *,
    ids: list[str],
    title: str,
    reference: float | None,
    reference_label: str,
    height: int = 380,
) -> go.Figure:
    """A share per area, labelled with the count (hidden cells carry "<5" and no bar); the
    city-wide share as a dotted line. Neutral colour: a higher share is not a judgement."""
    fig = go.Figure(
        go.Bar(
            x=x,
            y=[0 if s is None else s for s in shares],
            text=texts,
            # Inside the top of the bar where it fits (clear of the city line), else above it.
            textposition="auto",
            insidetextanchor="end",
            insidetextfont={"color": "white"},
            outsidetextfont={"color": "#31333F"},
            textangle=0,
            cliponaxis=False,
            marker_color=BLUE,
            customdata=ids,
            hovertemplate="%{x}：%{text}<extra></extra>",
            showlegend=False,
        )
    )
    hidden = [i for i, s in enumerate(shares) if not s]
    if hidden:  # a hidden or empty cell has no bar: say so on the axis rather than leave a gap
        fig.add_trace(
            go.Scatter(
                x=[x[i] for i in hidden],
                y=[0] * len(hidden),
                text=[texts[i] for i in hidden],
                mode="text",
                textposition="top center",
                cliponaxis=False,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    _reference(fig, reference, reference_label)
    top = max([s for s in shares if s is not None] + [reference or 0, 0.001])
    fig.update_yaxes(tickformat=".0%" if top >= 0.05 else ".1%", range=[0, top * 1.25])
    return charts._layout(fig, title, height)


@charts.built_once
def group_bars(
    names: list[str],
    counts: list[float],
    texts: list[str],
    *,
    ids: list[str],
    sub: list[bool],
    title: str,
    height: int = 560,
) -> go.Figure:
    """Horizontal bars, one per group in catalogue order (top to bottom); customdata = ids;
    sub-items (``sub``) in a lighter blue under their parent."""
    fig = go.Figure(
        go.Bar(
            y=names,
            x=counts,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker_color=[SKY if s else BLUE for s in sub],
            customdata=ids,
            hovertemplate="%{y}：%{text}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True)
    fig.update_xaxes(showticklabels=False, range=[0, max(counts + [1]) * 1.3])
    fig = charts._layout(fig, title, height, margin={"l": 16, "r": 16, "t": 56, "b": 24})
    return fig


@charts.built_once
def rate_bars(
    x: list[str],
    rates: list[float],
    *,
    ids: list[str],
    title: str,
    reference: float | None,
    reference_label: str,
    target_label: str,
    height: int = 380,
    note: str | None = None,
) -> go.Figure:
    """Rates from zero against 100% and an average: bars lagging the average (rules.lags: 1
    point or more below) are vermilion and marked ▼ (colour and sign), the others blue.
    Labels in a row above the lines."""
    short = [rules.lags(r, reference) for r in rates]
    fig, text = charts.lag_bars(x, rates, short, custom=ids, hovertemplate=charts.hover_template(None, note))
    _reference(fig, 1.0, target_label, GREEN, "dash")
    _reference(fig, reference, reference_label)
    top = max([r for r in rates if r == r] + [1.0])
    row = top * 1.09
    charts._label_row(fig, x, text, row, ids)
    fig.update_yaxes(range=[0, row * 1.07], **charts.PERCENT_TICKS)
    return charts._layout(fig, title, height)


@charts.built_once
def share_trend(years: list[int], series: dict[str, list[float]], *, title: str, height: int = 360) -> go.Figure:
    """Shares over the years, one line per series, each point labelled."""
    fig = go.Figure()
    for (name, ys), colour in zip(series.items(), (VERMILION, ORANGE, BLUE, GREEN)):
        fig.add_trace(
            go.Scatter(
                x=[str(y) for y in years],
                y=ys,
                name=name,
                mode="lines+markers+text",
                line={"color": colour, "width": 3},
                text=[f"{v * 100:.1f}%" for v in ys],
                textposition="top center",
                cliponaxis=False,
                hovertemplate="%{x}：%{y:.1%}<extra>" + name + "</extra>",
            )
        )
    top = max([v for ys in series.values() for v in ys] + [0.01])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.3])
    fig.update_xaxes(type="category")
    return charts._layout(fig, title, height)


@charts.built_once
def provider_mix(names: list[str], values: list[float], texts: list[str], *, title: str, height: int = 280):
    """Delivered requests per provider as horizontal bars, largest on top, room for labels."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    fig = go.Figure(
        go.Bar(
            y=[names[i] for i in order],
            x=[values[i] for i in order],
            orientation="h",
            marker_color=BLUE,
            text=[texts[i] for i in order],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{text}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(showticklabels=False, range=[0, max(values or [1]) * 1.7])
    fig.update_yaxes(automargin=True)
    fig = charts._layout(fig, title, height, margin={"l": 16, "r": 16, "t": 56, "b": 24})
    return fig
