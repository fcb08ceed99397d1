"""Aid and budget (帮扶与经费): budgets, spending, and hardship aid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_store, schema
from data_access.db import fetch_df
from data_access.filters import Filters, Scope, age_condition, area_condition, population, trait_conditions, without_age
from data_access.privacy import THRESHOLD, hide_rows, mask_columns, small_cells, too_few
from data_access.query import (
    MONTH,
    as_ints,
    as_money,
    count_if,
    dimensions,
    every_month,
    month_label,
    monthly_long,
    rate,
)

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
            *trait_conditions(filters),
            *area_condition(D.c.area_code, filters, scope),
        )
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


AID_SMALL_CELLS = {"recipients": ("cash_amount", "per_recipient", "payments"), "goods_recipients": ("goods_amount",)}


@small_cells(AID_SMALL_CELLS)
def fetch_aid_summary(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """Hardship aid (特困帮扶) paid in the period, attributed to the area that paid it (as
    its spending is in budget execution), whichever area manages the recipient; the filters
    on a person's traits (category, rank, tier, age) apply to the recipient. Columns: the ``by`` dimensions (category,
    area_code, hardship_reason), recipients (distinct people paid cash), cash_amount (元),
    goods_recipients, goods_amount (元, in kind), payments, per_recipient (cash ÷ recipients)."""
    df = fetch_df(conn, build_aid_summary(filters, scope, by))
    df = as_ints(df, ["recipients", "goods_recipients", "payments"])
    df = as_money(df, ["cash_amount", "goods_amount"])
    df["per_recipient"] = rate(df["cash_amount"], df["recipients"]).round(2)
    return df


def build_aid_monthly(filters: Filters, scope: Scope) -> sa.Select:
    """Hardship aid paid from the period's start to each of its month ends, in one statement
    over the period's aid payments: for the i-th month end e, recipients_i, cash_amount_i,
    goods_recipients_i and goods_amount_i — what :func:`build_aid_summary` counts for the
    period ``[start, e)`` (distinct people: cumulative, not a sum of months)."""
    cash, goods = D.c.form == "cash", D.c.form == "goods"
    cols = []
    for i, end in enumerate(filters.period.month_ends()):
        until = [D.c.paid_on < end]
        if filters.age_bands is not None:  # the recipient's age on that month's last day
            until.append(age_condition(filters.age_bands, end - dt.timedelta(days=1)))
        paid = sa.and_(*until)
        for form, people, amount in ((cash, "recipients", "cash_amount"), (goods, "goods_recipients", "goods_amount")):
            counted = sa.and_(form, paid)
            cols += [
                sa.func.count(sa.distinct(sa.case((counted, D.c.person_id)))).label(month_label(people, i)),
                sa.func.coalesce(sa.func.sum(sa.case((counted, D.c.amount), else_=0)), 0).label(month_label(amount, i)),
            ]
    return (
        sa.select(*cols)
        .select_from(D.join(P, P.c.id == D.c.person_id))
        .where(
            D.c.category == "hardship_aid",
            in_period(D.c.paid_on, filters),
            *trait_conditions(without_age(filters)),
            *area_condition(D.c.area_code, filters, scope),
        )
    )


@small_cells(AID_SMALL_CELLS, keys=MONTH, sums=())
def fetch_aid_monthly(conn: sa.Connection, filters: Filters, scope: Scope) -> pd.DataFrame:
    """特困帮扶 and 慰问品 from the period's start to each of its month ends (cumulative): one
    row per month. Columns: year, month, recipients, cash_amount, goods_recipients,
    goods_amount — for each month, :func:`fetch_aid_summary` of the period up to that
    month's end, so the last month's row is the period's own figure. A month's figures
    from fewer than five people are hidden like the summary's."""
    ends = filters.period.month_ends()
    counts, amounts = ["recipients", "goods_recipients"], ["cash_amount", "goods_amount"]
    measures = ["recipients", "cash_amount", "goods_recipients", "goods_amount"]
    wide = fetch_df(conn, build_aid_monthly(filters, scope))
    df = every_month(monthly_long(wide, (), ends, measures), (), ends, measures)
    df = as_ints(df, counts)
    return as_money(df.fillna({a: 0.0 for a in amounts}), amounts)


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
    if scope.hide_small_cells and "budget_category" in by:
        df = _hide_small_aid_spending(conn, filters, scope, df, by)
    return df


