"""The contact-coverage page's sections (联系覆盖): KPIs, coverage with drill-down, tier
cadence, festival and 五必访 visits, trend and mix, pairing, the overdue list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, metrics, theme
from dashboard.components import kpi, lists_withheld, table
from dashboard.context import PageContext
from data_access import contacts
from data_access.filters import Filters

UNITS_IN_CHART = 20


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level from the URL, checked against the filters; filters narrowed to it."""
    return drill.resolve_unit(ctx, labels.DRILL_NOTICE_UNIT)


def unit_coverage(ctx: PageContext, f: Filters) -> pd.DataFrame:
    return data.query(contacts.fetch_coverage, f, ctx.scope, by=("unit_id", "unit_name"))


stem = drill.stem_for(labels.CONTACTS_TITLE)


def unit_level(ctx: PageContext, f: Filters, level: drill.Drill) -> tuple[drill.Drill, str | None]:
    """The level shown and its unit's name: a unit not among the area's goes back to the
    area, with a warning (a unit is only drilled below an area, see ``resolve``)."""
    if not level.unit:
        return level, None
    units = unit_coverage(ctx, f)
    match = units[units["unit_id"].astype(str) == level.unit]
    if match.empty:
        st.warning(labels.DRILL_NOTICE_UNIT.format(value=level.unit), icon=":material/warning:")
        return drill.Drill(level.area), None
    return level, str(match.iloc[0]["unit_name"])


def _people(n) -> str:
    return labels.UNIT_PEOPLE.format(n=formatting.count(n))


@data.derived
def _kpi_figures(ctx: PageContext, f: Filters) -> tuple:
    """The six cards' figures, read and combined once per view (a warm run only formats them)."""
    s = ctx.scope
    key = data.query(contacts.fetch_coverage, f, s, key_cohort_only=True).iloc[0]
    cov = data.query(contacts.fetch_coverage, f, s).iloc[0]
    overdue = int(data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of)["overdue"].sum())
    fest = data.query(contacts.fetch_festival_completion, f, s, as_of=ctx.as_of)
    events = data.query(contacts.fetch_event_timeliness, f, s).set_index("event_type")
    hosp = events.reindex(["hospitalisation"]).iloc[0].fillna({"events": 0, "on_time": 0})
    pair = data.query(contacts.fetch_pairing_coverage, f, s).iloc[0]
    festival = (int(fest["listed"].sum()), int(fest["visited"].sum()), len(fest))
    return key, cov, overdue, festival, hosp, pair


def kpis(ctx: PageContext, f: Filters) -> None:
    key, cov, overdue, (listed, visited, festivals), hosp, pair = _kpi_figures(ctx, f)
    cols = [c for _ in range(2) for c in st.columns(3)]
    if int(key["population"]) == 0:
        key_delta = labels.NO_KEY_COHORT
    elif int(key["unreached"]) == 0:
        key_delta = labels.TARGET_MET
    else:
        key_delta = labels.TARGET_SHORT.format(n=f"{int(key['unreached']):,}")
    kpi(cols[0], "key_coverage", formatting.percent(key["coverage"]), key_delta, count=_people(key["reached"]))
    kpi(
        cols[1],
        "coverage",
        formatting.percent(cov["coverage"]),
        f"未联系 {int(cov['unreached']):,} 人",  # ≠ 逾期未联系: UNREACHED_VS_OVERDUE below
        count=_people(cov["reached"]),
    )
    kpi(cols[2], "overdue", f"{overdue:,} 人")
    kpi(
        cols[3],
        "festival",
        formatting.percent(visited / listed if listed else float("nan")),
        f"{festivals} 个节日 · 未走访 {listed - visited:,} 人",
        count=labels.UNIT_PERSON_TIMES.format(n=formatting.count(visited)),
    )
    kpi(
        cols[4],
        "hospital",
        formatting.percent(hosp["timeliness"]),
        f"{int(hosp['events']):,} 件住院",
        count=labels.SERVICES_CASES.format(n=formatting.count(hosp["on_time"])),
    )
    kpi(
        cols[5],
        "pairing",
        formatting.percent(pair["coverage"]),
        labels.ON_ROLL.format(n=formatting.count(pair["population"])),
        count=_people(pair["paired"]),
    )
    st.caption(labels.UNREACHED_VS_OVERDUE)


