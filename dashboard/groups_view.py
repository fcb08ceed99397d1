"""The special-groups page's sections (重点人群): headline counts, the breakdown by category
and by area (small cells hidden), the yearly trend, and the drill from the city to an area,
a group and the masked list of its people."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, service_charts, theme
from dashboard.components import kpi, lists_withheld, small_cells_note, table
from dashboard.context import PageContext
from data_access import codes, groups
from data_access.filters import Filters
from data_access.privacy import is_hidden, numbers

# The headline cards: every group except the five single impairments (shown under 五不).
KPI_GROUPS = tuple(g for g in codes.SPECIAL_GROUPS if g not in {f"impaired_{k}" for k in codes.IMPAIRMENTS})
TREND_GROUPS = ("aged_80_plus", "aged_90_plus", "aged_100_plus", "lives_alone", "impaired_any")


def name(group: str) -> str:
    return labels.SPECIAL_GROUP[group][0]


def chart_name(group: str) -> str:
    """The five impairments are indented under "五不" in charts."""
    sub = group.startswith("impaired_") and group != "impaired_any"
    return f"{labels.GROUPS_SUB_ITEM}{name(group)}" if sub else name(group)


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level from the URL, checked against the filters and the group whitelist."""
    return drill.resolve_category(ctx, codes.SPECIAL_GROUPS, labels.GROUPS_DRILL_NOTICE, labels.GROUPS_NEED_AREA)


stem = drill.stem_for(labels.GROUPS_TITLE)


