"""The district comparison's sections (区县对比): the side-by-side table with ranks, the
drill links into an area, one metric across the areas, an area's profile, a scatter of two
metrics, and the year-over-year table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import charts, data, export, labels, navigation, theme, url_state
from dashboard import comparison as cmp
from dashboard.components import area_cards, phone_table, table, wide_table_hint
from dashboard.context import PageContext
from dashboard.overview import previous_filters


@dataclass(frozen=True)
class Comparison:
    now: pd.DataFrame  # one row an area (and the city's row where the account sees it)
    ranks: pd.DataFrame
    areas: list[str]  # the area rows, without the city's
    city_ok: bool  # a district account sees its own row only, no city-wide figures


def comparison(ctx: PageContext) -> Comparison:
    return _comparison(ctx, ctx.sees_city_wide)


@data.derived
def _comparison(ctx: PageContext, city_ok: bool) -> Comparison:
    """The matrix and its ranks, once per view and kind of account (whether it sees the city)."""
    f = ctx.filters
    now = cmp.comparison(ctx, f)
    if not city_ok:
        now = now.drop(index=cmp.CITY_ROW)
    ranks = cmp.ranks(now, cmp.progress(ctx, f))
    return Comparison(now, ranks, [a for a in now.index if a != cmp.CITY_ROW], city_ok)


def _pick(where, label: str, default: str, key: str) -> cmp.Metric:
    keys = [m.key for m in cmp.METRICS]
    return cmp.BY_KEY[
        where.selectbox(label, keys, index=keys.index(default), format_func=lambda k: cmp.BY_KEY[k].label, key=key)
    ]


CONTACT_KEYS = ("key_coverage", "coverage", "overdue", "overdue_rate", "festival")
TABLE_GROUPS = (
    tuple(m.key for m in cmp.METRICS if m.key in CONTACT_KEYS),
    tuple(m.key for m in cmp.METRICS if m.key not in CONTACT_KEYS),
)


@dataclass(frozen=True)
class TableParts:
    """What the comparison table draws, derived once per view: what its two styled tables are
    built from, their height, the composite's caption and why, the phone's area cards and the
    file."""

    tables: tuple  # cmp.Styled per TABLE_GROUPS
    height: int
    caption: str | None  # the composite (None: one area, or no metric behind it)
    cards: tuple  # the phone's area cards
    why: pd.DataFrame  # the composite, metric by metric
    exported: pd.DataFrame


@data.derived
def _table_parts(ctx: PageContext, city_ok: bool) -> TableParts:
    c, names = _comparison(ctx, city_ok), ctx.area_names
    now, ranks = c.now, c.ranks
    mean_rank, used = cmp.composite(now, ranks)
    why, _ = cmp.composite_frame(now, ranks, names)
    cards = tuple(_area_cards(c, names, mean_rank, used))
    tables = tuple(cmp.style_parts(now[list(keys)], ranks, names) for keys in TABLE_GROUPS)
    caption = None
    if len(c.areas) > 1 and used:
        order = mean_rank.dropna().sort_values(kind="stable")
        place = order.round(6).rank(method="min").astype(int)
        caption = labels.CMP_COMPOSITE.format(
            order=" · ".join(f"{place[a]} {names.get(a, a)}（{order[a]:.1f}）" for a in order.index),
            how=labels.SCREEN_RANK_HOW.format(n=len(used), metrics="、".join(m.label for m in used)),
        )
    height = min(35 * (len(now) + 1) + 3, 520)
    return TableParts(tables, height, caption, cards, why, cmp.export_frame(now, ranks, names))


def comparison_table(ctx: PageContext, c: Comparison) -> None:
    names = ctx.area_names
    config = {m.label: st.column_config.Column(help=m.rank_help) for m in cmp.METRICS}
    parts = _table_parts(ctx, c.city_ok)
    area_cards("comparison", list(parts.cards))
    with phone_table("comparison"):
        # Twelve metrics in one table overflow 1600 px and cut headers (issue 26): the contact
        # metrics in one table, the others in a second, each row an area in both.
        for i, (keys, styled) in enumerate(zip(TABLE_GROUPS, parts.tables, strict=True)):
            wide_table_hint(len(keys) + 1)
            st.dataframe(
                styled.styler(),  # a Styler of its own each run (see cmp.Styled)
                width="stretch",
                column_config=config,
                height=parts.height,
                key=f"cmp_table_{i}",
            )
    if parts.caption is not None:
        st.caption(parts.caption)
        with st.expander(labels.CMP_COMPOSITE_WHY):
            st.dataframe(parts.why, hide_index=True, width="stretch", key="cmp_composite_why")
    export.download_button(
        parts.exported,
        url_state.file_stem(labels.DISTRICTS_TITLE, ctx.selection, names, ctx.as_of),
        "dl_comparison",
        {"area": labels.COLUMNS["area"]},
    )


def _area_cards(c: Comparison, names, mean_rank, used) -> list[tuple[str, str, str, bool]]:
    """Per area (best composite first): its 综合名次 and its weakest rate behind the composite,
    ▼ where it is the last of all areas on it."""
    order = mean_rank.reindex(c.areas).sort_values(kind="stable", na_position="last")
    place = order.dropna().round(6).rank(method="min")
    out = []
    for a in order.index:
        rate = labels.AREA_CARD_PLACE.format(place=int(place[a])) if a in place.index else "—"
        note, bad = "", False
        ranked = [(int(c.ranks.loc[a, m.key]), m) for m in used if pd.notna(c.ranks.loc[a, m.key])]
        if ranked:
            rank, m = max(ranked, key=lambda rm: rm[0])
            n = int(c.ranks[m.key].notna().sum())
            bad = rank == n and n > 1
            note = labels.AREA_CARD_WEAKEST.format(
                mark="▼ " if bad else "", label=m.label, value=cmp.format_value(m, c.now.loc[a, m.key]), rank=rank, n=n
            )
        out.append((names.get(a, a), rate, note, bad))
    return out


def drill_links(ctx: PageContext, c: Comparison) -> str:
    """The area picker and the links into its topic pages; returns the area chosen."""
    names = ctx.area_names
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    chosen = left.selectbox(labels.PICK_AREA, c.areas, format_func=names.get, key="cmp_area")
    view = url_state.to_params(ctx.selection, ctx.as_of)
    with right, st.container(horizontal=True):
        for key in ("contacts", "branches", "money"):
            st.page_link(
                navigation.link_target(key),
                label=labels.DRILL_TO.format(page=labels.PAGE_TITLES[key], area=names[chosen]),
                icon=":material/open_in_new:",
                query_params={**view, "area": [chosen], "from": ["districts"]},
            )
    return chosen


@dataclass(frozen=True)
class MetricBars:
    """One metric across the areas (Comparison.areas' order), as its chart draws it."""

    values: tuple[float, ...]
    missing: tuple[str, ...]  # the names of the areas without a value
    reference: float | None  # the city's value (None: the account sees no city-wide figure)
    reference_label: str
    lagging: tuple[bool, ...] | None  # the ▼ (None: not judged)


@dataclass(frozen=True)
class ByMetric:
    """Every metric across the areas, derived once per view: the metric chart and the scatter
    only pick theirs."""

    names: tuple[str, ...]  # the areas' names, in Comparison.areas' order
    default: str  # the metric the chart opens on
    bars: dict  # metric key -> MetricBars


@data.derived
def _by_metric(ctx: PageContext, city_ok: bool) -> ByMetric:
    c, names = _comparison(ctx, city_ok), ctx.area_names
    now, areas = c.now, c.areas
    default = cmp.default_metric(now.loc[areas + ([cmp.CITY_ROW] if city_ok else [])]).key
    shown = now.loc[areas]
    bars = {}
    for m in cmp.METRICS:
        values = shown[m.key].tolist()
        city = now.loc[cmp.CITY_ROW, m.key] if city_ok else None
        lagging = cmp.lagging(now, m, areas) if city_ok else None
        bars[m.key] = MetricBars(
            values=tuple(values),
            missing=tuple(names[a] for a, v in zip(areas, values, strict=True) if v != v),
            reference=float(city) if city_ok else None,
            reference_label=f"{labels.CITY_WIDE} {cmp.format_value(m, city)}" if city_ok else "",
            lagging=None if lagging is None else tuple(lagging),
        )
    return ByMetric(tuple(names[a] for a in areas), default, bars)


def metric_bars(ctx: PageContext, c: Comparison) -> cmp.Metric:
    """One metric across the areas, against the city; returns the metric picked."""
    by = _by_metric(ctx, c.city_ok)
    metric_keys = [m.key for m in cmp.METRICS]
    metric = cmp.BY_KEY[
        st.selectbox(
            labels.PICK_METRIC,
            metric_keys,
            index=metric_keys.index(by.default),
            format_func=lambda k: cmp.BY_KEY[k].label,
            key="cmp_metric",
        )
    ]
    bars = by.bars[metric.key]
    if bars.missing:
        st.caption(labels.CMP_METRIC_MISSING.format(n=len(bars.missing), areas="、".join(bars.missing)))
    theme.plot(
        charts.bars_with_reference(
            list(by.names),
            list(bars.values),
            ids=list(c.areas),
            title=labels.CHART_METRIC_BY_AREA.format(metric=metric.label),
            reference=bars.reference,
            reference_label=bars.reference_label,
            percent=metric.kind == "rate",
            lagging=None if bars.lagging is None else list(bars.lagging),
        ),
        key="cmp_bars",
    )
    st.caption(metric.rank_help)
    return metric


@data.derived
def _profile(ctx: PageContext, city_ok: bool, chosen: str) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The chosen area's profile: its index against the city and how it stands per metric."""
    now = _comparison(ctx, city_ok).now
    return tuple(cmp.profile_index(now, chosen)), tuple(cmp.profile_marks(now, chosen))


def profile(ctx: PageContext, c: Comparison, chosen: str) -> None:
    if not c.city_ok:
        st.info(labels.NO_CITY_WIDE)
        return
    index, marks = _profile(ctx, c.city_ok, chosen)
    theme.plot(
        charts.profile(
            [m.label for m in cmp.PROFILE_METRICS],
            list(index),
            list(marks),
            title=labels.CHART_PROFILE.format(area=ctx.area_names[chosen]),
        ),
        key="cmp_profile",
    )
    st.caption(labels.CMP_PROFILE_NOTE)


def scatter(ctx: PageContext, c: Comparison) -> None:
    by = _by_metric(ctx, c.city_ok)
    cx, cy = st.columns(2)
    mx = _pick(cx, labels.PICK_X, "coverage", "cmp_x")
    my = _pick(cy, labels.PICK_Y, "overdue", "cmp_y")
    theme.plot(
        charts.scatter(
            list(by.bars[mx.key].values),
            list(by.bars[my.key].values),
            list(by.names),
            title=labels.CHART_SCATTER.format(x=mx.label, y=my.label),
            x_title=mx.label,
            y_title=my.label,
            x_percent=mx.kind == "rate",
            y_percent=my.kind == "rate",
        ),
        key="cmp_scatter",
    )


@data.derived
def _year_over_year(ctx: PageContext, city_ok: bool, metric_key: str) -> tuple[pd.DataFrame, int] | None:
    """The metric's 同比 table and how many areas it leaves out (None: the ledger does not
    reach back a year)."""
    prev = previous_filters(ctx)
    if prev is None:
        return None
    now = _comparison(ctx, city_ok).now
    yoy = cmp.year_over_year(now, cmp.comparison(ctx, prev), cmp.BY_KEY[metric_key], ctx.area_names)
    return yoy, len(now) - len(yoy)


def year_over_year(ctx: PageContext, c: Comparison, metric: cmp.Metric) -> None:
    names = ctx.area_names
    found = _year_over_year(ctx, c.city_ok, metric.key)
    if found is None:
        st.info(labels.YOY_NONE)
        return
    yoy, left_out = found
    st.caption(f"{metric.label}：{url_state.period_text(ctx.selection)} 与上年同期")
    if left_out:
        st.caption(labels.CMP_YOY_LEFT_OUT.format(n=left_out))
    table(
        yoy,
        percent=["before", "now"] if metric.kind == "rate" else (),
        key="cmp_yoy",
        stem=url_state.file_stem(f"{labels.DISTRICTS_TITLE}_同比_{metric.label}", ctx.selection, names, ctx.as_of),
    )
