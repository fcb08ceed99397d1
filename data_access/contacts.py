"""Contact coverage (联系覆盖): who was reached in a period."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import fetch_df
from data_access.filters import Filters, Scope, key_cohort, population
from data_access.people import DIMENSIONS as PEOPLE_DIMENSIONS
from data_access.query import as_ints, count_if, dimensions, rate

P, C, U = schema.people, schema.contacts, schema.units


def reached_in(filters: Filters) -> sa.ColumnElement[bool]:
    """The person had at least one contact in the period."""
    return sa.exists(
        sa.select(1).where(
            C.c.person_id == P.c.id,
            C.c.contact_date >= filters.period.start,
            C.c.contact_date < filters.period.end,
        )
    )


def build_coverage(filters: Filters, scope: Scope, by: Sequence[str] = (), key_cohort_only: bool = False) -> sa.Select:
    dims = dimensions(by, PEOPLE_DIMENSIONS)
    conds = population(filters, scope)
    if key_cohort_only:
        conds.append(key_cohort())
    frm = P.outerjoin(U, U.c.id == P.c.unit_id) if "unit_type" in by else P
    stmt = (
        sa.select(
            *dims,
            sa.func.count().label("population"),
            count_if(reached_in(filters)).label("reached"),
        )
        .select_from(frm)
        .where(*conds)
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_coverage(
    conn: sa.Connection,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = (),
    key_cohort_only: bool = False,
) -> pd.DataFrame:
    """Columns: the ``by`` dimensions, population (alive in scope at the period's end),
    reached (at least one contact in the period), unreached, coverage (reached ÷ population,
    NaN where nobody is in scope). ``key_cohort_only`` restricts to 重点对象."""
    df = as_ints(fetch_df(conn, build_coverage(filters, scope, by, key_cohort_only)), ["population", "reached"])
    df["unreached"] = df["population"] - df["reached"]
    df["coverage"] = rate(df["reached"], df["population"])
    return df
