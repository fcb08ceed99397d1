"""The overview page's sections (总览): attention items, the KPI groups (people, contact,
party, money), the coverage, trend and budget charts, and the table by area."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, metrics, navigation, status, theme, url_state
from dashboard.components import (
    area_cards,
    attention_panel,
    joined,
    kpi,
    mom_of,
    number_or_none,
    org_life_kpi,
    phone_table,
    secretary_share_kpi,
    table,
    yoy,
    yoy_of,
)
from dashboard.context import PageContext
from dashboard.overview import Headline, area_table, attention_items, headline
from data_access import branches as branches_q
from data_access import contacts
from data_access import money as money_q
from data_access import people as people_q
from data_access.privacy import is_hidden


def _signed(v) -> str:
    return f"{formatting.signed(v)} 人"


def _signed_branches(v) -> str:
    return f"{formatting.signed(v)} 个"


def _signed_yuan(v) -> str:
    return ("+" if round(v / 10_000, 2) > 0 else "") + formatting.yuan(v)


def _signed_years(v) -> str:
    return f"{formatting.signed(v, 1)} 岁"


def _prev(frame, key):
    """A figure of the year-earlier row, or None without one."""
    return None if frame is None else frame[key]


def _people(n) -> str:
    return labels.UNIT_PEOPLE.format(n=formatting.count(n))


def attention(ctx: PageContext) -> list[str]:
    """What a leader should act on now; returns the branches owing organisational life."""
    items, branch_gaps = attention_items(ctx)
    attention_panel(items, ctx, {k: navigation.link_target(k) for k in labels.PAGE_TITLES})
    return branch_gaps


def _line(frame: pd.DataFrame, column: str) -> list[float] | None:
    """A card's small monthly line from a month-by-month frame of the data layer (one row per
    month of the period, the last being the card's own figure); None where a month is hidden
    (small cells) or has no value (nobody in view then): no point is made up."""
    if frame.empty or frame[column].map(is_hidden).any():
        return None
    values = pd.to_numeric(frame[column], errors="coerce")
    return None if values.isna().any() else [float(v) for v in values]


def _monthly(ctx: PageContext, fn, column: str, **kwargs) -> list[float] | None:
    """The line of ``column`` of the month-by-month query ``fn`` (through the data cache) for
    the page's view."""
    return _line(data.query(fn, ctx.filters, ctx.scope, **kwargs), column)


@data.derived
def card_lines(ctx: PageContext) -> dict[str, list[float] | None]:
    """Every card's small line (metric key -> values, None where none is drawn), read and
    computed once per view: a warm run draws them without redoing the pandas work."""
    h = headline(ctx)
    lines: dict[str, list[float] | None] = {
        key: h.trend[h.trend["category"] == cat]["people"].tolist()
        for key, cat in (("veterans", "veteran"), ("retirees", "retiree"), ("survivors", "survivor"))
    }
    lines["average_age"] = _monthly(ctx, people_q.fetch_population_monthly, "average_age")
    lines["key_coverage"] = _monthly(ctx, contacts.fetch_key_coverage_monthly, "coverage")
    lines["coverage"] = _monthly_reach(ctx)
    lines["overdue"] = _monthly(ctx, contacts.fetch_overdue_monthly, "overdue", as_of=ctx.as_of)
    branch_monthly = data.query(branches_q.fetch_branch_monthly, ctx.filters, ctx.scope)
    for key, column in (("branches", "branches"), ("members", "members"), ("secretary", "retiree_secretary_share")):
        lines[key] = _line(branch_monthly, column)
    lines["org_life"] = _monthly_org_life(ctx)
    ex = h.execution
    lines["execution"] = _monthly_execution(ctx, float(ex["budget"]))
    ps = h.budget.set_index("budget_category").reindex(["precise_service"]).iloc[0]
    lines["precise_execution"] = (
        None if is_hidden(ps["budget"]) else _monthly_execution(ctx, float(ps["budget"]), ("precise_service",))
    )
    aid = data.query(money_q.fetch_aid_monthly, ctx.filters, ctx.scope)
    lines["aid"], lines["goods"] = _line(aid, "recipients"), _line(aid, "goods_amount")
    return lines


