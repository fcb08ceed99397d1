"""Plotly chart helpers: CJK fonts, number formats, colour-blind-safe status colours."""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import pickle
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import labels
from dashboard.single_flight import KeyLocks
from data_access import rules

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Okabe-Ito: distinguishable with every common colour-vision deficiency.
BLUE, ORANGE, GREEN, VERMILION, SKY, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#7F7F7F"
SERIES = (BLUE, ORANGE, GREEN, SKY, VERMILION, "#CC79A7", "#F0E442")
STATUS = {"ok": BLUE, "short": VERMILION, "over": ORANGE, "neutral": GREY}

# One palette per theme (the backgrounds of .streamlit/config.toml). Text colours meet
# WCAG AA (4.5:1) on the page background, lines and marks at least 3:1 (non-text contrast).
PALETTES = {
    "light": {
        "background": "#FFFFFF",
        "text": "#1B2430",  # 15.6:1
        "muted": "#4A5566",  # 7.6:1 (axis ticks, legend)
        "grid": "rgba(27,36,48,0.12)",
        "axis": "#8A94A3",
        "reference": "#5F6B7A",  # the city-wide line (5.4:1)
        "hover_bg": "#FFFFFF",
    },
    "dark": {
        "background": "#0F1722",
        "text": "#E8EDF4",  # 15.7:1
        "muted": "#BAC4D1",  # 10.5:1
        "grid": "rgba(232,237,244,0.16)",
        "axis": "#6B7788",
        "reference": "#A7B1BF",  # 8.4:1
        "hover_bg": "#1B2533",
    },
}


def theme_type() -> str:
    """ "dark" or "light": the theme the viewer's browser reported on this run."""
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:  # unit tests, the bench
        return "light"
    kind = st.context.theme.type
    return kind if kind in PALETTES else "light"


# ---------------------------------------------------------------------------- built once
# Building a figure (plotly validates every property it is given) was a sixth of a warm
# page's server CPU (py-spy, issue 22), for figures that only change with their data. Each
# builder below is memoised on its arguments and the viewer's theme; the figure is shared
# by every session that asks for the same one, so nobody may change a figure after it is
# built (Streamlit's st.plotly_chart only reads it).
FIGURES_KEPT = 2_000
_figures: OrderedDict[tuple, go.Figure] = OrderedDict()
_figures_lock = threading.Lock()


_PLAIN = {str, int, float, bool, type(None)}


