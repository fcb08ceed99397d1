"""The silver talent pool page's sections (银发人才库): size, joined and left, by field, age
and area; activities by kind and field, participation; the trend by year. Drill: area →
field → the masked list of pool members."""

from __future__ import annotations

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


def area_chart(ctx: PageContext, f: Filters) -> None:
    """Pool members by area, a click drills into the area; beside it the area × field table."""
    df = pool(ctx, f, ("area_code",))
    order = [a for a in ctx.area_names if a in set(df["area_code"])]
    df = df.set_index("area_code").reindex(order).reset_index()
    fig = charts.bars_with_reference(
        [ctx.area_names[a] for a in df["area_code"]],
        numbers(df["pool"]).fillna(THRESHOLD).tolist(),
        ids=df["area_code"].tolist(),
        title=drill.by_area_title(ctx, labels.TL_CHART_AREAS, df["area_code"].tolist()),
        reference=None,
        reference_label="",
        percent=False,
    )
    _suppressed_bars(fig, df["pool"].tolist())
    chosen = drill.clickable_chart(fig, "tl_area_chart", labels.TL_DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    area_field_table(ctx, f)


def area_field_table(ctx: PageContext, f: Filters) -> None:
    """People by area × field (small cells hidden by the data layer where this viewer's are:
    within each area and each field, whose totals are both on the page)."""
    df = pool(ctx, f, ("area_code", "field"))
    df = df[numbers(df["pool"]).fillna(THRESHOLD) > 0]
    fields = [c for c in codes.TALENT_FIELDS if c in set(df["field"])]
    order = [a for a in ctx.area_names if a in set(df["area_code"])]
    cells = df.pivot(index="area_code", columns="field", values="pool").reindex(index=order, columns=fields)
    totals = pool(ctx, f, ("area_code",)).set_index("area_code")["pool"]  # people, once each
    shown = pd.DataFrame({"area": [ctx.area_names[a] for a in order], "tl_total": [totals[a] for a in order]})
    for field in fields:
        shown[f"tl_field_{field}"] = pd.Series(cells[field].fillna(0).tolist(), dtype=object)
    table(shown.astype({c: object for c in shown.columns[1:]}), key="tl_area_field", stem=stem(ctx, "分区域分领域"))
    small_cells_note(ctx)
    st.caption(labels.TL_MULTI_FIELD_NOTE)


def field_chart(ctx: PageContext, f: Filters, area: str) -> None:
    """Inside an area: pool members by field (small cells "<5"), a click lists the members."""
    df = pool(ctx, f, ("field",))
    df = df.set_index("field").reindex([c for c in codes.TALENT_FIELDS if c in set(df["field"])]).reset_index()
    shown = df
    fig = charts.bars_with_reference(
        [labels.TALENT_FIELD[c] for c in df["field"]],
        numbers(df["pool"]).fillna(THRESHOLD).tolist(),
        ids=df["field"].tolist(),
        title=labels.TL_CHART_AREA_FIELDS.format(area=ctx.area_names.get(area, area)),
        reference=None,
        reference_label="",
        percent=False,
    )
    _suppressed_bars(fig, shown["pool"].tolist())
    chosen = drill.clickable_chart(fig, "tl_field_chart", labels.TL_DRILL_HINT_AREA)
    if chosen:
        drill.go(area=area, category=chosen)
    out = shown.assign(tl_field=df["field"].map(labels.TALENT_FIELD)).rename(
        columns={"pool": "tl_pool", "participants": "tl_participants", "participation_rate": "tl_rate"}
    )
    table(
        out[["tl_field", "tl_pool", "tl_participants", "tl_rate"]],
        key="tl_area_fields",
        stem=stem(ctx, "分领域"),
        percent=["tl_rate"],
    )
    small_cells_note(ctx)


def structure(ctx: PageContext, f: Filters) -> None:
    """By field and by age band, as share bars."""
    left, right = st.columns(2)
    df = pool(ctx, f, ("field",))
    df = df[numbers(df["pool"]).fillna(1) + numbers(df["joined"]).fillna(1) + numbers(df["left"]).fillna(1) > 0]
    df = df.set_index("field")
    df = df.reindex([c for c in codes.TALENT_FIELDS if c in df.index]).reset_index()
    ages = pool(ctx, f, ("age_band",))
    ages = ages[numbers(ages["pool"]).fillna(THRESHOLD) > 0].set_index("age_band")
    ages = ages.reindex([b for b in codes.AGE_BANDS if b in ages.index]).reset_index()
    held = df[numbers(df["pool"]).fillna(THRESHOLD) > 0]
    for column, frame, names, title, key in (
        (
            left,
            held,
            [labels.TALENT_FIELD[c] for c in held["field"]],
            drill.scoped_title(ctx, f, labels.TL_CHART_FIELDS),
            "tl_fields_chart",
        ),
        (
            right,
            ages,
            [labels.AGE_BAND[b] for b in ages["age_band"]],
            drill.scoped_title(ctx, f, labels.TL_CHART_AGES),
            "tl_ages_chart",
        ),
    ):
        with column:
            if frame["pool"].map(is_hidden).any():  # a pie cannot say "<5": the tables below do
                st.caption(labels.TL_SMALL_CHART.format(title=title))
                continue
            theme.plot(charts.mix(names, frame["pool"].tolist(), title=title), key=key)
    out = df.assign(tl_field=df["field"].map(labels.TALENT_FIELD)).rename(
        columns={
            "pool": "tl_pool",
            "joined": "tl_joined",
            "left": "tl_left",
            "participants": "tl_participants",
            "participation_rate": "tl_rate",
        }
    )
    table(
        out[["tl_field", "tl_pool", "tl_joined", "tl_left", "tl_participants", "tl_rate"]],
        key="tl_fields",
        stem=stem(ctx, "分领域"),
        percent=["tl_rate"],
    )
    age_out = ages.rename(columns={"pool": "tl_pool"}).assign(tl_age_band=ages["age_band"].map(labels.AGE_BAND))
    table(age_out[["tl_age_band", "tl_pool"]], key="tl_ages", stem=stem(ctx, "分年龄段"))
    small_cells_note(ctx)


def activity(ctx: PageContext, f: Filters) -> None:
    left, right = st.columns(2)
    kinds = activities(ctx, f, ("kind",))
    kinds = kinds.set_index("kind").reindex([k for k in codes.TALENT_ACTIVITY_KINDS if k in set(kinds["kind"])])
    kinds = kinds.reset_index()
    with left:
        if kinds.empty:
            st.info(labels.TL_NO_ACTIVITY)
        else:
            theme.plot(
                charts.mix(
                    [labels.TALENT_ACTIVITY_KIND[k] for k in kinds["kind"]],
                    kinds["activities"].tolist(),
                    title=drill.scoped_title(ctx, f, labels.TL_CHART_KINDS),
                ),
                key="tl_kinds_chart",
            )
    with right:
        by_field = activities(ctx, f, ("field",))
        order = [c for c in codes.TALENT_FIELDS if c in set(by_field["field"])]
        by_field = by_field.set_index("field").reindex(order).reset_index()
        out = by_field.assign(tl_field=by_field["field"].map(labels.TALENT_FIELD)).rename(
            columns={"activities": "tl_activities", "people": "tl_activity_people"}
        )
        table(
            out[["tl_field", "tl_activities", "tl_activity_people"]],
            key="tl_activity_fields",
            stem=stem(ctx, "活动分领域"),
        )
    out = kinds.assign(tl_kind=kinds["kind"].map(labels.TALENT_ACTIVITY_KIND)).rename(
        columns={"activities": "tl_activities", "people": "tl_activity_people"}
    )
    table(
        out[["tl_kind", "tl_activities", "tl_activity_people"]], key="tl_activity_kinds", stem=stem(ctx, "活动分类型")
    )


def trend(ctx: PageContext, f: Filters) -> None:
    years = tuple(range(ctx.first_year, f.period.last_day.year + 1))
    df = data.query(tp.fetch_trend, f, ctx.scope, years=years, as_of=ctx.as_of)
    theme.plot(
        charts.bars_and_rate(
            [labels.TL_YEAR.format(y=y) for y in df["year"]],
            numbers(df["pool"]).tolist(),
            numbers(df["participation_rate"]).tolist(),
            title=drill.scoped_title(ctx, f, labels.TL_CHART_TREND),
            bar_name=labels.TL_SERIES_POOL,
            rate_name=labels.TL_SERIES_RATE,
        ),
        key="tl_trend_chart",
    )
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
    table(
        out[["year", "tl_pool", "tl_joined", "tl_left", "tl_activities", "tl_participants", "tl_rate"]],
        key="tl_trend",
        stem=stem(ctx, "历年变化"),
        percent=["tl_rate"],
    )


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