def people_kpis(h: Headline, ctx: PageContext) -> None:
    cols = st.columns(4)
    lines = card_lines(ctx)
    for col, (key, cat) in zip(cols, (("veterans", "veteran"), ("retirees", "retiree"), ("survivors", "survivor"))):
        now = int(h.population["people"].get(cat, 0))
        before = int(h.population_prev["people"].get(cat, 0)) if h.population_prev is not None else None
        kpi(col, key, f"{formatting.count(now)} 人", yoy(now, before, _signed), chart=lines[key])
    kpi(
        cols[3],
        "average_age",
        formatting.age(h.total["average_age"]),
        yoy_of(h.total["average_age"], _prev(h.total_prev, "average_age"), _signed_years),
        chart=lines["average_age"],
    )


def _monthly_reach(ctx: PageContext) -> list[float] | None:
    """People contacted in each month of the period ÷ the people in view (the series of 联系覆盖's
    monthly chart): 联系覆盖率's small monthly line; None without people."""
    population = int(data.query(contacts.fetch_coverage, ctx.filters, ctx.scope).iloc[0]["population"])
    monthly = data.query(contacts.fetch_contact_counts, ctx.filters, ctx.scope, by=("year", "month"))
    if not population or monthly.empty:
        return None
    return (monthly["people"] / population).tolist()


def _monthly_org_life(ctx: PageContext) -> list[float] | None:
    """组织生活完成率 month by month (the 党支部 page's monthly chart): the card's small line."""
    by_month = data.org_life_by_month(data.query(branches_q.fetch_org_life, ctx.filters, ctx.scope, as_of=ctx.as_of))
    return None if by_month.empty else [float(v) for v in by_month["completion"]]


def contact_kpis(h: Headline, ctx: PageContext) -> None:
    cols = st.columns(3)
    lines = card_lines(ctx)
    short = int(h.key_coverage["unreached"])
    if int(h.key_coverage["population"]) == 0:
        key_delta = labels.NO_KEY_COHORT
    else:
        key_delta = labels.TARGET_MET if short == 0 else labels.TARGET_SHORT.format(n=f"{short:,}")
    kpi(
        cols[0],
        "key_coverage",
        formatting.percent(h.key_coverage["coverage"]),
        joined(
            key_delta,
            yoy_of(h.key_coverage["coverage"], _prev(h.key_coverage_prev, "coverage"), formatting.points),
            mom_of(h.key_coverage["coverage"], _prev(h.key_coverage_before, "coverage"), formatting.points),
        ),
        count=_people(h.key_coverage["reached"]),
        chart=lines["key_coverage"],
    )
    prev_cov = float(h.coverage_prev["coverage"]) if h.coverage_prev is not None else None
    kpi(
        cols[1],
        "coverage",
        formatting.percent(h.coverage["coverage"]),
        joined(
            yoy(float(h.coverage["coverage"]), prev_cov, formatting.points),
            mom_of(h.coverage["coverage"], _prev(h.coverage_before, "coverage"), formatting.points),
        ),
        tone="normal",
        count=_people(h.coverage["reached"]),
        chart=lines["coverage"],
    )
    kpi(
        cols[2],
        "overdue",
        f"{h.overdue:,} 人",
        yoy_of(h.overdue, h.overdue_prev, _signed),
        tone="inverse",
        chart=lines["overdue"],
    )


def party_kpis(h: Headline, branch_gaps, ctx: PageContext) -> None:
    cols = st.columns(4)
    b, bp = h.branches, h.branches_prev
    lines = card_lines(ctx)
    kpi(
        cols[0],
        "branches",
        f"{formatting.count(b['branches'])} 个",
        yoy(int(b["branches"]), int(bp["branches"]) if bp is not None else None, _signed_branches),
        chart=lines["branches"],
    )
    kpi(
        cols[1],
        "members",
        f"{formatting.count(b['members'])} 人",
        yoy(int(b["members"]), int(bp["members"]) if bp is not None else None, _signed),
        chart=lines["members"],
    )
    secretary_share_kpi(cols[2], b, bp, chart=lines["secretary"])
    org_life_kpi(cols[3], h.org_life, branch_gaps, h.org_life_prev, chart=lines["org_life"])


