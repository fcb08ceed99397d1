"""The silver talent pool page's sections (银发人才库): size, joined and left, by field, age
and area; activities by kind and field, participation; the trend by year. Drill: area →
field → the masked list of pool members."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, theme, url_state
from dashboard.components import kpi, lists_withheld, small_cells_note, table, yoy
from dashboard.context import PageContext
from data_access import codes
from data_access import talent as tp
from data_access.filters import Filters
from data_access.privacy import THRESHOLD, is_hidden, numbers


def pool(ctx: PageContext, f: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return data.query(tp.fetch_pool, f, ctx.scope, by=by)


def activities(ctx: PageContext, f: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return data.query(tp.fetch_activities, f, ctx.scope, by=by)


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level (area, then field in ``drill_category``) from the URL, checked against
    the filters and the field whitelist; filters narrowed to the area."""
    return drill.resolve_category(
        ctx, codes.TALENT_FIELDS, labels.TL_DRILL_NOTICE_FIELD, unit_notice=labels.TL_DRILL_NOTICE_UNIT
    )


stem = drill.stem_for(labels.TALENT_TITLE)


def _people(n) -> str:
    return labels.TL_PEOPLE.format(n=formatting.count(n))


def kpis(ctx: PageContext, f: Filters) -> None:
    s = pool(ctx, f).iloc[0]
    act = activities(ctx, f).iloc[0]
    prior = f.period.previous_year()
    before = pool(ctx, f.with_period(prior)).iloc[0] if prior.start.year >= ctx.first_year else None

    def change(col: str) -> str | None:
        if before is None:
            return labels.NO_PRIOR
        if is_hidden(s[col]) or is_hidden(before[col]):  # a change would give a hidden count away
            return None
        return yoy(int(s[col]), int(before[col]), lambda d: labels.TL_PEOPLE.format(n=formatting.signed(d)))

    cols = st.columns(5)
    kpi(cols[0], "tl_pool", _people(s["pool"]), change("pool"))
    kpi(cols[1], "tl_joined", _people(s["joined"]), change("joined"))
    kpi(cols[2], "tl_left", _people(s["left"]), change("left"))
    kpi(
        cols[3],
        "tl_activities",
        f"{int(act['activities']):,}",
        labels.TL_ACTIVITY_DELTA.format(n=formatting.count(act["people"])),
    )
    kpi(
        cols[4],
        "tl_participation",
        formatting.percent(s["participation_rate"]),
        labels.TL_PARTICIPATION_DELTA.format(n=formatting.count(s["participants"]), d=formatting.count(s["pool"])),
        count=_people(s["participants"]),
    )


def _suppressed_bars(fig, counts: list) -> None:
    """Hidden cells stay clickable: drawn up to the threshold, hatched, labelled as hidden."""
    bar = fig.data[0]
    hidden = [is_hidden(c) for c in counts]
    bar.y = [THRESHOLD if h else c for h, c in zip(hidden, counts)]
    bar.text = [c if h else f"{int(c):,}" for h, c in zip(hidden, counts)]
    bar.marker.color = [charts.GREY if h else charts.BLUE for h in hidden]
    bar.marker.pattern = {"shape": ["/" if h else "" for h in hidden]}


@dataclass(frozen=True)
class CountBars:
    """Bars of pool members (one an area or a field, hidden cells drawn up to the threshold)
    and their table, derived once per view (read-only: shared by sessions)."""

    names: list[str]
    values: list  # the bars' heights
    ids: list[str]
    counts: list  # the counts as they came ("<5" where hidden)
    shown: pd.DataFrame | None = None


@data.derived
def _area_bars(ctx: PageContext, f: Filters) -> CountBars:
    df = pool(ctx, f, ("area_code",))
    df = ctx.in_area_order(df)
    return CountBars(
        names=[ctx.area_names[a] for a in df["area_code"]],
        values=numbers(df["pool"]).fillna(THRESHOLD).tolist(),
        ids=df["area_code"].tolist(),
        counts=df["pool"].tolist(),
    )


