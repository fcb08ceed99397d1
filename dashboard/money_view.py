"""The aid-and-budget page's sections (帮扶与经费): execution against time progress,
cumulative spending, the precise-service share, hardship aid and who it did not reach;
drill from the city to an area, a budget category and the payments behind it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, metrics, status, theme
from dashboard.components import area_cards, kpi, lists_withheld, phone_table, small_cells_note, table
from dashboard.context import PageContext
from data_access import codes, money, rules
from data_access.filters import Filters
from data_access.money import period_time_progress
from data_access.privacy import is_hidden


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level (area, then budget category) from the URL, checked against the filters."""
    return drill.resolve_category(ctx, codes.BUDGET_CATEGORIES, labels.DRILL_NOTICE_CATEGORY)


stem = drill.stem_for(labels.MONEY_TITLE)


def progress(ctx: PageContext, f: Filters) -> float:
    return period_time_progress(f.period.start, f.period.end, ctx.as_of)


@data.derived
def _kpi_figures(ctx: PageContext, f: Filters) -> tuple:
    """The eight cards' figures, read and combined once per view (a warm run only formats them)."""
    s = ctx.scope
    by_cat = data.query(money.fetch_budget_execution, f, s, by=("budget_category",)).set_index("budget_category")
    overall = data.execution_overall(f, s)
    precise = by_cat.reindex(["precise_service"]).iloc[0]
    aid = data.query(money.fetch_aid_summary, f, s).iloc[0]
    cover = data.query(money.fetch_hardship_coverage, f, s).iloc[0]
    return progress(ctx, f), overall, float(overall["actual"]), precise, aid, cover


def kpis(ctx: PageContext, f: Filters) -> None:
    p, overall, total_actual, precise, aid, cover = _kpi_figures(ctx, f)
    cols = [c for _ in range(2) for c in st.columns(4)]
    kpi(
        cols[0],
        "execution",
        formatting.percent(overall["execution_rate"]),
        status.pace_text(overall["execution_rate"], p),
        count=formatting.yuan(total_actual),
    )
    kpi(
        cols[1],
        "precise_execution",
        formatting.percent(precise["execution_rate"]),
        status.pace_text(precise["execution_rate"], p),
        count=formatting.yuan(precise["actual"]) if precise["actual"] == precise["actual"] else None,
    )
    spent = precise["actual"]
    share = spent if is_hidden(spent) else (spent / total_actual if total_actual else float("nan"))
    kpi(
        cols[2],
        "precise_share",
        formatting.percent(share),
        labels.OF_SPENDING.format(total=formatting.yuan(total_actual)),
        count=formatting.yuan(precise["actual"]) if precise["actual"] == precise["actual"] else None,
    )
    kpi(cols[3], "time_progress", formatting.percent(p))
    # Where the viewer's small cells are hidden, the data layer hands "<5" for a count of
    # fewer than five people and "（已隐藏）" for every figure derived from it.
    kpi(cols[4], "aid", f"{people(aid['recipients'])} 人", formatting.yuan(aid["cash_amount"]))
    kpi(cols[5], "aid_per_recipient", formatting.yuan_per_person(aid["per_recipient"]))
    kpi(cols[6], "goods", formatting.yuan(aid["goods_amount"]), f"{people(aid['goods_recipients'])} 人")
    kpi(
        cols[7],
        "hardship_coverage",
        formatting.percent(cover["coverage"]),
        labels.OF_FLAGGED.format(n=people(cover["flagged"])),
        count=labels.UNIT_PEOPLE.format(n=people(cover["aided"])),
    )


people = formatting.count


@data.derived
def _by_area(ctx: PageContext, f: Filters) -> tuple:
    """The chart's bars (names, rates, codes, hover details), and the table and the phone's
    cards as shown, in the area list's order."""
    p = progress(ctx, f)
    df = ctx.in_area_order(data.query(money.fetch_budget_execution, f, ctx.scope, by=("area_code",)))
    codes_ = df["area_code"].tolist()
    bars = ([ctx.area_names[a] for a in codes_], df["execution_rate"].tolist(), codes_, spent_details(df))
    shown = df.assign(
        area=df["area_code"].map(ctx.area_names),
        status=[status.pace_status(r, p) for r in df["execution_rate"]],
    )
    shown["gap"] = [status.pace_gap(r, p) for r in df["execution_rate"]]
    return bars, _execution_rows(shown, "area", p)


