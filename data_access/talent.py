"""The silver talent pool (银发人才库): who is in it, who joined and left, and the
activities its members took part in (座谈, 调研, 授课培训, 咨询服务, 宣讲).

- In the pool at the period's end (期末在库): an entry with ``joined_on`` on or before the
  period's last day and ``left_on`` empty or after it (``left_on`` is exclusive), held by a
  person alive and in the ledger at the period's end, in the filters and the scope.
  People are counted once, even with entries in two fields; by field, a person with two
  fields counts in each.
- Joined / left (入库 / 出库): distinct people with ``joined_on`` / ``left_on`` in the period
  (in the filters and scope; a death is not a leaving: the dead simply drop out of the pool).
- Activities (活动人次): activity rows held in the period by people in the filters and scope
  who were in the pool on the day (an entry with ``joined_on <= held_on < left_on``). By
  field, an activity counts under the field(s) its person held that day.
- Participation rate (参与率): people in the pool at the period's end who took part in at
  least one activity in the period ÷ people in the pool at the period's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import codes, rollup_store, schema
from data_access.db import as_date, fetch_df
from data_access.errors import FilterError
from data_access.filters import (
    Filters,
    Period,
    Scope,
    age_condition,
    completed_age,
    in_population,
    person_conditions,
)
from data_access.people import GRAIN_DIMENSIONS
from data_access.privacy import mask_columns, small_cells
from data_access.query import as_ints, dimensions, rate

T, A, P, U = schema.talent_pool, schema.talent_activities, schema.people, schema.units


def age_band(on: dt.date, people: sa.Table = P) -> sa.ColumnElement[str]:
    """The age band (codes.AGE_BANDS) of a person on day ``on``, from bound birth-date bounds."""
    return sa.case(*((age_condition((band,), on, people), band) for band in codes.AGE_BANDS), else_=None)


# The query's own dimensions the rollup stores (each alone, or none).
POOL_ITEMS = ((), ("field",), ("age_band",))
ACTIVITY_ITEMS = ((), ("kind",), ("field",))


def _dimensions(filters: Filters) -> dict[str, sa.ColumnElement]:
    return {
        "field": T.c.field,
        "age_band": age_band(filters.period.last_day),
        **GRAIN_DIMENSIONS,  # area for the pages, the whole grain for the rollup
    }


def in_pool_on(end: dt.date, entries: sa.Table = T) -> sa.ColumnElement[bool]:
    """An entry open at the end of a half-open period (``end`` exclusive)."""
    return sa.and_(entries.c.joined_on < end, sa.or_(entries.c.left_on.is_(None), entries.c.left_on >= end))


def _in_period(column: sa.ColumnElement, filters: Filters) -> sa.ColumnElement[bool]:
    return sa.and_(column >= filters.period.start, column < filters.period.end)


def _member_on_the_day(entries: sa.Table = T) -> sa.ColumnElement[bool]:
    return sa.and_(
        entries.c.person_id == A.c.person_id,
        entries.c.joined_on <= A.c.held_on,
        sa.or_(entries.c.left_on.is_(None), entries.c.left_on > A.c.held_on),
    )


def _took_part(filters: Filters) -> sa.ColumnElement[bool]:
    """The pool entry's person took part in an activity in the period, while a member."""
    member = T.alias("member")
    return sa.exists(
        sa.select(1)
        .select_from(A)
        .where(
            A.c.person_id == T.c.person_id,
            _in_period(A.c.held_on, filters),
            sa.exists(sa.select(1).select_from(member).where(_member_on_the_day(member))),
        )
    )