def area_chart(ctx: PageContext, f: Filters) -> None:
    """Pool members by area, a click drills into the area; beside it the area × field table."""
    bars = _area_bars(ctx, f)
    fig = charts.bars_with_reference(
        bars.names,
        bars.values,
        ids=bars.ids,
        title=drill.by_area_title(ctx, labels.TL_CHART_AREAS, bars.ids),
        reference=None,
        reference_label="",
        percent=False,
    )
    _suppressed_bars(fig, bars.counts)
    chosen = drill.clickable_chart(fig, "tl_area_chart", labels.TL_DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    area_field_table(ctx, f)


@data.derived
def _area_field_rows(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """People by area × field as the table shows them, once per view."""
    df = pool(ctx, f, ("area_code", "field"))
    df = df[numbers(df["pool"]).fillna(THRESHOLD) > 0]
    fields = [c for c in codes.TALENT_FIELDS if c in set(df["field"])]
    order = [a for a in ctx.area_names if a in set(df["area_code"])]
    cells = df.pivot(index="area_code", columns="field", values="pool").reindex(index=order, columns=fields)
    totals = pool(ctx, f, ("area_code",)).set_index("area_code")["pool"]  # people, once each
    shown = pd.DataFrame({"area": [ctx.area_names[a] for a in order], "tl_total": [totals[a] for a in order]})
    for field in fields:
        shown[f"tl_field_{field}"] = pd.Series(cells[field].fillna(0).tolist(), dtype=object)
    return shown.astype({c: object for c in shown.columns[1:]})


def area_field_table(ctx: PageContext, f: Filters) -> None:
    """People by area × field (small cells hidden by the data layer where this viewer's are:
    within each area and each field, whose totals are both on the page)."""
    table(_area_field_rows(ctx, f), key="tl_area_field", stem=stem(ctx, "分区域分领域"))
    small_cells_note(ctx)
    st.caption(labels.TL_MULTI_FIELD_NOTE)


@data.derived
def _field_bars(ctx: PageContext, f: Filters) -> CountBars:
    df = pool(ctx, f, ("field",))
    df = df.set_index("field").reindex([c for c in codes.TALENT_FIELDS if c in set(df["field"])]).reset_index()
    out = df.assign(tl_field=df["field"].map(labels.TALENT_FIELD)).rename(
        columns={"pool": "tl_pool", "participants": "tl_participants", "participation_rate": "tl_rate"}
    )
    return CountBars(
        names=[labels.TALENT_FIELD[c] for c in df["field"]],
        values=numbers(df["pool"]).fillna(THRESHOLD).tolist(),
        ids=df["field"].tolist(),
        counts=df["pool"].tolist(),
        shown=out[["tl_field", "tl_pool", "tl_participants", "tl_rate"]],
    )


def field_chart(ctx: PageContext, f: Filters, area: str) -> None:
    """Inside an area: pool members by field (small cells "<5"), a click lists the members."""
    bars = _field_bars(ctx, f)
    fig = charts.bars_with_reference(
        bars.names,
        bars.values,
        ids=bars.ids,
        title=labels.TL_CHART_AREA_FIELDS.format(area=ctx.area_names.get(area, area)),
        reference=None,
        reference_label="",
        percent=False,
    )
    _suppressed_bars(fig, bars.counts)
    chosen = drill.clickable_chart(fig, "tl_field_chart", labels.TL_DRILL_HINT_AREA)
    if chosen:
        drill.go(area=area, category=chosen)
    table(bars.shown, key="tl_area_fields", stem=stem(ctx, "分领域"), percent=["tl_rate"])
    small_cells_note(ctx)


@dataclass(frozen=True)
class Mix:
    """A share chart's slices (read-only); ``hidden``: a count is hidden, so no pie."""

    names: list[str]
    values: list
    hidden: bool


@dataclass(frozen=True)
class StructureParts:
    """By field and by age band: the two share charts and their tables, once per view."""

    fields: Mix
    ages: Mix
    field_rows: pd.DataFrame
    age_rows: pd.DataFrame


@data.derived
def _structure_parts(ctx: PageContext, f: Filters) -> StructureParts:
    df = pool(ctx, f, ("field",))
    df = df[numbers(df["pool"]).fillna(1) + numbers(df["joined"]).fillna(1) + numbers(df["left"]).fillna(1) > 0]
    df = df.set_index("field")
    df = df.reindex([c for c in codes.TALENT_FIELDS if c in df.index]).reset_index()
    ages = pool(ctx, f, ("age_band",))
    ages = ages[numbers(ages["pool"]).fillna(THRESHOLD) > 0].set_index("age_band")
    ages = ages.reindex([b for b in codes.AGE_BANDS if b in ages.index]).reset_index()
    held = df[numbers(df["pool"]).fillna(THRESHOLD) > 0]
    out = df.assign(tl_field=df["field"].map(labels.TALENT_FIELD)).rename(
        columns={
            "pool": "tl_pool",
            "joined": "tl_joined",
            "left": "tl_left",
            "participants": "tl_participants",
            "participation_rate": "tl_rate",
        }
    )
    age_out = ages.rename(columns={"pool": "tl_pool"}).assign(tl_age_band=ages["age_band"].map(labels.AGE_BAND))
    return StructureParts(
        fields=Mix(
            [labels.TALENT_FIELD[c] for c in held["field"]],
            held["pool"].tolist(),
            bool(held["pool"].map(is_hidden).any()),
        ),
        ages=Mix(
            [labels.AGE_BAND[b] for b in ages["age_band"]],
            ages["pool"].tolist(),
            bool(ages["pool"].map(is_hidden).any()),
        ),
        field_rows=out[["tl_field", "tl_pool", "tl_joined", "tl_left", "tl_participants", "tl_rate"]],
        age_rows=age_out[["tl_age_band", "tl_pool"]],
    )


def structure(ctx: PageContext, f: Filters) -> None:
    """By field and by age band, as share bars."""
    left, right = st.columns(2)
    parts = _structure_parts(ctx, f)
    for column, mix, title, key in (
        (left, parts.fields, drill.scoped_title(ctx, f, labels.TL_CHART_FIELDS), "tl_fields_chart"),
        (right, parts.ages, drill.scoped_title(ctx, f, labels.TL_CHART_AGES), "tl_ages_chart"),
    ):
        with column:
            if mix.hidden:  # a pie cannot say "<5": the tables below do
                st.caption(labels.TL_SMALL_CHART.format(title=title))
                continue
            theme.plot(charts.mix(mix.names, mix.values, title=title), key=key)
    table(parts.field_rows, key="tl_fields", stem=stem(ctx, "分领域"), percent=["tl_rate"])
    table(parts.age_rows, key="tl_ages", stem=stem(ctx, "分年龄段"))
    small_cells_note(ctx)


@dataclass(frozen=True)
class ActivityParts:
    """Activities by kind (the chart; None when there were none) and the two tables."""

    kinds: Mix | None
    field_rows: pd.DataFrame
    kind_rows: pd.DataFrame


@data.derived
def _activity_parts(ctx: PageContext, f: Filters) -> ActivityParts:
    kinds = activities(ctx, f, ("kind",))
    kinds = kinds.set_index("kind").reindex([k for k in codes.TALENT_ACTIVITY_KINDS if k in set(kinds["kind"])])
    kinds = kinds.reset_index()
    by_field = activities(ctx, f, ("field",))
    order = [c for c in codes.TALENT_FIELDS if c in set(by_field["field"])]
    by_field = by_field.set_index("field").reindex(order).reset_index()
    field_out = by_field.assign(tl_field=by_field["field"].map(labels.TALENT_FIELD)).rename(
        columns={"activities": "tl_activities", "people": "tl_activity_people"}
    )
    kind_out = kinds.assign(tl_kind=kinds["kind"].map(labels.TALENT_ACTIVITY_KIND)).rename(
        columns={"activities": "tl_activities", "people": "tl_activity_people"}
    )
    return ActivityParts(
        kinds=None
        if kinds.empty
        else Mix([labels.TALENT_ACTIVITY_KIND[k] for k in kinds["kind"]], kinds["activities"].tolist(), False),
        field_rows=field_out[["tl_field", "tl_activities", "tl_activity_people"]],
        kind_rows=kind_out[["tl_kind", "tl_activities", "tl_activity_people"]],
    )


def activity(ctx: PageContext, f: Filters) -> None:
    left, right = st.columns(2)
    parts = _activity_parts(ctx, f)
    with left:
        if parts.kinds is None:
            st.info(labels.TL_NO_ACTIVITY)
        else:
            theme.plot(
                charts.mix(
                    parts.kinds.names,
                    parts.kinds.values,
                    title=drill.scoped_title(ctx, f, labels.TL_CHART_KINDS),
                ),
                key="tl_kinds_chart",
            )
    with right:
        table(parts.field_rows, key="tl_activity_fields", stem=stem(ctx, "活动分领域"))
    table(parts.kind_rows, key="tl_activity_kinds", stem=stem(ctx, "活动分类型"))


@dataclass(frozen=True)
class TrendParts:
    """The pool and participation year by year: the chart's series and the table, once per view."""

    years: list[str]
    pool: list
    rates: list
    shown: pd.DataFrame


@data.derived
def _trend_parts(ctx: PageContext, f: Filters) -> TrendParts:
    years = tuple(range(ctx.first_year, f.period.last_day.year + 1))
    df = data.query(tp.fetch_trend, f, ctx.scope, years=years, as_of=ctx.as_of)
    out = df.rename(
        columns={
            "pool": "tl_pool",
            "joined": "tl_joined",
            "left": "tl_left",
            "participants": "tl_participants",
            "participation_rate": "tl_rate",
            "activities": "tl_activities",
        }
    )
    out["year"] = out["year"].astype(str)
    return TrendParts(
        years=[labels.TL_YEAR.format(y=y) for y in df["year"]],
        pool=numbers(df["pool"]).tolist(),
        rates=numbers(df["participation_rate"]).tolist(),
        shown=out[["year", "tl_pool", "tl_joined", "tl_left", "tl_activities", "tl_participants", "tl_rate"]],
    )


def trend(ctx: PageContext, f: Filters) -> None:
    parts = _trend_parts(ctx, f)
    theme.plot(
        charts.bars_and_rate(
            parts.years,
            parts.pool,
            parts.rates,
            title=drill.scoped_title(ctx, f, labels.TL_CHART_TREND),
            bar_name=labels.TL_SERIES_POOL,
            rate_name=labels.TL_SERIES_RATE,
        ),
        key="tl_trend_chart",
    )
    table(parts.shown, key="tl_trend", stem=stem(ctx, "历年变化"), percent=["tl_rate"])


def members(ctx: PageContext, f: Filters, area: str, field: str) -> None:
    if lists_withheld(ctx):
        return
    df = data.query(tp.fetch_members, f, ctx.scope, field=field, unmasked=ctx.can_unmask)
    st.caption(
        labels.TL_MEMBERS_CAPTION.format(
            area=ctx.area_names.get(area, area),
            field=labels.TALENT_FIELD[field],
            n=f"{len(df):,}",
            m=f"{int((df['activities'] > 0).sum()):,}",
            period=url_state.period_text(ctx.selection),
        )
    )
    shown = df.assign(
        tl_name=df["name"],
        tl_age=df["age"],
        tl_field=df["field"].map(labels.TALENT_FIELD),
        area=df["area_code"].map(ctx.area_names),
        unit=df["unit_name"].fillna("—"),
        tl_joined_on=df["joined_on"],
        tl_member_activities=df["activities"],
    )
    table(
        shown[["tl_name", "tl_age", "tl_field", "area", "unit", "tl_joined_on", "tl_member_activities"]],
        key="tl_members",
        stem=stem(ctx, "人才名单"),
        dates=["tl_joined_on"],
        height=460,
    )
