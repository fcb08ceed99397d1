"""Party branches (党支部): branches active at the period's end and their members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import fetch_df
from data_access.filters import Filters, Scope, area_condition, population
from data_access.query import as_ints, count_if, dimensions, rate

B, P = schema.party_branches, schema.people

DIMENSIONS: dict[str, sa.ColumnElement] = {"kind": B.c.kind, "area_code": B.c.area_code}
MIN_FULL_MEMBERS = 3  # a branch needs at least three full members
MAX_MEMBERS = 50  # and should stay at or under fifty


def active_at(end: dt.date) -> sa.ColumnElement[bool]:
    """Founded before ``end`` (exclusive) and not closed by then."""
    return sa.and_(B.c.founded_on < end, sa.or_(B.c.closed_on.is_(None), B.c.closed_on >= end))


def members_subquery(filters: Filters, scope: Scope) -> sa.Subquery:
    """Per branch: living party members in scope at the period's end, and full members."""
    return (
        sa.select(
            P.c.branch_id.label("branch_id"),
            sa.func.count().label("members"),
            count_if(P.c.party_status == "full").label("full_members"),
        )
        .where(*population(filters, scope), P.c.party_status.is_not(None), P.c.branch_id.is_not(None))
        .group_by(P.c.branch_id)
        .subquery("m")
    )


def build_branch_summary(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, DIMENSIONS)
    m = members_subquery(filters, scope)
    members = sa.func.coalesce(m.c.members, 0)
    full = sa.func.coalesce(m.c.full_members, 0)
    stmt = (
        sa.select(
            *dims,
            sa.func.count().label("branches"),
            count_if(B.c.secretary_is_retiree.is_(True)).label("retiree_secretaries"),
            sa.func.sum(members).label("members"),
            count_if(full < MIN_FULL_MEMBERS).label("below_min_full"),
            count_if(members > MAX_MEMBERS).label("above_max"),
        )
        .select_from(B.outerjoin(m, m.c.branch_id == B.c.id))
        .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_branch_summary(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """Columns: the ``by`` dimensions (kind, area_code), branches (active at the period's
    end), retiree_secretaries, members (living party members in scope), below_min_full
    (fewer than 3 full members), above_max (over 50 members), retiree_secretary_share."""
    cols = ["branches", "retiree_secretaries", "members", "below_min_full", "above_max"]
    df = as_ints(fetch_df(conn, build_branch_summary(filters, scope, by)), cols)
    df["retiree_secretary_share"] = rate(df["retiree_secretaries"], df["branches"])
    return df


def build_branch_list(filters: Filters, scope: Scope) -> sa.Select:
    m = members_subquery(filters, scope)
    return (
        sa.select(
            B.c.id.label("branch_id"),
            B.c.name,
            B.c.kind,
            B.c.area_code,
            B.c.unit_id,
            B.c.secretary_is_retiree,
            B.c.founded_on,
            sa.func.coalesce(m.c.members, 0).label("members"),
            sa.func.coalesce(m.c.full_members, 0).label("full_members"),
        )
        .select_from(B.outerjoin(m, m.c.branch_id == B.c.id))
        .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
        .order_by(B.c.area_code, B.c.kind, B.c.id)
    )


def fetch_branch_list(conn: sa.Connection, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per active branch: branch_id, name, kind, area_code, unit_id,
    secretary_is_retiree, founded_on, members, full_members."""
    return as_ints(fetch_df(conn, build_branch_list(filters, scope)), ["members", "full_members"])


# ---------------------------------------------------------------------------- organisational life

A = schema.branch_activities
REQUIRED_MONTHLY = "theme_day"  # 主题党日, every month
REQUIRED_QUARTERLY = ("general_meeting", "party_lecture")  # 党员大会 and 党课, every quarter


def _month_key(column: sa.ColumnElement) -> sa.ColumnElement[int]:
    return sa.extract("year", column) * 100 + sa.extract("month", column)


def _quarter_key(column: sa.ColumnElement) -> sa.ColumnElement[int]:
    month = sa.extract("month", column)
    quarter = sa.case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    return sa.extract("year", column) * 10 + quarter


def build_activity_counts(filters: Filters, scope: Scope) -> sa.Select:
    held = sa.and_(A.c.held_on >= filters.period.start, A.c.held_on < filters.period.end)

    def distinct_slots(activity: str, key) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(sa.case((A.c.activity_type == activity, key(A.c.held_on)))))

    return (
        sa.select(
            B.c.id.label("branch_id"),
            B.c.founded_on,
            distinct_slots(REQUIRED_MONTHLY, _month_key).label("theme_day_months"),
            distinct_slots(REQUIRED_QUARTERLY[0], _quarter_key).label("general_meeting_quarters"),
            distinct_slots(REQUIRED_QUARTERLY[1], _quarter_key).label("party_lecture_quarters"),
        )
        .select_from(B.outerjoin(A, sa.and_(A.c.branch_id == B.c.id, held)))
        .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
        .group_by(B.c.id, B.c.founded_on)
        .order_by(B.c.id)
    )


def _required_slots(period_start: dt.date, period_end: dt.date, founded: dt.date) -> tuple[int, int]:
    """Calendar months and quarters lying wholly inside the period after the branch was
    founded: those the branch owed (a month still running is not yet owed)."""
    start = max(period_start, founded)
    months = quarters = 0
    y, m = start.year, start.month
    while True:
        month_start = dt.date(y, m, 1)
        month_end = dt.date(y + (m == 12), m % 12 + 1, 1)
        if month_end > period_end:
            break
        if month_start >= start:
            months += 1
            if m % 3 == 0 and dt.date(y, m - 2, 1) >= start:
                quarters += 1
        y, m = month_end.year, month_end.month
    return months, quarters


def fetch_activity_completion(conn: sa.Connection, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Per active branch: theme_day_months, general_meeting_quarters, party_lecture_quarters
    held in the period; months_required, quarters_required; slots_held / slots_required
    (组织生活: monthly 主题党日, quarterly 党员大会 and 党课) and missed (any required slot missed)."""
    df = fetch_df(conn, build_activity_counts(filters, scope))
    cols = ["theme_day_months", "general_meeting_quarters", "party_lecture_quarters"]
    df = as_ints(df, cols)
    required = [_required_slots(filters.period.start, filters.period.end, _to_date(f)) for f in df["founded_on"]]
    df["months_required"] = [r[0] for r in required]
    df["quarters_required"] = [r[1] for r in required]
    df["slots_required"] = df["months_required"] + 2 * df["quarters_required"]
    df["slots_held"] = (
        df["theme_day_months"].clip(upper=df["months_required"])
        + df["general_meeting_quarters"].clip(upper=df["quarters_required"])
        + df["party_lecture_quarters"].clip(upper=df["quarters_required"])
    )
    df["missed"] = df["slots_held"] < df["slots_required"]
    return df


def _to_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