def _monthly_execution(ctx: PageContext, budget: float, categories=None) -> list[float] | None:
    """The execution rate at the end of each month of the period (cumulative spending ÷
    budget): the card's small monthly line; None where a month is hidden or there is no budget."""
    if not budget or budget != budget:
        return None
    monthly = data.query(money_q.fetch_monthly_spending, ctx.filters, ctx.scope, categories=categories)
    if monthly.empty or monthly["cumulative"].map(is_hidden).any():
        return None
    return [float(v) / budget for v in monthly["cumulative"]]


def money_kpis(h: Headline, ctx: PageContext) -> None:
    cols = st.columns(4)
    lines = card_lines(ctx)
    ex = h.execution
    kpi(
        cols[0],
        "execution",
        formatting.percent(ex["execution_rate"]),
        joined(
            status.pace_text(ex["execution_rate"], h.time_progress),
            yoy_of(ex["execution_rate"], _prev(h.execution_prev, "execution_rate"), formatting.points),
            mom_of(ex["execution_rate"], _prev(h.execution_before, "execution_rate"), formatting.points),
        ),
        count=formatting.yuan(ex["actual"]),
        chart=lines["execution"],
    )
    ps = h.budget.set_index("budget_category").reindex(["precise_service"]).iloc[0]
    ps_prev = (
        h.budget_prev.set_index("budget_category").reindex(["precise_service"]).iloc[0]
        if h.budget_prev is not None
        else None
    )
    kpi(
        cols[1],
        "precise_execution",
        formatting.percent(ps["execution_rate"]),
        joined(
            status.pace_text(ps["execution_rate"], h.time_progress),
            yoy_of(ps["execution_rate"], _prev(ps_prev, "execution_rate"), formatting.points),
        ),
        count=formatting.yuan(ps["actual"]) if ps["actual"] == ps["actual"] else None,
        chart=lines["precise_execution"],
    )
    kpi(
        cols[2],
        "aid",
        f"{formatting.count(h.aid['recipients'])} 人",
        joined(
            f"{formatting.yuan(h.aid['cash_amount'])} · 人均 {formatting.yuan_per_person(h.aid['per_recipient'])}",
            yoy_of(h.aid["recipients"], _prev(h.aid_prev, "recipients"), _signed),
            mom_of(h.aid["recipients"], _prev(h.aid_before, "recipients"), _signed),
        ),
        chart=lines["aid"],
    )
    kpi(
        cols[3],
        "goods",
        formatting.yuan(h.aid["goods_amount"]),
        joined(
            f"{formatting.count(h.aid['goods_recipients'])} 人",
            yoy_of(h.aid["goods_amount"], _prev(h.aid_prev, "goods_amount"), _signed_yuan),
        ),
        chart=lines["goods"],
    )


def coverage_chart(ctx: PageContext, h: Headline) -> None:
    names = ctx.area_names
    by_area = data.query(contacts.fetch_coverage, ctx.filters, ctx.scope, by=("area_code",))
    areas_sorted = by_area.sort_values("coverage")
    fig = charts.bar_with_target(
        [names.get(a, a) for a in areas_sorted["area_code"]],
        areas_sorted["coverage"].tolist(),
        ids=areas_sorted["area_code"].tolist(),
        title=drill.by_area_title(ctx, labels.CHART_COVERAGE_BY_AREA, areas_sorted["area_code"].tolist()),
        target=1.0,
        target_label=labels.TARGET_LINE,
        reference=float(h.coverage["coverage"]),
        reference_label=labels.REFERENCE_LINE.format(
            where=drill.where_label(ctx, ctx.filters), p=formatting.percent(h.coverage["coverage"])
        ),
        value_name=labels.HOVER_COVERAGE,
        note=metrics.get("coverage").help,
        details=[
            labels.HOVER_REACHED.format(reached=formatting.count(r), population=formatting.count(n))
            for r, n in zip(areas_sorted["reached"], areas_sorted["population"])
        ],
    )
    theme.plot(fig, key="coverage_by_area")