@data.derived
def _by_category(ctx: PageContext, f: Filters) -> pd.DataFrame:
    df = formatting.in_category_order(data.query(contacts.fetch_coverage, f, ctx.scope, by=("category",)))
    df = df.assign(category=df["category"].map(labels.CATEGORY))
    return df[["category", "population", "reached", "unreached", "coverage"]]


def coverage_by_category(ctx: PageContext, f: Filters) -> None:
    table(
        _by_category(ctx, f),
        key="cov_category",
        stem=stem(ctx, "分类别覆盖"),
        percent=["coverage"],
    )


@data.derived
def _by_area(ctx: PageContext, f: Filters) -> tuple:
    """The chart's bars (names, rates, codes, hover details), the view's own rate and the
    table, lowest coverage first."""
    by_area = data.query(contacts.fetch_coverage, f, ctx.scope, by=("area_code",)).sort_values("coverage")
    city = float(data.query(contacts.fetch_coverage, f, ctx.scope).iloc[0]["coverage"])
    codes_ = by_area["area_code"].tolist()
    bars = (
        [ctx.area_names.get(a, a) for a in codes_],
        by_area["coverage"].tolist(),
        codes_,
        [
            labels.HOVER_REACHED.format(reached=formatting.count(r), population=formatting.count(n))
            for r, n in zip(by_area["reached"], by_area["population"])
        ],
    )
    shown = by_area.assign(area=by_area["area_code"].map(ctx.area_names))
    return bars, city, shown[["area", "population", "reached", "unreached", "coverage"]]