def execution_by_area(ctx: PageContext, f: Filters) -> None:
    p = progress(ctx, f)
    (names, rates, ids, details), (rows, cards) = _by_area(ctx, f)
    fig = charts.execution_bars(
        names,
        rates,
        p,
        title=drill.by_area_title(ctx, labels.CHART_EXECUTION_BY_AREA, ids),
        progress_label=labels.TIME_PROGRESS_LINE.format(p=formatting.percent(p)),
        ids=ids,
        value_name=labels.HOVER_EXECUTION,
        note=metrics.get("execution").help,
        details=details,
    )
    chosen = drill.clickable_chart(fig, "money_area_chart", labels.MONEY_DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    execution_table(ctx, rows, cards, cards="money_areas", key="execution_by_area", file="分区域执行")


@data.derived
def _by_category(ctx: PageContext, f: Filters) -> tuple:
    """The chart's bars (the categories whose rate is shown), the table and the phone's
    cards, in the budget categories' order, and whether a hidden cell was left out."""
    p = progress(ctx, f)
    df = data.query(money.fetch_budget_execution, f, ctx.scope, by=("budget_category",))
    df = (
        df.set_index("budget_category")
        .reindex([c for c in codes.BUDGET_CATEGORIES if c in set(df["budget_category"])])
        .reset_index()
    )
    plotted = df[~df["execution_rate"].map(is_hidden)]
    ids = plotted["budget_category"].tolist()
    bars = ([labels.BUDGET_CATEGORY[c] for c in ids], plotted["execution_rate"].tolist(), ids, spent_details(plotted))
    shown = df.assign(
        budget_category=df["budget_category"].map(labels.BUDGET_CATEGORY),
        gap=[status.pace_gap(r, p) for r in df["execution_rate"]],
        status=[status.pace_status(r, p) for r in df["execution_rate"]],
    )
    return bars, len(plotted) < len(df), _execution_rows(shown, "budget_category", p)


def execution_by_category(ctx: PageContext, f: Filters, area: str | None) -> None:
    p = progress(ctx, f)
    (names, rates, ids, details), left_out, (rows, cards) = _by_category(ctx, f)
    title = labels.CHART_EXECUTION_BY_CATEGORY.format(area=drill.title_where(ctx, f, area))
    fig = charts.execution_bars(
        names,
        rates,
        p,
        title=title,
        progress_label=labels.TIME_PROGRESS_LINE.format(p=formatting.percent(p)),
        ids=ids,
        value_name=labels.HOVER_EXECUTION,
        note=metrics.get("execution").help,
        details=details,
    )
    if area:
        st.caption(labels.MONEY_DRILL_HINT)
    event = theme.plot(
        fig,
        key=drill.chart_key("money_category_chart"),
        on_select="rerun" if area else "ignore",
        selection_mode=("points",),
    )
    chosen = drill.selected_id(event) if area else None
    if chosen:
        drill.go(area=area, category=chosen)
    if left_out:
        small_cells_note(ctx)
    execution_table(ctx, rows, cards, cards="money_categories", key="execution_by_category", file="分类别执行")


def _execution_rows(shown: pd.DataFrame, name: str, p: float) -> tuple[pd.DataFrame, list]:
    """An execution table's shown columns (``name`` first) and its rows as phone cards."""
    rows = shown[[name, "budget", "actual", "execution_rate", "gap", "status"]]
    return rows, execution_cards(shown[name], shown["execution_rate"], p)


def execution_table(ctx: PageContext, rows: pd.DataFrame, phone: list, *, cards: str, key: str, file: str):
    """An execution table (by area or by category) at the desk, and its rows as cards on a phone."""
    area_cards(cards, phone)
    with phone_table(cards):
        table(rows, key=key, stem=stem(ctx, file), percent=["execution_rate"])


def execution_cards(names, rates, p: float) -> list[tuple[str, str, str, bool]]:
    """The phone's form of an execution table (by area or by category; its 执行状态 column was
    off a 390-px screen): one card a row — the name, 预算执行率 and the status with its gap to
    time progress ("▼ 偏慢：慢于序时 11.0 个百分点", the KPI card's reading), ▼ coloured."""
    label = metrics.get("execution").name
    return [
        (
            str(name),
            labels.AREA_CARD_RATE.format(label=label, p=formatting.percent(rate)),
            status.pace_text(rate, p) or status.pace_status(rate, p),
            not is_hidden(rate) and rules.budget_pace(rate, p) == rules.BEHIND,
        )
        for name, rate in zip(names, rates)
    ]


def cumulative(ctx: PageContext, f: Filters) -> None:
    choice = st.segmented_control(
        labels.SECTION_CUMULATIVE,
        ["all", "precise_service", "hardship_aid"],
        format_func=lambda c: labels.ALL_SPENDING if c == "all" else labels.BUDGET_CATEGORY[c],
        default="all",
        key="cumulative_category",
        label_visibility="collapsed",
    )
    cats = None if choice in (None, "all") else (choice,)
    line = _cumulative(ctx, f, cats)
    if line is None:
        st.info(labels.SMALL_CELL_NOTE, icon=":material/visibility_off:")
        return
    x, spent, budget, prog = line
    what = labels.ALL_SPENDING if cats is None else labels.BUDGET_CATEGORY[cats[0]]
    theme.plot(
        charts.cumulative(
            x,
            spent,
            budget,
            prog,
            title=drill.scoped_title(ctx, f, labels.CHART_CUMULATIVE.format(what=what)),
            spent_name=labels.SERIES_CUMULATIVE,
            budget_name=labels.SERIES_BUDGET,
            progress_name=labels.SERIES_PROGRESS,
        ),
        key="cumulative_chart",
    )


@data.derived
def _cumulative(ctx: PageContext, f: Filters, cats: tuple[str, ...] | None) -> tuple | None:
    """The cumulative line of ``cats`` (None: all spending): the months, the spending to each
    month's end, the budget and time progress at each month's end; None where a month's
    figure is hidden (small cells)."""
    budget_df = data.query(money.fetch_budget_execution, f, ctx.scope, by=("budget_category",))
    monthly = data.query(money.fetch_monthly_spending, f, ctx.scope, categories=cats)
    if monthly["cumulative"].map(is_hidden).any():
        return None
    budget = float(
        budget_df["budget"].sum()
        if cats is None
        else budget_df[budget_df["budget_category"].isin(cats)]["budget"].sum()
    )
    x, prog = [], []
    for y, m in zip(monthly["year"], monthly["month"]):
        last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        x.append(f"{y}-{m:02d}")
        prog.append(period_time_progress(f.period.start, f.period.end, min(last, ctx.as_of)))
    return x, monthly["cumulative"].tolist(), budget, prog


@data.derived
def _precise_share(ctx: PageContext, f: Filters) -> pd.DataFrame:
    df = data.query(money.fetch_budget_execution, f, ctx.scope, by=("area_code", "budget_category"))
    allsp = data.query(money.fetch_budget_execution, f, ctx.scope, by=("area_code",)).set_index("area_code")["actual"]
    precise = df[df["budget_category"] == "precise_service"].set_index("area_code")["actual"]
    order = [a for a in ctx.area_names if a in allsp.index]
    shown = pd.DataFrame({"area_code": order})
    # (a precise-service amount hidden beside a handful's aid stays hidden, with its share)
    shown["precise_actual"] = pd.Series([precise.get(a, 0.0) for a in order], dtype=object)
    shown["all_actual"] = [float(allsp[a]) for a in order]
    shown["precise_share"] = [
        v if is_hidden(v) else (v / t if t > 0 else float("nan"))
        for v, t in zip(shown["precise_actual"], shown["all_actual"])
    ]
    shown["area"] = shown["area_code"].map(ctx.area_names)
    return shown[["area", "precise_actual", "all_actual", "precise_share"]]


def precise_share(ctx: PageContext, f: Filters) -> None:
    table(_precise_share(ctx, f), key="precise_share", stem=stem(ctx, "精准服务占比"), percent=["precise_share"])


AID_COLUMNS = ["recipients", "cash_amount", "per_recipient", "goods_recipients", "goods_amount"]


@data.derived
def _aid_tables(ctx: PageContext, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Aid by category (with the total), by hardship reason, and hardship coverage by
    category, as shown."""
    s = ctx.scope
    by_cat = formatting.in_category_order(data.query(money.fetch_aid_summary, f, s, by=("category",)))
    total = data.query(money.fetch_aid_summary, f, s).assign(category="合计")
    by_category = pd.concat(
        [by_cat.assign(category=by_cat["category"].map(labels.CATEGORY)), total], ignore_index=True
    ).astype(object)
    by_reason = data.query(money.fetch_aid_summary, f, s, by=("hardship_reason",))
    by_reason = by_reason.assign(hardship_reason=by_reason["hardship_reason"].map(labels.HARDSHIP_REASON))
    cover = formatting.in_category_order(data.query(money.fetch_hardship_coverage, f, s, by=("category",))).rename(
        columns={"coverage": "coverage_rate"}
    )
    cover = cover.assign(category=cover["category"].map(labels.CATEGORY))
    return (
        by_category[["category", *AID_COLUMNS]],
        by_reason[["hardship_reason", *AID_COLUMNS]],
        cover[["category", "flagged", "aided", "coverage_rate"]],
    )


def aid(ctx: PageContext, f: Filters) -> None:
    by_category, by_reason, cover = _aid_tables(ctx, f)
    # One above the other: side by side at 1600 px, six columns each cut their last header.
    left, right = st.container(), st.container()
    with left:
        table(by_category, key="aid_by_category", stem=stem(ctx, "帮扶分类别"))
    with right:
        table(by_reason, key="aid_by_reason", stem=stem(ctx, "帮扶分情形"))
    small_cells_note(ctx)
    table(cover, key="hardship_coverage", stem=stem(ctx, "困难对象覆盖"), percent=["coverage_rate"])


def spent_details(df: pd.DataFrame) -> list[str]:
    """A budget bar's tooltip line: what was spent of what budget."""
    return [
        labels.HOVER_SPENT.format(actual=formatting.yuan(a), budget=formatting.yuan(b))
        for a, b in zip(df["actual"], df["budget"])
    ]


@data.derived
def _unaided(ctx: PageContext, f: Filters, unmasked: bool) -> pd.DataFrame:
    """The flagged people no aid reached, as shown (``unmasked``: ``ctx.can_unmask``, names in
    full: part of the key)."""
    df = data.query(money.fetch_unaided_list, f, ctx.scope, unmasked=unmasked)
    shown = df.assign(
        area=df["area_code"].map(ctx.area_names),
        category=df["category"].map(labels.CATEGORY),
        hardship_reason=df["hardship_reason"].map(labels.HARDSHIP_REASON),
        tier=df["service_tier"].map(labels.TIER),
    )
    return shown[["name", "area", "category", "hardship_reason", "tier"]]


def unaided(ctx: PageContext, f: Filters) -> None:
    if lists_withheld(ctx):  # (its length is the flagged less the aided: a hidden count)
        return
    shown = _unaided(ctx, f, ctx.can_unmask)
    st.caption(labels.UNAIDED_CAPTION.format(n=f"{len(shown):,}"))
    table(shown, key="unaided", stem=stem(ctx, "困难未帮扶名单"), height=320)


@data.derived
def _payments(ctx: PageContext, f: Filters, category: str, unmasked: bool) -> tuple[pd.DataFrame, float]:
    """The payments of ``category`` behind a bar, as shown, and their total (``unmasked``:
    ``ctx.can_unmask``, part of the key)."""
    df = data.query(money.fetch_disbursements, f, ctx.scope, category=category, unmasked=unmasked)
    shown = df.assign(
        area=df["area_code"].map(ctx.area_names),
        form=df["form"].map(labels.FORM),
        recipient=df["recipient"].fillna(labels.LUMP),
        recipient_category=df["recipient_category"].map(labels.CATEGORY).fillna("—"),
        hardship_reason=df["hardship_reason"].map(labels.HARDSHIP_REASON).fillna("—"),
    )
    columns = ["paid_on", "area", "amount", "form", "recipient", "recipient_category", "hardship_reason"]
    return shown[columns], df["amount"].sum()


def payments(ctx: PageContext, f: Filters, area: str, category: str) -> None:
    if lists_withheld(ctx):  # (its total is the category's spending, which may be hidden)
        return
    shown, total = _payments(ctx, f, category, ctx.can_unmask)
    st.caption(
        labels.PAYMENTS_CAPTION.format(
            area=ctx.area_names.get(area, area),
            category=labels.BUDGET_CATEGORY[category],
            n=f"{len(shown):,}",
            total=formatting.yuan(total),
        )
    )
    table(shown, key="payments", stem=stem(ctx, "支出明细"), dates=["paid_on"], height=420)