@data.derived
def _trend(ctx: PageContext) -> tuple[list[str], dict[str, list]]:
    """The trend chart's years and each category's people per year."""
    t = headline(ctx).trend.pivot_table(index="year", columns="category", values="people", aggfunc="sum").fillna(0)
    series = {labels.CATEGORY[c]: t[c].tolist() for c in ("veteran", "retiree", "survivor") if c in t}
    return [labels.YEAR.format(y=y) for y in t.index], series


def trend_chart(ctx: PageContext, h: Headline) -> None:
    years, series = _trend(ctx)
    if series:
        theme.plot(
            charts.trend(
                years,
                series,
                title=drill.scoped_title(ctx, ctx.filters, labels.CHART_TREND),
                unit="人",
            ),
            key="trend",
        )
    else:
        st.info(labels.NOBODY_IN_VIEW, icon=":material/info:")


def budget_chart(ctx: PageContext, h: Headline) -> None:
    bud = h.budget[(h.budget["budget"] > 0) & ~h.budget["execution_rate"].map(is_hidden)]
    theme.plot(
        charts.execution_bars(
            [labels.BUDGET_CATEGORY.get(c, c) for c in bud["budget_category"]],
            bud["execution_rate"].tolist(),
            h.time_progress,
            title=drill.scoped_title(ctx, ctx.filters, labels.CHART_BUDGET),
            progress_label=labels.TIME_PROGRESS_LINE.format(p=formatting.percent(h.time_progress)),
            value_name=labels.HOVER_EXECUTION,
            note=metrics.get("execution").help,
            details=[
                labels.HOVER_SPENT.format(actual=formatting.yuan(a), budget=formatting.yuan(b))
                for a, b in zip(bud["actual"], bud["budget"])
            ],
        ),
        key="budget",
    )


AREA_COLUMNS = [
    "area",
    "veteran",
    "retiree",
    "survivor",
    "people",
    "key_coverage",
    "coverage",
    "overdue",
    "branches",
    "members",
    "aid_recipients",
    "aid_amount",
]


@data.derived
def _area_parts(ctx: PageContext) -> tuple[pd.DataFrame, tuple]:
    """The table by area as shown, and each area's phone card."""
    areas_table = area_table(ctx)
    shown = areas_table.assign(area=areas_table["area_code"].map(ctx.area_names)).drop(columns="area_code")
    shown = shown[AREA_COLUMNS]
    display = shown.rename(columns={"veteran": "veterans", "retiree": "retirees", "survivor": "survivors"})
    return display, tuple(_area_card(row) for row in shown.itertuples(index=False))


def areas(ctx: PageContext) -> None:
    names = ctx.area_names
    display, cards = _area_parts(ctx)
    area_cards("overview_areas", list(cards))
    with phone_table("overview_areas"):
        table(
            display,
            key="overview_areas",
            stem=url_state.file_stem("总览_分区域概况", ctx.selection, names, ctx.as_of),
            percent=["coverage", "key_coverage"],
        )


def _area_card(row) -> tuple[str, str, str, bool]:
    """An area's phone card: its 联系覆盖率, ▼ with the people short of the 100 % target, and
    its overdue count."""
    cov, people = number_or_none(row.coverage), number_or_none(row.people)
    rate = labels.AREA_CARD_RATE.format(label=metrics.get("coverage").name, p=formatting.percent(cov))
    short = None if cov is None or people is None else int(round(people - cov * people))
    parts = [
        None if short is None else labels.TARGET_MET if short == 0 else labels.TARGET_SHORT.format(n=f"{short:,}"),
        labels.AREA_CARD_OVERDUE.format(n=formatting.count(row.overdue)),
    ]
    return str(row.area), rate, joined(*parts) or "", bool(short)