def counts(ctx: PageContext, f: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return data.query(groups.fetch_group_counts, f, ctx.scope, by=by)


def share(n, people: int):
    """A group's share of the people in view; hidden with its count (the text it came as)."""
    if is_hidden(n):
        return n
    return int(n) / people if people else float("nan")


def share_text(n, people: int) -> str:
    return labels.GROUPS_SHARE.format(p=formatting.percent(share(n, people)))


def count_text(n) -> str:
    return f"{formatting.count(n)} {labels.GROUPS_UNIT}"


@data.derived
def _kpi_texts(ctx: PageContext, f: Filters) -> tuple[int, tuple[tuple[str, str, str], ...]]:
    """The people in view and each headline group's (group, count text, share text), once per view."""
    total = counts(ctx, f).iloc[0]
    people = int(total["people"])
    return people, tuple((g, count_text(total[g]), share_text(total[g], people)) for g in KPI_GROUPS)


def kpis(ctx: PageContext, f: Filters) -> None:
    people, cards = _kpi_texts(ctx, f)
    cols = [c for _ in range(3) for c in st.columns(4)]
    kpi(cols[0], "groups_people", f"{people:,} {labels.GROUPS_UNIT}")
    for col, (g, count, share_of) in zip(cols[1:], cards):
        kpi(col, f"group_{g}", count, share_of)


def definitions() -> None:
    with st.expander(labels.GROUPS_DEFINITIONS, icon=":material/info:"):
        st.markdown("\n".join(f"- **{title}**：{text}" for title, text in labels.SPECIAL_GROUP.values()))


@data.derived
def _category_rows(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """One row per group as the table shows it, once per view."""
    total = counts(ctx, f).iloc[0]
    cat = counts(ctx, f, ("category",)).set_index("category")
    people = int(total["people"])
    rows = [
        {
            "group": name(g),
            "group_count": total[g],
            "group_share": share(total[g], people),
            **{f"{c}_count": cat[g].get(c, 0) for c in codes.CATEGORIES},
        }
        for g in codes.SPECIAL_GROUPS
    ]
    return pd.DataFrame(rows).astype(object)


def by_category(ctx: PageContext, f: Filters, key: str, what: str) -> None:
    """One row per group: count, share, and the split by category (where this viewer's small
    cells are hidden, the data layer hides them within each group, whose total is beside)."""
    shown = _category_rows(ctx, f)
    table(shown, key=key, stem=stem(ctx, what), height=35 * (len(shown) + 1) + 3, percent=["group_share"])
    small_cells_note(ctx)


@dataclass(frozen=True)
class ShareBars:
    """One group's share in each area (the chart's bars), once per view and group (read-only)."""

    names: list[str]
    shares: list
    texts: list
    ids: list[str]
    city: float  # the group's share of the view, the reference line


@data.derived
def _area_shares(ctx: PageContext, f: Filters, group: str) -> ShareBars:
    df = counts(ctx, f, ("area_code",))
    df = ctx.in_area_order(df)
    total = counts(ctx, f).iloc[0]
    city = share(total[group], int(total["people"]))
    city = float("nan") if is_hidden(city) else city
    shares, texts = [], []
    for n, people in zip(df[group], df["people"]):
        if is_hidden(n):
            shares.append(None)
            texts.append(n)
        else:
            area_share = int(n) / int(people) if int(people) else 0.0
            shares.append(area_share)
            persons = labels.GROUPS_PERSONS.format(n=f"{int(n):,}")
            texts.append(
                labels.GROUPS_SHARE_PERSONS.format(p=f"{area_share * 100:.1f}%", n=f"{int(n):,}") if n else persons
            )
    return ShareBars([ctx.area_names[a] for a in df["area_code"]], shares, texts, df["area_code"].tolist(), city)


@data.derived
def _area_rows(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """Every group by area as the table shows it, once per view."""
    df = counts(ctx, f, ("area_code",))
    df = ctx.in_area_order(df)
    shown = pd.DataFrame({"area": df["area_code"].map(ctx.area_names), "people_total": df["people"]})
    for g in codes.SPECIAL_GROUPS:
        shown[f"grp_{g}"] = df[g]
    return shown


def area_section(ctx: PageContext, f: Filters) -> None:
    """Pick a group, see its share in each area against the city; a click drills into the area."""
    group = st.selectbox(
        labels.GROUPS_PICK,
        codes.SPECIAL_GROUPS,
        format_func=name,
        key="groups_pick",
        help=labels.GROUPS_PICK_HELP,
    )
    st.caption(labels.SPECIAL_GROUP[group][1])
    bars = _area_shares(ctx, f, group)
    fig = service_charts.share_bars(
        bars.names,
        bars.shares,
        bars.texts,
        ids=bars.ids,
        title=drill.by_area_title(ctx, labels.GROUPS_CHART_AREAS.format(group=name(group)), bars.ids),
        reference=bars.city,
        reference_label=labels.REFERENCE_LINE.format(where=drill.where_label(ctx, f), p=formatting.percent(bars.city)),
    )
    chosen = drill.clickable_chart(fig, "groups_area_chart", labels.GROUPS_DRILL_HINT)
    if chosen:
        drill.go(area=chosen, category=None)
    # The table: every group by area, each group's column hidden where small (its total is on the page).
    table(_area_rows(ctx, f), key="groups_by_area", stem=stem(ctx, labels.GROUPS_FILE["areas"]))
    small_cells_note(ctx)


@data.derived
def _group_bars(ctx: PageContext, f: Filters) -> tuple[list, list]:
    """An area's groups: the bars' values and texts, once per view (read-only)."""
    total = counts(ctx, f).iloc[0]
    people = int(total["people"])
    values, texts = [], []
    for g in codes.SPECIAL_GROUPS:
        n = total[g]
        values.append(0 if is_hidden(n) else int(n))
        p = formatting.percent(share(n, people))
        texts.append(n if is_hidden(n) else labels.GROUPS_PERSONS_SHARE.format(n=f"{int(n):,}", p=p))
    return values, texts


def area_groups(ctx: PageContext, f: Filters, area: str) -> None:
    """An area's groups as bars; a click opens the group's list of people."""
    values, texts = _group_bars(ctx, f)
    fig = service_charts.group_bars(
        [chart_name(g) for g in codes.SPECIAL_GROUPS],
        values,
        texts,
        ids=list(codes.SPECIAL_GROUPS),
        sub=[g.startswith("impaired_") and g != "impaired_any" for g in codes.SPECIAL_GROUPS],
        title=labels.GROUPS_CHART_AREA.format(area=ctx.area_names.get(area, area)),
    )
    chosen = drill.clickable_chart(fig, "groups_group_chart", labels.GROUPS_AREA_HINT)
    if chosen:
        drill.go(area=area, category=chosen)


@dataclass(frozen=True)
class TrendParts:
    """两增一减 and ageing year by year: the two charts' series and the table, once per view
    (read-only); None from ``_trend_parts`` when nobody is in view."""

    years: list[str]
    population: dict  # category label -> people a year (categories with anyone)
    shares: dict  # group label -> share a year (80+, 90+)
    shown: pd.DataFrame


@data.derived
def _trend_parts(ctx: PageContext, f: Filters) -> TrendParts | None:
    years = tuple(range(ctx.first_year, ctx.as_of.year + 1))
    df = data.query(groups.fetch_group_trend, f, ctx.scope, years=years, as_of=ctx.as_of)
    if df.empty:
        return None
    by_year = data.query(groups.fetch_group_trend, f, ctx.scope, years=years, as_of=ctx.as_of, by=()).set_index("year")
    by_year = by_year.reindex(years).fillna({"people": 0})
    by_cat = df.pivot_table(index="year", columns="category", values="people", aggfunc="sum").reindex(years)
    by_cat = by_cat.reindex(columns=list(codes.CATEGORIES)).fillna(0)
    shares = {g: [share(n, int(p)) for n, p in zip(by_year[g], by_year["people"])] for g in TREND_GROUPS}
    shown = pd.DataFrame({"year": [str(y) for y in years], "people_total": by_year["people"].astype("int64").tolist()})
    for c in codes.CATEGORIES:
        shown[f"{c}_count"] = by_cat[c].astype("int64").tolist()
    for g in TREND_GROUPS:
        shown[f"grp_{g}"] = pd.Series(by_year[g].fillna(0).tolist(), dtype=object)
        if g in ("aged_80_plus", "aged_90_plus"):
            shown[g.replace("_plus", "_share")] = [formatting.percent(s) for s in shares[g]]
    return TrendParts(
        years=[labels.YEAR.format(y=y) for y in years],
        population={labels.CATEGORY[c]: by_cat[c].tolist() for c in codes.CATEGORIES if by_cat[c].sum() > 0},
        shares={name(g): numbers(shares[g]).fillna(0.0).tolist() for g in ("aged_80_plus", "aged_90_plus")},
        shown=shown,
    )


def trend(ctx: PageContext, f: Filters) -> None:
    """两增一减 and ageing: the population by category and the 80+/90+ shares, year by year."""
    parts = _trend_parts(ctx, f)
    if parts is None:
        st.info(labels.GROUPS_NO_PEOPLE)
        return
    left, right = st.columns(2)
    with left:
        if parts.population:
            theme.plot(
                charts.trend(
                    parts.years,
                    parts.population,
                    title=drill.scoped_title(ctx, f, labels.GROUPS_CHART_POPULATION_TREND),
                    unit=labels.GROUPS_UNIT,
                ),
                key="groups_population_trend",
            )
    with right:
        theme.plot(
            service_charts.share_trend(
                parts.years,
                parts.shares,
                title=drill.scoped_title(ctx, f, labels.GROUPS_CHART_SHARE_TREND),
            ),
            key="groups_share_trend",
        )
    table(parts.shown, key="groups_trend", stem=stem(ctx, labels.GROUPS_FILE["trend"]))
    st.caption(labels.GROUPS_TREND_NOTE)


def people(ctx: PageContext, f: Filters, area: str, group: str) -> None:
    if lists_withheld(ctx):
        return
    df = data.query(groups.fetch_group_people, f, ctx.scope, group=group, unmasked=ctx.can_unmask)
    st.caption(
        labels.GROUPS_PEOPLE_CAPTION.format(area=ctx.area_names.get(area, area), group=name(group), n=f"{len(df):,}")
    )
    st.caption(labels.SPECIAL_GROUP[group][1])
    shown = df.assign(
        area=df["area_code"].map(ctx.area_names),
        category=df["category"].map(labels.CATEGORY),
        unit=df["unit_name"].fillna("—"),
        tier=df["service_tier"].map(labels.TIER),
    )
    table(
        shown[["name", "phone", "age", "category", "area", "unit", "tier", "last_contact"]],
        key="groups_people",
        stem=stem(ctx, labels.GROUPS_FILE_PEOPLE),
        dates=["last_contact"],
        height=460,
    )