def _key_of(value) -> object:
    """An exact, hashable stand-in for a builder's argument (a pandas repr is abridged)."""
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(value.columns), tuple(value.index), _key_of(value.to_numpy().tolist()))
    if isinstance(value, pd.Series | pd.Index | np.ndarray):
        return ("array", _key_of(list(value.tolist())))
    if isinstance(value, dict):
        return ("dict", tuple((_key_of(k), _key_of(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        if set(map(type, value)) <= _PLAIN:  # a flat list of plain values: a digest of its
            # pickle, which holds them exactly (a float's 8 bytes), 10x faster than repr
            digest = hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=32).digest()
            return (type(value).__name__, digest)
        return (type(value).__name__, tuple(_key_of(v) for v in value))
    if isinstance(value, float | np.floating):
        return ("float", repr(float(value)))
    return (type(value).__name__, repr(value))


_building = KeyLocks()


def _built(key: tuple) -> go.Figure | None:
    with _figures_lock:
        fig = _figures.get(key)
        if fig is not None:
            _figures.move_to_end(key)
        return fig


def built_once(build):
    """Memoise a figure builder (see above); a builder's result must not be changed later."""

    @functools.wraps(build)
    def cached(*args, **kwargs):
        key = (build.__module__, build.__qualname__, theme_type(), _key_of(args), _key_of(kwargs))
        fig = _built(key)
        if fig is not None:
            return fig
        with _building.computing(key):  # sessions asking for it at once: one builds it
            fig = _built(key)
            if fig is None:
                fig = build(*args, **kwargs)
                with _figures_lock:
                    _figures[key] = fig
                    while len(_figures) > FIGURES_KEPT:
                        _figures.popitem(last=False)
        return fig

    return cached


def palette(kind: str | None = None) -> dict[str, str]:
    return PALETTES[kind or theme_type()]


def _themed(layout: dict, data: list[dict], pal: dict[str, str]) -> None:
    """Every text and line of a figure in the colours of the active theme: titles, ticks,
    legend, annotations, hover labels; the neutral grey reference lines lightened or darkened."""
    layout["font"]["color"] = pal["text"]
    layout["title"].setdefault("font", {})["color"] = pal["text"]
    layout["legend"]["font"] = {"color": pal["muted"], "family": FONT}
    layout["hoverlabel"].update(
        {"bgcolor": pal["hover_bg"], "bordercolor": pal["axis"], "font": {"family": FONT, "color": pal["text"]}}
    )
    for key in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[key]
        axis.setdefault("tickfont", {})["color"] = pal["muted"]
        axis.setdefault("title", {}).setdefault("font", {})["color"] = pal["muted"]
        axis["linecolor"] = pal["axis"]
        axis["zerolinecolor"] = pal["axis"]
        if "gridcolor" in axis:
            axis["gridcolor"] = pal["grid"]
    for note in layout.get("annotations") or []:
        note.setdefault("font", {})["color"] = pal["text"]
    for shape in layout.get("shapes") or []:
        line = shape.get("line") or {}
        if line.get("color") == GREY:
            line["color"] = pal["reference"]
    for trace in data:
        line = trace.get("line") or {}
        if line.get("color") == GREY:
            line["color"] = pal["reference"]
        if "outsidetextfont" in trace:
            trace["outsidetextfont"]["color"] = pal["text"]


def _merge(into: dict, changes: dict) -> dict:
    """Nested update of plain dicts (what ``update_layout`` does, without its cost)."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


def _layout(fig: go.Figure, title: str, height: int, **overrides) -> go.Figure:
    """The house style (fonts, margins, transparent background, light grid) on ``fig``.

    Built as one plain dict and handed to a new figure: plotly's ``update_layout`` validates
    and dispatches every key on its own (≈ 15–40 ms a chart), building the figure from a
    dict takes a few milliseconds. ``overrides`` are layout settings applied last."""
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # the default template is applied again by the new figure
    _merge(
        layout,
        {
            "title": {
                "text": title,
                "font": {"family": FONT, "size": 16},
                "x": 0.5,
                "xanchor": "center",
                "y": 1.0,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 10},
            },
            "font": {"family": FONT, "size": 13},
            "height": height,
            "margin": {"l": 56, "r": 28, "t": 56, "b": 48},  # r: room for a rotated last label
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            # Above the plot, under the title: rotated tick labels never run into it.
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
            "hoverlabel": {"font": {"family": FONT}},
            "separators": ".,",
        },
    )
    for axis in [k for k in layout if k.startswith("xaxis")] or ["xaxis"]:
        layout.setdefault(axis, {})["showgrid"] = False
    for axis in [k for k in layout if k.startswith("yaxis")] or ["yaxis"]:
        layout.setdefault(axis, {})["gridcolor"] = "rgba(128,128,128,0.2)"
    data = [trace.to_plotly_json() for trace in fig.data]
    _narrow_few_bars(layout, data)
    legend = overrides.get("showlegend", layout.get("showlegend"))
    if legend is not False and any(t.get("showlegend") is not False and t.get("name") for t in data):
        layout["margin"]["t"] = 88  # title, then the legend row above the plot
    notes = [a for a in layout.get("annotations") or [] if a.get("name") == AXIS_NOTE]
    if notes:
        # The 纵轴从 X% 起 note on a row of its own under the title, the legend's row (or two,
        # where a phone wraps it) below it: they no longer share one row.
        layout["margin"]["t"] += 22
        for note in notes:
            note["yshift"] = layout["margin"]["t"] - AXIS_NOTE_TOP
    _merge(layout, overrides)
    _themed(layout, data, palette())
    return go.Figure(data=data, layout=layout)


FEW_BARS = 6  # fewer categories than this: bars as wide as they would be among six


def _narrow_few_bars(layout: dict, data: list[dict]) -> None:
    """A chart of one area (or two or three) drew one bar across the whole plot: bars keep
    the width they would have among ``FEW_BARS`` (issue 26). Only where bars do not sit
    side by side in groups (one bar trace, or stacked / overlaid)."""
    bars = [t for t in data if t.get("type") == "bar" and t.get("orientation") != "h"]
    if not bars or (len(bars) > 1 and layout.get("barmode") not in ("stack", "relative", "overlay")):
        return
    n = max(len(t.get("x") if t.get("x") is not None else ()) for t in bars)
    if 0 < n < FEW_BARS:
        for t in bars:
            t.setdefault("width", round(0.8 * n / FEW_BARS, 4))


def _reference_line(fig: go.Figure, y: float, label: str, colour: str, dash: str) -> None:
    """A horizontal line named in the legend (annotations collide with bar labels)."""
    fig.add_hline(y=y, line_dash=dash, line_color=colour, line_width=2)
    fig.add_trace(
        go.Scatter(x=[None], y=[None], mode="lines", name=label, line={"color": colour, "dash": dash, "width": 2})
    )


def wrap(text: str, width: int = 26) -> str:
    """Hover text in lines of about ``width`` characters (Chinese has no spaces to break at)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def hover_template(value_name: str | None, note: str | None, details: bool = False) -> str:
    """The tooltip of a bar: its name, the value (with what it counts, when given) and the 口径."""
    name = f"{value_name}：" if value_name else ""
    extra = "（%{customdata[1]}）" if details else ""
    definition = f"<br><span style='font-size:11px'>口径：{wrap(note)}</span>" if note else ""
    return f"<b>%{{x}}</b><br>{name}%{{text}}{extra}{definition}<extra></extra>"


def _label_row(fig: go.Figure, x: list, texts: list[str], y: float, custom) -> None:
    """Value labels in one row above the highest bar and every reference line, so a label
    never sits on a target or city line whatever the values are."""
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[y] * len(x),
            mode="text",
            text=[t.replace(" ▼", "<br>▼") for t in texts],
            textposition="middle center",
            textfont={"size": 12},
            customdata=custom,
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        )
    )


def _custom(ids: list[str] | None, fallback: list[str], details: list[str] | None):
    ids = [str(i) for i in (ids or fallback)]
    return [[i, d] for i, d in zip(ids, details)] if details else ids


def marked_value(v: float, lagging: bool, percent: bool = True, over: bool = False) -> str:
    """A bar's label: "98.8% ▼" for a rate that lags, "103.0% ▲" for one over its budget
    (the sign besides the colour), a count as "1,234", "—" where there is no value."""
    if v != v:
        return "—"
    mark = " ▼" if lagging else " ▲" if over else ""
    return f"{v * 100:.1f}%{mark}" if percent else f"{v:,.0f}"


def lag_bars(
    x: list,
    values: list[float],
    lagging: list[bool],
    *,
    custom,
    hovertemplate: str,
    percent: bool = True,
    over: list[bool] | None = None,
) -> tuple[go.Figure, list[str]]:
    """Bars from zero, those that lag vermilion and marked ▼ (colour and sign), those
    ``over`` (超支) orange and marked ▲, the others blue; returns the figure and the labels
    for ``_label_row``. Every chart that judges its bars (rules.lags, rules.budget_pace)
    draws them here."""
    over = over or [False] * len(values)
    text = [marked_value(v, s, percent, o) for v, s, o in zip(values, lagging, over)]
    colours = [STATUS["short"] if s else STATUS["over"] if o else STATUS["ok"] for s, o in zip(lagging, over)]
    bar = go.Bar(
        x=x,
        y=values,
        text=text,
        textposition="none",
        marker_color=colours,
        customdata=custom,
        hovertemplate=hovertemplate,
        showlegend=False,
    )
    return go.Figure(bar), text


PERCENT_TICKS = {"tickformat": ".0%", "tickvals": [0, 0.25, 0.5, 0.75, 1.0]}


@built_once
def bar_with_target(
    labels_x: list[str],
    values: list[float],
    *,
    title: str,
    target: float,
    target_label: str,
    ids: list[str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    percent: bool = True,
    height: int = 360,
    tick_angle: int | None = None,
    value_name: str | None = None,
    note: str | None = None,
    details: list[str] | None = None,
) -> go.Figure:
    """Bars from zero against a target line. Bars lagging the reference (the city-wide
    value) — or the target, without a reference — by ``rules.LAG`` or more (rules.lags) are
    marked in colour *and* text. Value labels sit in a row above the lines; the tooltip
    carries the value, what it counts (``details``) and the 口径 (``note``)."""
    bar = reference if reference is not None else target
    short = [rules.lags(v, bar) for v in values]
    custom = _custom(ids, labels_x, details)
    hover = hover_template(value_name, note, bool(details))
    fig, text = lag_bars(labels_x, values, short, custom=custom, hovertemplate=hover, percent=percent)
    _reference_line(fig, target, target_label, GREEN, "dash")
    if reference is not None:
        _reference_line(fig, reference, reference_label, GREY, "dot")
    if tick_angle is not None:
        fig.update_xaxes(tickangle=tick_angle, automargin=True)
    top = max([*values, target, reference if reference is not None else target, 0])
    row = top * 1.09 if top > 0 else 1
    start = zoomed_start(values, reference) if percent else None
    if start is not None:
        _zoomed_axis(fig, labels_x, text, custom, top, start)
        return _layout(fig, title, height)
    _label_row(fig, labels_x, text, row, custom)
    if percent:
        fig.update_yaxes(range=[0, row * 1.07], **PERCENT_TICKS)
    else:
        fig.update_yaxes(range=[0, row * 1.07], tickformat=",.0f")
    return _layout(fig, title, height)


ZOOM_ABOVE = 0.9  # rates all at or above this: a zoomed axis (bars from 0 would all look full)


def zoomed_start(values: list[float], reference: float | None = None) -> float | None:
    """Where a rate axis starts when every bar sits at ``ZOOM_ABOVE`` or more: half a point
    (or a third of the spread) under the lowest bar, rounded down to half a point; None to
    start at 0."""
    shown = [v for v in [*values, *([reference] if reference is not None else [])] if v == v]
    if not shown or min(shown) < ZOOM_ABOVE:
        return None
    low, high = min(shown), max(shown)
    pad = max(0.005, (high - low) / 3)
    return math.floor((low - pad) * 200) / 200


AXIS_NOTE = "axis_from"  # the name of the 纵轴从 X% 起 annotation (_layout gives it its own row)
AXIS_NOTE_TOP = 34  # px from the figure's top: just under the title


def _zoomed_axis(fig: go.Figure, x: list, text: list[str], custom, top: float, start: float) -> None:
    """Every bar at 90 % or more: the axis starts just under the lowest (``zoomed_start``) so
    the gaps between areas show, the value labels sit in a row above the bars and lines, and
    the chart says where the axis starts (issue 26). The note has a row of its own under the
    title, above the legend (``_layout``): at 390 px the two had shared one and overlapped."""
    row = top + (top - start) * 0.09
    _label_row(fig, x, text, row, custom)
    fig.update_yaxes(range=[start, row + (row - start) * 0.07], tickformat=".1%", nticks=6)
    fig.add_annotation(
        name=AXIS_NOTE,
        text=labels.AXIS_FROM.format(p=f"{start * 100:g}%"),
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 12},
    )


@built_once
def trend(x: list, series: dict[str, list[float]], *, title: str, unit: str, height: int = 360) -> go.Figure:
    """Small multiples, one panel per series with its own scale (retirees outnumber veterans
    fifty to one, so a shared axis would flatten the shrinking cohort). The panels are laid
    out as ``make_subplots(rows=1, cols=n, horizontal_spacing=0.1)`` would, written out."""
    n, spacing = len(series), 0.1
    width = (1 - spacing * (n - 1)) / n if n else 1.0
    traces, layout, titles = [], {}, []
    for i, ((name, ys), colour) in enumerate(zip(series.items(), SERIES), start=1):
        suffix = "" if i == 1 else str(i)
        left = (i - 1) * (width + spacing)
        right = 1.0 if i == n else left + width
        traces.append(
            go.Scatter(
                x=x,
                y=ys,
                name=name,
                mode="lines+markers+text",
                line={"color": colour, "width": 3},
                text=[f"{y:,.0f}" for y in ys],
                textposition="top center",
                cliponaxis=False,
                hovertemplate=f"%{{x}}：%{{y:,.0f}} {unit}<extra>{name}</extra>",
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
            )
        )
        low, high = min(ys), max(ys)
        pad = max((high - low) * 0.6, high * 0.02, 1)
        # Each year in the middle of its slot: the first year's label no longer sits over the
        # axis's tick labels ("30,997" over "31,000").
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            "domain": [left, right],
            "type": "category",
            "range": [-0.5, len(x) - 0.5],
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "domain": [0.0, 1.0],
            "range": [low - pad, high + pad],
            "tickformat": ",.0f",
        }
        titles.append(
            {
                "font": {"family": FONT, "size": 14},
                "showarrow": False,
                "text": name,
                "x": (left + right) / 2,
                "xanchor": "center",
                "xref": "paper",
                "y": 1.0,
                "yanchor": "bottom",
                "yref": "paper",
            }
        )
    layout["annotations"] = titles
    return _layout(go.Figure(traces, layout=layout), title, height, showlegend=False)


