"""Small helpers shared by the query modules: dimension whitelists and result typing."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from data_access.errors import FilterError


def dimensions(by: Sequence[str], allowed: Mapping[str, sa.ColumnElement]) -> list[sa.ColumnElement]:
    """Labelled columns for ``by``; any name not in the whitelist is refused."""
    unknown = tuple(d for d in by if d not in allowed)
    if unknown:
        raise FilterError(f"cannot group by {', '.join(unknown)}", "by", "unknown_value", unknown)
    return [allowed[d].label(d) for d in by]


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END), portable."""
    return sa.func.sum(sa.case((condition, 1), else_=0))


def as_ints(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Counts come back as int, Decimal or NULL depending on the backend: make them int64.
    Columns already int64 are left alone; the others are converted together (a summary has
    some twenty count columns, and a pass per column cost more than its query on a page)."""
    dtypes = dict(zip(df.columns, df.dtypes, strict=True))
    todo = [c for c in columns if dtypes[c] != np.int64]
    if not todo:
        return df
    try:  # ints, floats, Decimals and NULLs in one pass
        values = df[todo].to_numpy(dtype="float64", na_value=0.0)
    except (TypeError, ValueError):  # anything else (text): column by column, as to_numeric reads it
        for col in todo:
            df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
        return df
    converted = pd.DataFrame(values.astype("int64"), columns=todo, index=df.index)
    for col in todo:
        df[col] = converted[col]
    return df


def as_floats(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    for col in columns:
        df[col] = pd.to_numeric(df[col]).astype("float64")
    return df


def as_money(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Amounts in 元 rounded to the fen: SQLite sums money as binary floats."""
    for col in columns:
        df[col] = pd.to_numeric(df[col]).astype("float64").round(2)
    return df


def rate(numerator: pd.Series | int, denominator: pd.Series | int):
    """numerator / denominator, NaN where the denominator is zero."""
    if isinstance(denominator, pd.Series):
        return numerator / denominator.where(denominator != 0)
    return float("nan") if not denominator else numerator / denominator


def nearest_rank(values: pd.Series, counts: pd.Series, q: float) -> float:
    """The nearest-rank quantile (最近秩法) of a distribution given as values and their
    counts: the smallest value whose cumulative count reaches ``q`` of the total (median:
    ``q = 0.5``; of 14, 22, 28, 35 that is 22, never an average of two). NaN when empty.
    The one quantile every figure uses (days to deliver a service, days to answer)."""
    total = counts.sum()
    if not total:
        return float("nan")
    order = values.argsort(kind="stable")
    v, c = values.to_numpy()[order], counts.to_numpy()[order].cumsum()
    need = math.ceil(q * total - 1e-9)
    return float(v[(c >= need).argmax()])


class days_between(FunctionElement):
    """Whole days from ``start`` to ``end`` (``end - start``), compiled to each backend's own
    date arithmetic: ``days_between(start, end)``."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_default(element, compiler, **kw):  # PostgreSQL: date - date is an integer
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"


@compiles(days_between, "mysql")
@compiles(days_between, "mariadb")
def _days_mysql(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"DATEDIFF({compiler.process(end, **kw)}, {compiler.process(start, **kw)})"


# ---------------------------------------------------------------------------- month by month

_ONE_DAY = dt.timedelta(days=1)
MONTH = ("year", "month")  # the dimensions of a month-by-month series (stored as rollup items)


def month_of(end) -> tuple[int, int]:
    """(year, month) of the month that ends at the exclusive ``end`` (``Period.month_ends``)."""
    last = end - _ONE_DAY
    return last.year, last.month


def month_label(measure: str, i: int) -> str:
    """The column of ``measure`` at the ``i``-th month end in a month-by-month statement."""
    return f"{measure}_{i}"


def grouped(source, by: Sequence[str], cols: Sequence[sa.ColumnElement]) -> sa.Select:
    """``cols`` over ``source`` (a month-by-month statement's people), grouped and ordered by
    the ``by`` columns of ``source``; one row without ``by``."""
    keys = [source.c[d] for d in by]
    stmt = sa.select(*keys, *cols)
    return stmt.group_by(*keys).order_by(*keys) if keys else stmt


def monthly_long(wide: pd.DataFrame, by: Sequence[str], ends: Sequence, measures: Sequence[str]) -> pd.DataFrame:
    """A frame of one row per ``by`` group with a column per measure and month end
    (:func:`month_label`) as one row per group and month: the ``by`` columns, year, month
    and the measures, months in order within each group. (Built from arrays: a page reads
    several of these, and a frame op per month costs more than the statement.)"""
    k, n = len(ends), len(wide)
    months = [month_of(e) for e in ends]
    cols: dict[str, object] = {d: np.tile(wide[d].to_numpy(dtype=object), k) for d in by}
    cols["year"] = np.repeat(np.array([y for y, _ in months], dtype="int64"), n)
    cols["month"] = np.repeat(np.array([m for _, m in months], dtype="int64"), n)
    values, at = wide.to_numpy(dtype=object), {c: j for j, c in enumerate(wide.columns)}
    for m in measures:
        parts = [values[:, at[month_label(m, i)]] for i in range(k)]
        cols[m] = np.concatenate(parts) if n else np.array([], dtype=object)
    out = pd.DataFrame(cols)
    return out.sort_values([*by, *MONTH], kind="stable").reset_index(drop=True) if by and n else out


def every_month(df: pd.DataFrame, by: Sequence[str], ends: Sequence, measures: Sequence[str]) -> pd.DataFrame:
    """A month-by-month frame (raw or from the rollup, whose year and month are text) with
    integer year and month and, without ``by``, exactly a row for every month end in order
    (NaN where nothing was counted)."""
    if by:
        df = df.reindex(columns=[*by, *MONTH, *measures])
        for col in MONTH:
            df[col] = pd.to_numeric(df[col]).astype("int64")
        return df
    months = [month_of(e) for e in ends]
    at = {(int(y), int(m)): i for i, (y, m) in enumerate(zip(df["year"], df["month"]))} if len(df) else {}
    rows = [at.get(key) for key in months]
    cols: dict[str, object] = {
        "year": np.array([y for y, _ in months], dtype="int64"),
        "month": np.array([m for _, m in months], dtype="int64"),
    }
    for m in measures:
        values = df[m].to_numpy(dtype=object) if m in df else np.full(len(df), None, dtype=object)
        cols[m] = np.array([None if r is None else values[r] for r in rows], dtype=object)
    return pd.DataFrame(cols)