def build_pool(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, _dimensions(filters))
    end = filters.period.end
    at_end = sa.and_(in_pool_on(end), in_population(end))
    joined = _in_period(T.c.joined_on, filters)
    left = _in_period(T.c.left_on, filters)

    def people(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(sa.case((cond, T.c.person_id))))

    stmt = (
        sa.select(
            *dims,
            people(at_end).label("pool"),
            people(sa.and_(at_end, _took_part(filters))).label("participants"),
            people(joined).label("joined"),
            people(left).label("left"),
        )
        .select_from(T.join(P, P.c.id == T.c.person_id))
        .where(sa.or_(at_end, joined, left), *person_conditions(filters, scope))
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


POOL_SMALL_CELLS = {
    "pool": ("participation_rate",),
    "participants": ("participation_rate",),
    "joined": (),
    "left": (),
}


@small_cells(POOL_SMALL_CELLS)
def fetch_pool(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """People in the pool, one row per ``by`` group (field, area_code, age_band). Columns:
    pool (distinct people in the pool at the period's end), participants (of them, took part
    in an activity in the period), participation_rate (participants ÷ pool), joined, left
    (distinct people whose entry began / ended in the period)."""
    cols = ["pool", "participants", "joined", "left"]
    stored = rollup_store.lookup_by(conn, "talent_pool", filters, scope, by, POOL_ITEMS)
    if stored is None:
        stored = fetch_df(conn, build_pool(filters, scope, by))
    df = as_ints(stored.reindex(columns=[*by, *cols], fill_value=0), cols)
    df["participation_rate"] = rate(df["participants"], df["pool"])
    return df


def build_activities(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, {"kind": A.c.kind, "field": T.c.field, **GRAIN_DIMENSIONS})
    conds = [_in_period(A.c.held_on, filters), *person_conditions(filters, scope)]
    source = A.join(P, P.c.id == A.c.person_id)
    if "field" in by:
        source = source.join(T, _member_on_the_day())
    else:
        conds.append(sa.exists(sa.select(1).select_from(T).where(_member_on_the_day())))
    stmt = sa.select(
        *dims,
        sa.func.count(sa.distinct(A.c.id)).label("activities"),
        sa.func.count(sa.distinct(A.c.person_id)).label("people"),
    ).select_from(source)
    stmt = stmt.where(*conds)
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


@small_cells({"people": ()})
def fetch_activities(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """Activities held in the period by pool members (members on the day). Columns: the
    ``by`` dimensions (kind, field, area_code), activities (人次: one row per person and
    activity), people (distinct people who took part)."""
    cols = ["activities", "people"]
    stored = rollup_store.lookup_by(conn, "talent_activities", filters, scope, by, ACTIVITY_ITEMS)
    if stored is None:
        stored = fetch_df(conn, build_activities(filters, scope, by))
    return as_ints(stored.reindex(columns=[*by, *cols], fill_value=0), cols)


@small_cells({**POOL_SMALL_CELLS, "people": ()}, keys=("year",), sums=())
def fetch_trend(
    conn: sa.Connection, filters: Filters, scope: Scope, years: Sequence[int], as_of: dt.date
) -> pd.DataFrame:
    """Year by year (each year cut at the as-of date): year, pool (at the year's end),
    joined, left, participants, participation_rate, activities, people."""
    rows = []
    for year in years:
        f = filters.with_period(Period.year(int(year), as_of))
        pool = fetch_pool.__wrapped__(conn, f, scope).iloc[0]  # suppressed once, as a whole
        act = fetch_activities.__wrapped__(conn, f, scope).iloc[0]
        rows.append(
            {
                "year": int(year),
                "pool": int(pool["pool"]),
                "joined": int(pool["joined"]),
                "left": int(pool["left"]),
                "participants": int(pool["participants"]),
                "participation_rate": float(pool["participation_rate"]),
                "activities": int(act["activities"]),
                "people": int(act["people"]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["year", "pool", "joined", "left", "participants", "participation_rate", "activities", "people"],
    )


def fetch_members(
    conn: sa.Connection, filters: Filters, scope: Scope, field: str | None = None, unmasked: bool = False
) -> pd.DataFrame:
    """The people in the pool at the period's end (in one field when given), most active
    first. Columns: person_id, name (masked), age (completed years on the period's last day),
    field, area_code, unit_name, joined_on, activities (taken part in during the period, as a
    member on the day)."""
    if field is not None and field not in codes.TALENT_FIELDS:
        raise FilterError(f"unknown talent field: {field!r}", "field", "unknown_value", (field,))
    end = filters.period.end
    activities = (
        sa.select(sa.func.count())
        .select_from(A)
        .where(
            A.c.person_id == T.c.person_id,
            _in_period(A.c.held_on, filters),
            A.c.held_on >= T.c.joined_on,
            sa.or_(T.c.left_on.is_(None), A.c.held_on < T.c.left_on),
        )
        .scalar_subquery()
    )
    conds = [in_pool_on(end), in_population(end), *person_conditions(filters, scope)]
    if field is not None:
        conds.append(T.c.field == field)
    stmt = (
        sa.select(
            P.c.id.label("person_id"),
            P.c.name,
            completed_age(filters.period.last_day).label("age"),
            T.c.field,
            P.c.area_code,
            U.c.name.label("unit_name"),
            T.c.joined_on,
            activities.label("activities"),
        )
        .select_from(T.join(P, P.c.id == T.c.person_id).outerjoin(U, U.c.id == P.c.unit_id))
        .where(*conds)
        .order_by(P.c.id, T.c.field)
    )
    df = as_ints(fetch_df(conn, stmt), ["age", "activities"])
    df["joined_on"] = [as_date(d) for d in df["joined_on"]]
    df = df.sort_values(["activities", "person_id"], ascending=[False, True], ignore_index=True)
    return df if unmasked else mask_columns(df, names=("name",))