@built_once
def execution_bars(
    categories: list[str],
    rates: list[float],
    progress: float,
    *,
    title: str,
    progress_label: str,
    height: int = 320,
    ids: list[str] | None = None,
    value_name: str | None = None,
    note: str | None = None,
    details: list[str] | None = None,
) -> go.Figure:
    """Budget execution per category (from zero) against the straight time-progress line;
    bars whose status is 偏慢 are marked ▼ and those 超支 ▲ (rules.budget_pace, as in the
    执行状态 column: the table's "▲ 超支" has its ▲ on the bar); labels in a row above the
    bars and the line."""
    pace = [rules.budget_pace(r, progress) for r in rates]
    custom = _custom(ids, categories, details)
    hover = hover_template(value_name, note, bool(details))
    fig, text = lag_bars(
        categories,
        rates,
        [p == rules.BEHIND for p in pace],
        custom=custom,
        hovertemplate=hover,
        over=[p == rules.OVER for p in pace],
    )
    _reference_line(fig, progress, progress_label, GREEN, "dash")
    row = max([*rates, progress, 0.01]) * 1.1
    _label_row(fig, categories, text, row, custom)
    ticks = [t for t in (0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5) if t <= row]
    fig.update_yaxes(tickformat=".0%", range=[0, row * 1.08], tickvals=ticks)
    return _layout(fig, title, height)


