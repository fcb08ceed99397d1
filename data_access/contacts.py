"""Contact coverage (联系覆盖): who was reached in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import fetch_df
from data_access.filters import Filters, Period, Scope, key_cohort, population
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


# ---------------------------------------------------------------------------- overdue

T = schema.service_tiers


def overdue_reference_date(filters: Filters, as_of: dt.date) -> dt.date:
    """Overdue is judged on the as-of date, or on the period's last day for a past period."""
    return min(filters.period.last_day, as_of)


def _cadences(conn: sa.Connection) -> dict[int, int]:
    return {int(t): int(d) for t, d in conn.execute(sa.select(T.c.tier, T.c.cadence_days)).all()}


def build_overdue(
    filters: Filters, scope: Scope, on: dt.date, cadences: dict[int, int], by: Sequence[str] = ()
) -> sa.Select:
    """People alive in scope on ``on`` whose last contact up to ``on`` (or, never contacted,
    their entry into the ledger) is older than their tier's cadence. Thresholds are bound
    dates per tier, so no date arithmetic runs in SQL."""
    last = (
        sa.select(C.c.person_id, sa.func.max(C.c.contact_date).label("last_contact"))
        .where(C.c.contact_date <= on)
        .group_by(C.c.person_id)
        .subquery("last")
    )
    since = sa.func.coalesce(last.c.last_contact, P.c.entry_date)
    late = sa.or_(
        *(
            sa.and_(P.c.service_tier == tier, since < on - dt.timedelta(days=days))
            for tier, days in sorted(cadences.items())
        )
    )
    day_filters = filters.with_period(
        Period(filters.period.start if filters.period.start <= on else on, on + dt.timedelta(days=1))
    )
    dims = dimensions(by, PEOPLE_DIMENSIONS)
    frm = P.outerjoin(last, last.c.person_id == P.c.id)
    if "unit_type" in by:
        frm = frm.outerjoin(U, U.c.id == P.c.unit_id)
    stmt = (
        sa.select(*dims, sa.func.count().label("overdue")).select_from(frm).where(*population(day_filters, scope), late)
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_overdue_count(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()
) -> pd.DataFrame:
    """逾期未联系. Columns: the ``by`` dimensions and overdue (people whose last contact is older
    than their tier's cadence on the as-of date, or the period's last day if earlier)."""
    on = overdue_reference_date(filters, as_of)
    stmt = build_overdue(filters, scope, on, _cadences(conn), by)
    return as_ints(fetch_df(conn, stmt), ["overdue"])
