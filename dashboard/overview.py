"""The overview's figures, assembled from the cached loaders (one definition each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard import attention, data, labels, status
from dashboard.context import PageContext
from data_access import branches as branches_q
from data_access import contacts, money, people
from data_access.filters import Filters, Period
from data_access.money import period_time_progress


def previous_filters(ctx: PageContext) -> Filters | None:
    """The same span one year earlier, when the ledger reaches back that far."""
    prev = ctx.filters.period.previous_year()
    if prev.start < dt.date(ctx.first_year, 1, 1):
        return None
    return ctx.filters.with_period(prev)


def yearly_filters(ctx: PageContext) -> list[tuple[int, Filters]]:
    """One filter per year of the ledger, for trends (the current year cut at the as-of date)."""
    return [(y, ctx.filters.with_period(Period.year(y, ctx.as_of))) for y in range(ctx.first_year, ctx.as_of.year + 1)]


@dataclass(frozen=True)
class Headline:
    population: pd.DataFrame  # by category
    population_prev: pd.DataFrame | None
    trend: pd.DataFrame  # year x category counts
    total: pd.Series
    key_coverage: pd.Series
    key_coverage_prev: pd.Series | None
    coverage: pd.Series
    coverage_prev: pd.Series | None
    overdue: int
    branches: pd.Series
    branches_prev: pd.Series | None
    org_life: pd.Series  # months_owed, months_complete, completion (data.org_life_overall)
    budget: pd.DataFrame  # by budget_category
    execution: pd.Series  # budget, actual, execution_rate of the whole view (data.execution_overall)
    time_progress: float
    aid: pd.Series
    aid_prev: pd.Series | None
    # The same span a year earlier, for every card's 同比 (issue 26): None without one.
    total_prev: pd.Series | None = None
    overdue_prev: int | None = None
    org_life_prev: pd.Series | None = None
    budget_prev: pd.DataFrame | None = None
    execution_prev: pd.Series | None = None
    # The span of the same length just before, for 环比 where the period is shorter than a year.
    coverage_before: pd.Series | None = None
    key_coverage_before: pd.Series | None = None
    execution_before: pd.Series | None = None
    aid_before: pd.Series | None = None


@data.derived
def headline(ctx: PageContext) -> Headline:
    f, s = ctx.filters, ctx.scope
    prev = previous_filters(ctx)
    trend_rows = []
    for year, yf in yearly_filters(ctx):
        df = data.query(people.fetch_population_summary, yf, s, by=("category",))
        trend_rows += [{"year": year, "category": r.category, "people": r.people} for r in df.itertuples()]
    return Headline(
        population=data.query(people.fetch_population_summary, f, s, by=("category",)).set_index("category"),
        population_prev=data.query(people.fetch_population_summary, prev, s, by=("category",)).set_index("category")
        if prev
        else None,
        trend=pd.DataFrame(trend_rows, columns=["year", "category", "people"]),
        total=data.query(people.fetch_population_summary, f, s).iloc[0],
        key_coverage=data.query(contacts.fetch_coverage, f, s, key_cohort_only=True).iloc[0],
        key_coverage_prev=data.query(contacts.fetch_coverage, prev, s, key_cohort_only=True).iloc[0] if prev else None,
        coverage=data.query(contacts.fetch_coverage, f, s).iloc[0],
        coverage_prev=data.query(contacts.fetch_coverage, prev, s).iloc[0] if prev else None,
        overdue=int(data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of)["overdue"].sum()),
        branches=data.query(branches_q.fetch_branch_summary, f, s).iloc[0],
        branches_prev=data.query(branches_q.fetch_branch_summary, prev, s).iloc[0] if prev else None,
        org_life=data.org_life_overall(f, s, ctx.as_of),
        budget=data.query(money.fetch_budget_execution, f, s, by=("budget_category",)),
        execution=data.execution_overall(f, s),
        time_progress=period_time_progress(f.period.start, f.period.end, ctx.as_of),
        aid=data.query(money.fetch_aid_summary, f, s).iloc[0],
        aid_prev=data.query(money.fetch_aid_summary, prev, s).iloc[0] if prev else None,
        total_prev=data.query(people.fetch_population_summary, prev, s).iloc[0] if prev else None,
        overdue_prev=int(
            data.query(contacts.fetch_overdue_count, prev, s, as_of=year_before(ctx.as_of))["overdue"].sum()
        )
        if prev
        else None,
        org_life_prev=data.org_life_overall(prev, s, year_before(ctx.as_of)) if prev else None,
        budget_prev=data.query(money.fetch_budget_execution, prev, s, by=("budget_category",)) if prev else None,
        execution_prev=data.execution_overall(prev, s) if prev else None,
        **_span_before(ctx),
    )


def preceding_filters(ctx: PageContext) -> Filters | None:
    """For a period shorter than a year, the span of the same length just before it (环比),
    when the ledger reaches back that far; None for a year or longer."""
    period = ctx.filters.period
    length = period.end - period.start
    if length >= dt.timedelta(days=365):
        return None
    start = period.start - length
    if start < dt.date(ctx.first_year, 1, 1):
        return None
    return ctx.filters.with_period(Period(start, period.start))


def _span_before(ctx: PageContext) -> dict:
    before = preceding_filters(ctx)
    if before is None:
        return {}
    s = ctx.scope
    return {
        "coverage_before": data.query(contacts.fetch_coverage, before, s).iloc[0],
        "key_coverage_before": data.query(contacts.fetch_coverage, before, s, key_cohort_only=True).iloc[0],
        "execution_before": data.execution_overall(before, s),
        "aid_before": data.query(money.fetch_aid_summary, before, s).iloc[0],
    }


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@data.derived
def area_table(ctx: PageContext) -> pd.DataFrame:
    """One row per area in view: people by category, coverage, overdue, branches, aid."""
    f, s = ctx.filters, ctx.scope
    pop = data.query(people.fetch_population_summary, f, s, by=("area_code", "category")).pivot_table(
        index="area_code", columns="category", values="people", aggfunc="sum", fill_value=0
    )
    cov = data.query(contacts.fetch_coverage, f, s, by=("area_code",)).set_index("area_code")
    key = data.query(contacts.fetch_coverage, f, s, by=("area_code",), key_cohort_only=True).set_index("area_code")
    over = data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of, by=("area_code",)).set_index("area_code")
    br = data.query(branches_q.fetch_branch_summary, f, s, by=("area_code",)).set_index("area_code")
    aid = data.query(money.fetch_aid_summary, f, s, by=("area_code",)).set_index("area_code")
    out = pd.DataFrame(index=ctx.areas["code"])
    out.index.name = "area_code"
    for cat in ("veteran", "retiree", "survivor"):
        out[cat] = pop[cat] if cat in pop else 0
    out["people"] = cov["population"]
    out["coverage"] = cov["coverage"]
    out["key_coverage"] = key["coverage"]
    out["overdue"] = over["overdue"]
    out["branches"] = br["branches"]
    out["members"] = br["members"]
    out["aid_recipients"] = aid["recipients"]
    out["aid_amount"] = aid["cash_amount"]
    in_view = ctx.filters.areas
    out = out[out.index.isin(in_view) if in_view is not None else slice(None)]
    counts = ["veteran", "retiree", "survivor", "people", "overdue", "branches", "members"]
    out[counts] = out[counts].fillna(0).astype("int64")
    # (aid figures may hold hidden cells, "<5" and "（已隐藏）": they stay as they come)
    out[["aid_recipients", "aid_amount"]] = out[["aid_recipients", "aid_amount"]].astype(object).fillna(0)
    return out.reset_index()


@data.derived
def attention_items(ctx: PageContext) -> tuple[tuple[attention.Attention, ...], int]:
    """需要关注 (the items, most urgent first) and the number of branches with gaps."""
    h, names = headline(ctx), ctx.area_names
    f, s = ctx.filters, ctx.scope
    by_branch = data.org_life_by_branch(data.query(branches_q.fetch_org_life, f, s, as_of=ctx.as_of))
    items = attention.collect(
        attention.key_cohort_short(int(h.key_coverage["unreached"])),
        attention.lagging_areas(
            data.query(contacts.fetch_coverage, f, s, by=("area_code",)), float(h.coverage["coverage"]), names
        ),
        attention.overdue(data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of, by=("area_code",)), names),
        attention.budgets_behind(
            data.query(money.fetch_budget_execution, f, s, by=("area_code", "budget_category")),
            h.time_progress,
            names,
            labels.BUDGET_CATEGORY,
        ),
        attention.branch_gaps(by_branch),
    )
    return tuple(items), len(status.branches_with_gaps(by_branch))