@built_once
def bars_and_rate(
    x: list[str],
    bars: list[float],
    rates: list[float],
    *,
    title: str,
    bar_name: str,
    rate_name: str,
    height: int = 340,
) -> go.Figure:
    """Counts as bars with a rate as a line on its own axis (e.g. monthly contacts and coverage).
    The two-axis layout is written out (what ``make_subplots(secondary_y=True)`` produces, at
    a fraction of its cost)."""
    bar = go.Bar(
        x=x,
        y=bars,
        name=bar_name,
        marker_color=SKY,
        hovertemplate="%{x}：%{y:,.0f}<extra></extra>",
        xaxis="x",
        yaxis="y",
    )
    line = go.Scatter(
        x=x,
        y=rates,
        name=rate_name,
        mode="lines+markers",
        line={"color": BLUE, "width": 3},
        hovertemplate="%{x}：%{y:.1%}<extra></extra>",
        xaxis="x",
        yaxis="y2",
    )
    layout = {
        "xaxis": {"anchor": "y", "domain": [0.0, 0.94], "type": "category"},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "tickformat": ",.0f"},
        "yaxis2": {
            "anchor": "x",
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1.05],
            "dtick": 0.25,
            "showgrid": False,
        },
    }
    return _layout(go.Figure([bar, line], layout=layout), title, height)


