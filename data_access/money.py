"""Aid and budget (帮扶与经费): budgets, spending, and hardship aid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import fetch_df
from data_access.filters import Filters, Scope, area_condition, person_conditions
from data_access.query import as_ints, as_money, count_if, dimensions, rate

D, BU, P = schema.disbursements, schema.budgets, schema.people

AID_DIMENSIONS: dict[str, sa.ColumnElement] = {
    "category": P.c.category,
    "area_code": D.c.area_code,
    "hardship_reason": D.c.hardship_reason,
}
BUDGET_DIMENSIONS = ("budget_category", "area_code")


def in_period(column: sa.ColumnElement, filters: Filters) -> sa.ColumnElement[bool]:
    return sa.and_(column >= filters.period.start, column < filters.period.end)


def build_aid_summary(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, AID_DIMENSIONS)
    cash = D.c.form == "cash"
    goods = D.c.form == "goods"
    stmt = (
        sa.select(
            *dims,
            sa.func.count(sa.distinct(sa.case((cash, D.c.person_id)))).label("recipients"),
            sa.func.coalesce(sa.func.sum(sa.case((cash, D.c.amount), else_=0)), 0).label("cash_amount"),
            sa.func.count(sa.distinct(sa.case((goods, D.c.person_id)))).label("goods_recipients"),
            sa.func.coalesce(sa.func.sum(sa.case((goods, D.c.amount), else_=0)), 0).label("goods_amount"),
            count_if(cash).label("payments"),
        )
        .select_from(D.join(P, P.c.id == D.c.person_id))
        .where(
            D.c.category == "hardship_aid",
            in_period(D.c.paid_on, filters),
            *person_conditions(filters, scope),
            *area_condition(D.c.area_code, filters, scope),
        )
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_aid_summary(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """Hardship aid (特困帮扶) paid in the period. Columns: the ``by`` dimensions (category,
    area_code, hardship_reason), recipients (distinct people paid cash), cash_amount (元),
    goods_recipients, goods_amount (元, in kind), payments, per_recipient (cash ÷ recipients)."""
    df = fetch_df(conn, build_aid_summary(filters, scope, by))
    df = as_ints(df, ["recipients", "goods_recipients", "payments"])
    df = as_money(df, ["cash_amount", "goods_amount"])
    df["per_recipient"] = rate(df["cash_amount"], df["recipients"])
    return df


def build_budget(filters: Filters, scope: Scope, by: Sequence[str]) -> sa.Select:
    years = list(range(filters.period.start.year, filters.period.last_day.year + 1))
    dims = dimensions(by, {"budget_category": BU.c.category, "area_code": BU.c.area_code})
    stmt = sa.select(*dims, sa.func.sum(BU.c.amount).label("budget")).where(
        BU.c.year.in_(years), *area_condition(BU.c.area_code, filters, scope)
    )
    return stmt.group_by(*dims) if dims else stmt


def build_spending(filters: Filters, scope: Scope, by: Sequence[str]) -> sa.Select:
    dims = dimensions(by, {"budget_category": D.c.category, "area_code": D.c.area_code})
    stmt = sa.select(*dims, sa.func.sum(D.c.amount).label("actual")).where(
        in_period(D.c.paid_on, filters), *area_condition(D.c.area_code, filters, scope)
    )
    return stmt.group_by(*dims) if dims else stmt


def fetch_budget_execution(
    conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ("budget_category",)
) -> pd.DataFrame:
    """Budget of the period's year(s) against spending in the period. Columns: the ``by``
    dimensions (budget_category, area_code), budget, actual, execution_rate (actual ÷ budget).
    Only area filters apply: budgets are not per person."""
    by = list(by)
    budget = as_money(fetch_df(conn, build_budget(filters, scope, by)), ["budget"])
    actual = as_money(fetch_df(conn, build_spending(filters, scope, by)), ["actual"])
    if by:
        df = budget.merge(actual, on=by, how="outer").sort_values(by, ignore_index=True)
    else:
        df = pd.concat([budget, actual], axis=1)
    df[["budget", "actual"]] = df[["budget", "actual"]].fillna(0.0)
    df["execution_rate"] = rate(df["actual"], df["budget"])
    return df


def time_progress(as_of: dt.date, year: int | None = None) -> float:
    """序时进度: elapsed days of the budget year (as-of day included) ÷ days in the year."""
    year = as_of.year if year is None else year
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / (end - start).days


def period_time_progress(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """序时进度 of a period ``[start, end)``: its elapsed days up to the as-of day (included)
    ÷ the days of the budget years it touches. For a calendar year this equals
    :func:`time_progress`; for a finished year it is 1."""
    years_start = dt.date(start.year, 1, 1)
    years_end = dt.date((end - dt.timedelta(days=1)).year + 1, 1, 1)
    elapsed_end = min(end, as_of + dt.timedelta(days=1))
    elapsed = max((elapsed_end - start).days, 0)
    return elapsed / (years_end - years_start).days