def aid_people(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """Distinct people paid hardship aid (cash or goods) in the period by the area that
    paid, whatever their traits: the people behind the 特困帮扶 category's spending.
    Columns: the ``by`` dimensions (area_code), people."""
    dims = dimensions(by, {"area_code": D.c.area_code})
    stmt = sa.select(*dims, sa.func.count(sa.distinct(D.c.person_id)).label("people")).where(
        D.c.category == "hardship_aid", in_period(D.c.paid_on, filters), *area_condition(D.c.area_code, filters, scope)
    )
    return as_ints(fetch_df(conn, stmt.group_by(*dims) if dims else stmt), ["people"])


def _hide_small_aid_spending(
    conn: sa.Connection, filters: Filters, scope: Scope, df: pd.DataFrame, by: Sequence[str]
) -> pd.DataFrame:
    """A budget-execution frame with the 特困帮扶 spending hidden where it is the aid of fewer
    than five people (its amount and execution rate), and beside each such row the smallest
    other category's spending of the same area, so the total spending shown elsewhere does
    not give it away (``privacy.suppress``'s rule, applied across queries). 精准服务, a
    headline figure of every page, is the complement only where no other category spent."""
    area_by = [d for d in by if d == "area_code"]
    people = aid_people(conn, filters, scope, area_by)
    n = people.set_index(area_by)["people"] if area_by else pd.Series({(): int(people["people"].iloc[0])})
    hide = np.zeros(len(df), dtype=bool)
    groups = df.groupby(area_by, sort=False).indices if area_by else {(): np.arange(len(df))}
    for key, rows in groups.items():
        key = key[0] if isinstance(key, tuple) and len(key) == 1 else key
        aid_rows = rows[(df["budget_category"].to_numpy()[rows] == "hardship_aid")]
        if not len(aid_rows) or not too_few(int(n.get(key, 0)), THRESHOLD):
            continue
        hide[aid_rows] = True
        actual, category = df["actual"].to_numpy(), df["budget_category"].to_numpy()
        others = rows[~hide[rows] & (actual[rows] > 0)]
        preferred = others[category[others] != "precise_service"]
        others = preferred if len(preferred) else others
        if len(others):
            hide[others[actual[others].argmin()]] = True
    return hide_rows(df, hide, ("actual", "execution_rate"))


def execution_total(execution: pd.DataFrame) -> pd.Series:
    """The overall execution of a view — the one definition every page, the meeting screen
    and the district comparison use: spending ÷ budget, each summed over the rows of a
    :func:`fetch_budget_execution` frame (any breakdown of the same view). Fields: budget,
    actual, execution_rate (NaN without a budget)."""
    budget = float(execution["budget"].sum()) if len(execution) else 0.0
    actual = float(execution["actual"].sum()) if len(execution) else 0.0
    return pd.Series({"budget": budget, "actual": actual, "execution_rate": rate(actual, budget)})


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


# ---------------------------------------------------------------------------- monthly spending


def build_monthly_spending(filters: Filters, scope: Scope, categories: Sequence[str] | None = None) -> sa.Select:
    year, month = sa.extract("year", D.c.paid_on), sa.extract("month", D.c.paid_on)
    conds = [in_period(D.c.paid_on, filters), *area_condition(D.c.area_code, filters, scope)]
    if categories:
        conds.append(D.c.category.in_(tuple(categories)))
    return (
        sa.select(year.label("year"), month.label("month"), sa.func.sum(D.c.amount).label("actual"))
        .where(*conds)
        .group_by(year, month)
        .order_by(year, month)
    )


def fetch_monthly_spending(
    conn: sa.Connection, filters: Filters, scope: Scope, categories: Sequence[str] | None = None
) -> pd.DataFrame:
    """Spending per month of the period. Columns: year, month, actual, cumulative (元). Where
    the caller's scope hides small cells, the spending of 特困帮扶 alone is hidden when it is
    the aid of fewer than five people."""
    df = as_money(fetch_df(conn, build_monthly_spending(filters, scope, categories)), ["actual"])
    for col in ("year", "month"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    df["cumulative"] = df["actual"].cumsum().round(2)
    if scope.hide_small_cells and categories and set(categories) == {"hardship_aid"}:
        if too_few(int(aid_people(conn, filters, scope)["people"].iloc[0])):
            df = hide_rows(df, np.ones(len(df), dtype=bool), ("actual", "cumulative"))
    return df


# ---------------------------------------------------------------------------- hardship coverage


def _aided(filters: Filters) -> sa.ColumnElement[bool]:
    """Paid hardship aid in cash in the period. An uncorrelated IN (never NULL, so NOT IN is
    safe): one pass over the period's payments instead of a probe per flagged person."""
    return P.c.id.in_(
        sa.select(D.c.person_id).where(
            D.c.person_id.is_not(None),
            D.c.category == "hardship_aid",
            D.c.form == "cash",
            in_period(D.c.paid_on, filters),
        )
    )


def _flagged(filters: Filters, stored: sa.Subquery | None) -> tuple[sa.FromClause, sa.ColumnElement[bool]]:
    """(the people to count from, "paid hardship aid in cash in the period"): every person
    and the payments, or the rollup's list of flagged people (``stored``: person_id, aided)
    joined to them by id — the same people once the hardship condition applies."""
    if stored is None:
        return P, _aided(filters)
    return P.join(stored, stored.c.person_id == P.c.id), stored.c.aided == 1


def build_hardship_coverage(
    filters: Filters, scope: Scope, by: Sequence[str] = (), stored: sa.Subquery | None = None
) -> sa.Select:
    dims = dimensions(
        by, {"category": P.c.category, "area_code": P.c.area_code, "hardship_reason": P.c.hardship_reason}
    )
    people, aided = _flagged(filters, stored)
    stmt = (
        sa.select(*dims, sa.func.count().label("flagged"), count_if(aided).label("aided"))
        .select_from(people)
        .where(*population(filters, scope), P.c.hardship_reason.is_not(None))
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


@small_cells(
    {"flagged": ("aided", "unaided", "coverage"), "aided": ("unaided", "coverage"), "unaided": ("aided", "coverage")}
)
def fetch_hardship_coverage(
    conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()
) -> pd.DataFrame:
    """困难对象覆盖率. Columns: the ``by`` dimensions (category, area_code, hardship_reason),
    flagged (people alive at the period's end with a hardship reason), aided (of them, paid
    hardship aid in cash in the period), unaided, coverage (aided ÷ flagged)."""
    stored = rollup_store.hardship_source(conn, filters)
    df = as_ints(fetch_df(conn, build_hardship_coverage(filters, scope, by, stored)), ["flagged", "aided"])
    df["unaided"] = df["flagged"] - df["aided"]
    df["coverage"] = rate(df["aided"], df["flagged"])
    return df


def fetch_unaided_list(conn: sa.Connection, filters: Filters, scope: Scope, unmasked: bool = False) -> pd.DataFrame:
    """People flagged with a hardship who received no aid in the period (masked names).
    Columns: person_id, name, area_code, category, hardship_reason, service_tier."""
    people, aided = _flagged(filters, rollup_store.hardship_source(conn, filters))
    stmt = (
        sa.select(
            P.c.id.label("person_id"), P.c.name, P.c.area_code, P.c.category, P.c.hardship_reason, P.c.service_tier
        )
        .select_from(people)
        .where(*population(filters, scope), P.c.hardship_reason.is_not(None), sa.not_(aided))
        .order_by(P.c.area_code, P.c.category, P.c.id)
    )
    df = fetch_df(conn, stmt)
    return df if unmasked else mask_columns(df, names=("name",))


# ---------------------------------------------------------------------------- disbursements behind a figure


def fetch_disbursements(
    conn: sa.Connection, filters: Filters, scope: Scope, category: str, unmasked: bool = False
) -> pd.DataFrame:
    """The payments behind one category's figure in the period, newest first. Columns:
    paid_on, area_code, amount, form (cash / goods), recipient (masked; empty for lump
    payments such as payroll), recipient_category, hardship_reason."""
    stmt = (
        sa.select(
            D.c.paid_on,
            D.c.area_code,
            D.c.amount,
            D.c.form,
            P.c.name.label("recipient"),
            P.c.category.label("recipient_category"),
            D.c.hardship_reason,
        )
        .select_from(D.outerjoin(P, P.c.id == D.c.person_id))
        .where(
            D.c.category == category, in_period(D.c.paid_on, filters), *area_condition(D.c.area_code, filters, scope)
        )
        .order_by(D.c.paid_on.desc(), D.c.id)
    )
    df = as_money(fetch_df(conn, stmt), ["amount"])
    return df if unmasked else mask_columns(df, names=("recipient",))