@built_once
def mix(labels_y: list[str], values: list[float], *, title: str, height: int = 300) -> go.Figure:
    """A share breakdown as sorted horizontal bars labelled with count and percentage."""
    total = sum(values) or 1
    order = sorted(range(len(values)), key=lambda i: values[i])
    fig = go.Figure(
        go.Bar(
            y=[labels_y[i] for i in order],
            x=[values[i] for i in order],
            orientation="h",
            marker_color=BLUE,
            text=[f"{values[i]:,.0f}（{values[i] / total:.1%}）" for i in order],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(showticklabels=False, range=[0, max(values or [1]) * 1.35])
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height)


@built_once
def stacked_bars(
    x: list[str], stacks: dict[str, list[float]], *, ids: list[str], title: str, height: int = 360
) -> go.Figure:
    """Bars stacked by a breakdown (e.g. branch kind), totals on top; customdata = ids."""
    fig = go.Figure()
    for (name, ys), colour in zip(stacks.items(), SERIES):
        fig.add_trace(
            go.Bar(
                x=x,
                y=ys,
                name=name,
                marker_color=colour,
                customdata=ids,
                hovertemplate=f"%{{x}}：%{{y:,.0f}}<extra>{name}</extra>",
            )
        )
    totals = [sum(v) for v in zip(*stacks.values())] if stacks else []
    fig.add_trace(
        go.Scatter(
            x=x,
            y=totals,
            mode="text",
            text=[f"{t:,.0f}" for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(range=[0, max(totals or [1]) * 1.15])
    return _layout(fig, title, height, barmode="stack")


@built_once
def histogram_with_limits(
    values: list[float], *, title: str, low: float, high: float, low_label: str, high_label: str, height: int = 320
) -> go.Figure:
    """A distribution with two policy limits drawn (e.g. < 3 full members, > 50 members)."""
    fig = go.Figure(
        go.Histogram(
            x=values,
            xbins={"size": 5, "start": 0},
            marker_color=BLUE,
            hovertemplate="%{x} 人：%{y} 个支部<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=low, line_dash="dash", line_color=VERMILION, line_width=2)
    fig.add_vline(x=high, line_dash="dash", line_color=VERMILION, line_width=2)
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=f"{low_label} / {high_label}",
            line={"color": VERMILION, "dash": "dash", "width": 2},
        )
    )
    return _layout(fig, title, height)


@built_once
def timeline(dates: list, categories: list[str], *, title: str, order: list[str], height: int = 300) -> go.Figure:
    """Events as dots on a date axis, one row per category."""
    fig = go.Figure(
        go.Scatter(
            x=dates,
            y=categories,
            mode="markers",
            marker={"size": 11, "color": BLUE, "symbol": "circle"},
            hovertemplate="%{y}：%{x|%Y-%m-%d}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], type="category", automargin=True)
    fig.update_xaxes(tickformat="%Y-%m", showgrid=True, gridcolor="rgba(128,128,128,0.2)")
    return _layout(fig, title, height)


@built_once
def cumulative(
    x: list[str],
    spent: list[float],
    budget: float,
    progress: list[float],
    *,
    title: str,
    spent_name: str,
    budget_name: str,
    progress_name: str,
    height: int = 340,
) -> go.Figure:
    """Cumulative spending against the annual budget line and the straight time-progress line
    (amounts in 万元, which keeps the axis readable)."""
    spent = [v / 10_000 for v in spent]
    budget = budget / 10_000
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=spent,
            name=spent_name,
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
            hovertemplate="%{x}：%{y:,.2f} 万元<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[budget * p for p in progress],
            name=progress_name,
            mode="lines",
            line={"color": GREEN, "dash": "dash", "width": 2},
            hovertemplate="%{x}：%{y:,.2f} 万元<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[budget] * len(x),
            name=budget_name,
            mode="lines",
            line={"color": GREY, "dash": "dot", "width": 2},
            hovertemplate=f"{budget_name}：%{{y:,.2f}} 万元<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero", title_text="万元", automargin=True)
    fig.update_xaxes(type="category")
    return _layout(fig, title, height)


@built_once
def bars_with_reference(
    labels_x: list[str],
    values: list[float],
    *,
    ids: list[str],
    title: str,
    reference: float | None,
    reference_label: str,
    percent: bool,
    height: int = 340,
    note: str | None = None,
    lagging: list[bool] | None = None,
) -> go.Figure:
    """One metric per area against the city-wide value (a line); bars the caller judges
    ``lagging`` (rules.lags, for a rate where higher is better) are vermilion and marked ▼,
    as on the topic pages; labels in a row above the bars and the line. From zero, or — a
    rate with every bar at 90 % or more — on the zoomed axis of the coverage charts
    (``zoomed_start``), which says where it starts (issue 26)."""
    short = lagging or [False] * len(values)
    fig, text = lag_bars(labels_x, values, short, custom=ids, hovertemplate=hover_template(None, note), percent=percent)
    if reference is not None and reference != reference:
        reference = None
    if reference is not None:
        _reference_line(fig, reference, reference_label, GREY, "dot")
    known = [v for v in values if v == v]
    top = max([*known, reference if reference is not None else 0, 0])
    start = zoomed_start(values, reference) if percent else None
    if start is not None:
        _zoomed_axis(fig, labels_x, text, ids, top, start)
        return _layout(fig, title, height)
    row = top * 1.1 if top > 0 else 1
    _label_row(fig, labels_x, text, row, ids)
    fig.update_yaxes(tickformat=".0%" if percent else ",.0f", range=[0, row * 1.08])
    return _layout(fig, title, height)


@built_once
def profile(
    metric_labels: list[str], index: list[float], marks: list[str], *, title: str, height: int = 420
) -> go.Figure:
    """One area's metrics as an index against the city (city = 100), one row per metric,
    coloured by ``marks`` as the comparison judges each against the city
    (``comparison.profile_marks``, the rule of the metric chart's ▼): "worse" vermilion,
    "better" blue, "same" or "none" (descriptive) grey."""
    colours = [{"worse": VERMILION, "better": BLUE}.get(m, GREY) for m in marks]
    fig = go.Figure()
    fig.add_vline(x=100, line_dash="dash", line_color=GREY)
    fig.add_trace(
        go.Scatter(
            x=index,
            y=metric_labels,
            mode="markers+text",
            marker={"size": 14, "color": colours},
            text=["—" if v != v else f"{v:.0f}" for v in index],
            textposition="middle right",
            hovertemplate="%{y}：%{x:.0f}<extra></extra>",
            showlegend=False,
            cliponaxis=False,
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=metric_labels[::-1], automargin=True)
    return _layout(fig, title, height)


# Scatter labels are placed in an estimated pixel space: the plot at its narrowest desk width
# (the chart spans the main column, ≈ 1,000 px at 1600 px; assume less so labels keep clear).
SCATTER_PLOT_WIDTH = 640
SCATTER_MARGIN_TB = 56 + 48  # _layout's top and bottom margins
SCATTER_MARKER = 14
SCATTER_FONT = 13
# Where a label may sit around its point, tried in this order (plotly's textposition).
LABEL_POSITIONS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def _padded_range(values: list[float], pad: float = 0.08) -> list[float]:
    low, high = min(values), max(values)
    span = (high - low) or (abs(high) * 0.1) or 1.0
    return [low - span * pad, high + span * pad]


def label_box(px: float, py: float, text: str, position: str) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom; pixels, y downwards) a label of ``text`` takes at
    ``position`` around a marker centred on (px, py)."""
    w, h, gap = SCATTER_FONT * len(text), SCATTER_FONT * 1.25, SCATTER_MARKER / 2 + 2
    vertical, horizontal = position.split()
    if vertical == "top":
        top = py - gap - h
    elif vertical == "bottom":
        top = py + gap
    else:
        top = py - h / 2
    if horizontal == "center":
        left = px - w / 2
    elif horizontal == "right":
        left = px + (gap if vertical == "middle" else 0)
    else:
        left = px - w - (gap if vertical == "middle" else 0)
    return (left, top, left + w, top + h)


def boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def scatter_pixels(x: list[float], y: list[float], xr: list[float], yr: list[float], height: int):
    plot_h = height - SCATTER_MARGIN_TB
    return [
        (
            (xi - xr[0]) / (xr[1] - xr[0]) * SCATTER_PLOT_WIDTH,
            (yr[1] - yi) / (yr[1] - yr[0]) * plot_h,
        )
        for xi, yi in zip(x, y)
    ]


def place_labels(points: list[tuple[float, float]], names: list[str]) -> tuple[list[str], list[str]]:
    """Each label at the first position around its point that overlaps no marker and no label
    placed before; a name with no free place is left to the tooltip (its text ""). Points
    are placed from the most isolated to the most crowded, so crowding costs the fewest names."""
    r = SCATTER_MARKER / 2 + 1
    markers = [(px - r, py - r, px + r, py + r) for px, py in points]

    def crowd(i: int) -> float:
        px, py = points[i]
        return min((abs(px - qx) + abs(py - qy) for j, (qx, qy) in enumerate(points) if j != i), default=1e9)

    texts, positions, placed = [""] * len(points), ["top center"] * len(points), []
    for i in sorted(range(len(points)), key=crowd, reverse=True):
        px, py = points[i]
        for pos in LABEL_POSITIONS:
            box = label_box(px, py, names[i], pos)
            others = [m for j, m in enumerate(markers) if j != i]
            if not any(boxes_overlap(box, o) for o in [*others, *placed]):
                texts[i], positions[i] = names[i], pos
                placed.append(box)
                break
    return texts, positions


@built_once
def scatter(
    x: list[float],
    y: list[float],
    names: list[str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    x_percent: bool,
    y_percent: bool,
    height: int = 420,
) -> go.Figure:
    """Points named beside them without overlap (issue 26): close points take alternating
    places around their marker; a name with no free place is named in its tooltip only."""
    pairs = [(a, b) for a, b in zip(x, y) if a == a and b == b]
    xr = _padded_range([a for a, _ in pairs]) if pairs else None
    yr = _padded_range([b for _, b in pairs]) if pairs else None
    if pairs:
        texts, positions = place_labels(scatter_pixels(x, y, xr, yr, height), names)
    else:
        texts, positions = list(names), ["top center"] * len(names)
    xf = ".1%" if x_percent else ",.0f"
    yf = ".1%" if y_percent else ",.0f"
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=texts,
            textposition=positions,
            customdata=names,
            marker={"size": SCATTER_MARKER, "color": BLUE},
            hovertemplate=(
                f"<b>%{{customdata}}</b><br>{x_title}：%{{x:{xf}}}<br>{y_title}：%{{y:{yf}}}<extra></extra>"
            ),
            showlegend=False,
            cliponaxis=False,
        )
    )
    fig.update_xaxes(title_text=x_title, tickformat=xf, showgrid=True, gridcolor="rgba(128,128,128,0.2)")
    fig.update_yaxes(title_text=y_title, tickformat=yf)
    if pairs:
        fig.update_xaxes(range=xr)
        fig.update_yaxes(range=yr)
    return _layout(fig, title, height)