def area_chart(ctx: PageContext, f: Filters) -> None:
    """Coverage by area against 100% and the city-wide value; a click drills into the area."""
    (names, rates, ids, details), city, shown = _by_area(ctx, f)
    fig = charts.bar_with_target(
        names,
        rates,
        ids=ids,
        title=drill.by_area_title(ctx, labels.CHART_COVERAGE_BY_AREA, ids),
        target=1.0,
        target_label=labels.TARGET_LINE,
        reference=city,
        reference_label=labels.REFERENCE_LINE.format(where=drill.where_label(ctx, f), p=formatting.percent(city)),
        value_name=labels.HOVER_COVERAGE,
        note=metrics.get("coverage").help,
        details=details,
    )
    chosen = drill.clickable_chart(fig, "area_chart", labels.DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    table(
        shown,
        key="cov_area",
        stem=stem(ctx, "分区域覆盖"),
        percent=["coverage"],
    )


def unit_chart(ctx: PageContext, f: Filters, area: str) -> pd.DataFrame:
    """Coverage by unit inside an area (the lowest first); a click drills into the unit."""
    units = unit_coverage(ctx, f).sort_values(["coverage", "population"], ascending=[True, False])
    low = units.head(UNITS_IN_CHART)
    area_cov = data.query(contacts.fetch_coverage, f, ctx.scope).iloc[0]
    area_name = ctx.area_names.get(area, area)
    fig = charts.bar_with_target(
        [n.removeprefix(area_name).removeprefix("兰州市") or n for n in low["unit_name"]],
        low["coverage"].tolist(),
        ids=[str(u) for u in low["unit_id"]],
        title=labels.CHART_COVERAGE_BY_UNIT.format(area=ctx.area_names.get(area, area), n=len(low)),
        target=1.0,
        target_label=labels.TARGET_LINE,
        reference=float(area_cov["coverage"]),
        reference_label=labels.REFERENCE_LINE.format(where=area_name, p=formatting.percent(area_cov["coverage"])),
        height=460,
        tick_angle=-40,
        value_name=labels.HOVER_COVERAGE,
        note=metrics.get("coverage").help,
        details=[
            labels.HOVER_REACHED.format(reached=formatting.count(r), population=formatting.count(n))
            for r, n in zip(low["reached"], low["population"])
        ],
    )
    chosen = drill.clickable_chart(fig, "unit_chart", labels.DRILL_HINT)
    if chosen:
        drill.go(area=area, unit=chosen)
    shown = units.rename(columns={"unit_name": "unit"})
    picked = table(
        shown[["unit", "population", "reached", "unreached", "coverage"]],
        key="cov_unit",
        stem=stem(ctx, "分单位覆盖"),
        percent=["coverage"],
        on_select=True,
    )
    rows = picked["selection"]["rows"] if picked else []
    if rows:
        drill.go(area=area, unit=str(units.iloc[rows[0]]["unit_id"]))
    return units


@data.derived
def _cadence(ctx: PageContext, f: Filters) -> pd.DataFrame:
    df = data.query(contacts.fetch_tier_compliance, f, ctx.scope, as_of=ctx.as_of)
    shown = df.assign(tier=df["tier"].map(labels.TIER), cadence=df["cadence"].map(labels.CADENCE))
    return shown[["tier", "cadence", "windows", "owing", "compliant", "missed", "compliance"]]


def cadence(ctx: PageContext, f: Filters) -> None:
    table(
        _cadence(ctx, f),
        key="cadence",
        stem=stem(ctx, "按级达标"),
        percent=["compliance"],
    )


@data.derived
def _visits(ctx: PageContext, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The festival and 五必访 tables as shown."""
    fest = data.query(contacts.fetch_festival_completion, f, ctx.scope, as_of=ctx.as_of)
    festivals = fest.assign(festival=fest["festival"].map(labels.FESTIVAL))
    ev = data.query(contacts.fetch_event_timeliness, f, ctx.scope)
    events = ev.assign(event_type=ev["event_type"].map(labels.EVENT_TYPE))
    return (
        festivals[["festival", "festival_date", "listed", "visited", "completion"]],
        events[["event_type", "events", "on_time", "visited", "timeliness"]],
    )


def visits(ctx: PageContext, f: Filters) -> None:
    festivals, events = _visits(ctx, f)
    left, right = st.columns(2)
    with left:
        table(
            festivals,
            key="festivals",
            stem=stem(ctx, "节日走访"),
            percent=["completion"],
            dates=["festival_date"],
        )
    with right:
        table(
            events,
            key="events",
            stem=stem(ctx, "五必访及时率"),
            percent=["timeliness"],
        )


MIX_DIMENSIONS = (
    ("channel", labels.CHANNEL, labels.CHART_CHANNEL),
    ("contact_role", labels.CONTACT_ROLE, labels.CHART_ROLE),
)


@data.derived
def _activity(ctx: PageContext, f: Filters) -> tuple:
    """The monthly bars and rate line (months, contacts, people reached ÷ people in view), and
    for each mix dimension its pie's names and counts and its table."""
    monthly = data.query(contacts.fetch_contact_counts, f, ctx.scope, by=("year", "month"))
    population = int(data.query(contacts.fetch_coverage, f, ctx.scope).iloc[0]["population"])
    x = [f"{y}-{m:02d}" for y, m in zip(monthly["year"], monthly["month"])]
    rates = (monthly["people"] / population).tolist() if population else [0.0] * len(x)
    mixes = []
    for dim, names, _ in MIX_DIMENSIONS:
        df = data.query(contacts.fetch_contact_counts, f, ctx.scope, by=(dim,))
        shown = df.assign(**{dim: df[dim].map(names)}, share=df["contacts"] / df["contacts"].sum())
        shown = shown.rename(columns={"people": "people_contacted"})
        mixes.append(
            (
                [names.get(v, v) for v in df[dim]],
                df["contacts"].tolist(),
                shown[[dim, "contacts", "people_contacted", "share"]],
            )
        )
    return (x, monthly["contacts"].tolist(), rates), tuple(mixes)


def activity(ctx: PageContext, f: Filters) -> None:
    (x, counts, rates), mixes = _activity(ctx, f)
    theme.plot(
        charts.bars_and_rate(
            x,
            counts,
            rates,
            title=drill.scoped_title(ctx, f, labels.CHART_MONTHLY),
            bar_name=labels.SERIES_CONTACTS,
            rate_name=labels.SERIES_MONTH_COVERAGE,
        ),
        key="monthly",
    )
    for col, (dim, _, chart_title), (names, counts, shown) in zip(st.columns(2), MIX_DIMENSIONS, mixes):
        title = drill.scoped_title(ctx, f, chart_title)
        with col:
            theme.plot(charts.mix(names, counts, title=title), key=f"mix_{dim}")
            table(
                shown,
                key=f"mix_{dim}_table",
                stem=stem(ctx, title),
                percent=["share"],
            )


def pairing(ctx: PageContext, f: Filters) -> None:
    p = data.query(contacts.fetch_pairing_coverage, f, ctx.scope).iloc[0]
    population = int(p["population"])
    rows = [
        {
            "mode": labels.PAIRING_MODE[m],
            "paired": int(p[m]),
            "pairing": (int(p[m]) / population) if population else None,
        }
        for m in labels.PAIRING_MODE
    ]
    rows.append({"mode": "合计（去重）", "paired": int(p["paired"]), "pairing": p["coverage"]})
    table(pd.DataFrame(rows), key="pairing", stem=stem(ctx, "结对覆盖"), percent=["pairing"])


def overdue_list(ctx: PageContext, f: Filters) -> None:
    if lists_withheld(ctx):
        return
    shown = _overdue_rows(ctx, f, ctx.can_unmask)  # (whether names are unmasked is part of the key)
    on = min(f.period.last_day, ctx.as_of)
    st.caption(labels.OVERDUE_CAPTION.format(n=f"{len(shown):,}", on=on.isoformat()))
    table(
        shown,
        key="overdue",
        stem=stem(ctx, "逾期未联系名单"),
        height=420,
        screen_rows=labels.OVERDUE_SCREEN_ROWS,
    )


@data.derived
def _overdue_rows(ctx: PageContext, f: Filters, unmasked: bool) -> pd.DataFrame:
    """The overdue list as the table shows it (names, labels), prepared once per view and
    kind of account (masked or not)."""
    df = data.query(contacts.fetch_overdue_list, f, ctx.scope, as_of=ctx.as_of, unmasked=unmasked)
    shown = df.assign(
        area=df["area_code"].map(ctx.area_names),
        category=df["category"].map(labels.CATEGORY),
        tier=df["service_tier"].map(labels.TIER),
        last_contact=df["last_contact"].map(lambda d: labels.NEVER if d is None else d.isoformat()),
        helper_name=df["helper_name"].fillna("—"),
        unit=df["unit_name"],
    )
    return shown[["name", "area", "unit", "category", "tier", "last_contact", "days_overdue", "helper_name"]]


def people(ctx: PageContext, f: Filters, unit_id: str, unit_name: str) -> None:
    if lists_withheld(ctx):
        return
    df = data.query(contacts.fetch_people_contacts, f, ctx.scope, unit_id=int(unit_id), unmasked=ctx.can_unmask)
    st.caption(labels.PEOPLE_CAPTION.format(unit=unit_name, n=f"{len(df):,}", m=f"{int((~df['reached']).sum()):,}"))
    shown = df.assign(
        category=df["category"].map(labels.CATEGORY),
        tier=df["service_tier"].map(labels.TIER),
        reached_flag=df["reached"].map({True: labels.YES, False: labels.NO}),
        last_contact=df["last_contact"].map(lambda d: "—" if d is None else d.isoformat()),
    )
    table(
        shown[["name", "category", "tier", "reached_flag", "contacts", "last_contact"]],
        key="people",
        stem=stem(ctx, "人员名单"),
        height=420,
    )
