"""Small helpers shared by the query modules: dimension whitelists and result typing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import sqlalchemy as sa

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
    """Counts come back as int, Decimal or NULL depending on the backend: make them int64."""
    for col in columns:
        df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
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
