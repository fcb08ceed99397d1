"""Suggestions (建言献计) and their follow-up (反馈督办): received, answered by the due date,
days to answer, and what is still open or overdue.

Every figure is judged on one day, the *judgement day* R = the period's last day, or the
as-of date when that is earlier (the data cannot know beyond it). On R a suggestion is

- answered (已答复) when ``answered_on <= R``: on time (按期) when ``answered_on <= due_on``,
  late (超期答复) otherwise;
- open (在办) when not answered by R; overdue (逾期未答复) when open and ``due_on < R``;
- due (已到期) when ``due_on < R``: its outcome is settled (on time, late, or overdue).

Received (收到) means ``submitted_on`` in the period. The on-time rate is on time ÷ due,
both among the suggestions received in the period: one not yet due is left out of both
sides, even when already answered, so early answers do not flatter the rate. Open and
overdue count every suggestion submitted up to R, whatever its period: the backlog.
Filters and the access scope select the person who made the suggestion (their area).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_store, schema
from data_access.db import as_date, fetch_df
from data_access.filters import Filters, Scope, person_conditions
from data_access.people import GRAIN_DIMENSIONS
from data_access.privacy import mask_columns
from data_access.query import as_ints, count_if, days_between, dimensions, nearest_rank, rate

S, P, U = schema.suggestions, schema.people, schema.units

DIMENSIONS: dict[str, sa.ColumnElement] = {
    "department": S.c.department,
    "topic": S.c.topic,
    **GRAIN_DIMENSIONS,  # area for the pages, the whole grain for the rollup
}
# What the rollup stores (judged on the as-of date): the summary by none, department or topic.
SUMMARY_ITEMS = ((), ("department",), ("topic",))
STATUSES = ("overdue", "pending", "late", "on_time")  # the order of a follow-up list


def judgement_day(filters: Filters, as_of: dt.date) -> dt.date:
    """R: the period's last day, or the as-of date when that is earlier."""
    return min(filters.period.last_day, as_of)


def _states(filters: Filters, as_of: dt.date) -> dict[str, sa.ColumnElement[bool]]:
    r = judgement_day(filters, as_of)
    answered = sa.and_(S.c.answered_on.is_not(None), S.c.answered_on <= r)
    return {
        "received": sa.and_(S.c.submitted_on >= filters.period.start, S.c.submitted_on <= r),
        "answered": answered,
        "on_time": sa.and_(answered, S.c.answered_on <= S.c.due_on),
        "late": sa.and_(answered, S.c.answered_on > S.c.due_on),
        "open": sa.and_(S.c.submitted_on <= r, sa.not_(answered)),
        "due": S.c.due_on < r,
    }


def _where(filters: Filters, scope: Scope, as_of: dt.date) -> list[sa.ColumnElement[bool]]:
    st = _states(filters, as_of)
    return [sa.or_(st["received"], st["open"]), *person_conditions(filters, scope)]


def build_summary(filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, DIMENSIONS)
    st = _states(filters, as_of)
    received = st["received"]
    days = days_between(S.c.submitted_on, S.c.answered_on)
    stmt = (
        sa.select(
            *dims,
            count_if(received).label("received"),
            sa.func.count(sa.distinct(sa.case((received, S.c.person_id)))).label("suggesters"),
            count_if(sa.and_(received, st["due"])).label("due"),
            count_if(sa.and_(received, st["due"], st["on_time"])).label("on_time"),
            count_if(sa.and_(received, st["answered"])).label("answered"),
            count_if(sa.and_(received, st["late"])).label("late"),
            sa.func.sum(sa.case((sa.and_(received, st["answered"]), days), else_=0)).label("days_total"),
            count_if(st["open"]).label("open"),
            count_if(sa.and_(st["open"], st["due"])).label("overdue"),
            count_if(sa.and_(received, st["open"], st["due"])).label("overdue_received"),
        )
        .select_from(S.join(P, P.c.id == S.c.person_id))
        .where(*_where(filters, scope, as_of))
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_summary(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per ``by`` group (department, area_code, topic; none: one row). Columns:
    received (in the period), suggesters (distinct people), due (received and due by R),
    on_time (of the due, answered by the due date), on_time_rate (on_time ÷ due), answered
    (received and answered by R), late (answered after the due date), avg_days (mean days
    from submission to answer of the answered), open (backlog on R, any submission date),
    overdue (open and past due on R), overdue_received (of them, received in the period)."""
    df = rollup_store.lookup_by(conn, "suggestions", filters, scope, by, SUMMARY_ITEMS, ref_date=as_of)
    if df is None:
        df = fetch_df(conn, build_summary(filters, scope, as_of, by))
    counts = ["received", "suggesters", "due", "on_time", "answered", "late", "open", "overdue", "overdue_received"]
    df = as_ints(df.reindex(columns=[*by, *counts, "days_total"], fill_value=0), [*counts, "days_total"])
    df["avg_days"] = rate(df["days_total"], df["answered"])  # exact: MySQL's AVG keeps 4 decimals
    df["on_time_rate"] = rate(df["on_time"], df["due"])
    return df


def build_answer_days(filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()) -> sa.Select:
    st = _states(filters, as_of)
    dims = dimensions(by, DIMENSIONS)
    days = days_between(S.c.submitted_on, S.c.answered_on)
    return (
        sa.select(*dims, days.label("days"), sa.func.count().label("n"))
        .select_from(S.join(P, P.c.id == S.c.person_id))
        .where(st["received"], st["answered"], *person_conditions(filters, scope))
        .group_by(*dims, days)
        .order_by(*dims, days)
    )


def fetch_answer_days(conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Days to answer of the suggestions received in the period and answered by R, as a
    distribution (counted in the database). One row: answered, mean, median and p90 (both
    nearest rank, :func:`query.nearest_rank`: half / 90% were answered within this many
    days), max."""
    dist = rollup_store.lookup_by(conn, "answer_days", filters, scope, (), (("days",),), ("days",), as_of)
    if dist is None:
        dist = fetch_df(conn, build_answer_days(filters, scope, as_of))
    dist = as_ints(dist.reindex(columns=["days", "n"], fill_value=0), ["days", "n"])  # none in view: no columns
    dist = dist.groupby("days", as_index=False)["n"].sum()  # the rollup's text items sort as text
    n = int(dist["n"].sum())
    if not n:
        return pd.DataFrame([{"answered": 0, "mean": np.nan, "median": np.nan, "p90": np.nan, "max": np.nan}])
    days, counts = dist["days"], dist["n"]
    return pd.DataFrame(
        [
            {
                "answered": n,
                "mean": float((days * counts).sum() / n),
                "median": nearest_rank(days, counts, 0.5),
                "p90": nearest_rank(days, counts, 0.9),
                "max": float(days.max()),
            }
        ]
    )


def build_monthly(filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()) -> sa.Select:
    st = _states(filters, as_of)
    dims = dimensions(by, DIMENSIONS)
    year, month = sa.extract("year", S.c.submitted_on), sa.extract("month", S.c.submitted_on)
    return (
        sa.select(
            *dims,
            year.label("year"),
            month.label("month"),
            sa.func.count().label("received"),
            count_if(st["due"]).label("due"),
            count_if(sa.and_(st["due"], st["on_time"])).label("on_time"),
        )
        .select_from(S.join(P, P.c.id == S.c.person_id))
        .where(st["received"], *person_conditions(filters, scope))
        .group_by(*dims, year, month)
        .order_by(*dims, year, month)
    )


def fetch_monthly(conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Suggestions received per month of submission. Columns: year, month, received, due,
    on_time, on_time_rate (on_time ÷ due of that month's suggestions)."""
    months = (("year", "month"),)
    df = rollup_store.lookup_by(conn, "suggestions_monthly", filters, scope, (), months, ("year", "month"), as_of)
    if df is None:
        df = fetch_df(conn, build_monthly(filters, scope, as_of))
    cols = ["year", "month", "received", "due", "on_time"]
    df = as_ints(df.reindex(columns=cols, fill_value=0), cols)
    df["on_time_rate"] = rate(df["on_time"], df["due"])
    return df


def _status(filters: Filters, as_of: dt.date) -> sa.ColumnElement[str]:
    st = _states(filters, as_of)
    return sa.case(
        (st["on_time"], "on_time"),
        (st["late"], "late"),
        (st["due"], "overdue"),
        else_="pending",
    )


def build_list(filters: Filters, scope: Scope, as_of: dt.date, department: str | None, overdue_only: bool):
    st = _states(filters, as_of)
    conds = _where(filters, scope, as_of)
    if department is not None:
        conds.append(S.c.department == department)
    if overdue_only:
        conds += [st["open"], st["due"]]
    return (
        sa.select(
            S.c.id.label("suggestion_id"),
            P.c.name,
            P.c.area_code,
            U.c.name.label("unit_name"),
            S.c.topic,
            S.c.department,
            S.c.submitted_on,
            S.c.due_on,
            sa.case((st["answered"], S.c.answered_on)).label("answered_on"),
            _status(filters, as_of).label("status"),
            st["received"].label("received"),
        )
        .select_from(S.join(P, P.c.id == S.c.person_id).outerjoin(U, U.c.id == P.c.unit_id))
        .where(*conds)
        .order_by(S.c.id)
    )


def _date(value) -> dt.date | None:
    return None if value is None or (not isinstance(value, dt.date) and pd.isna(value)) else as_date(value)


def _with_days(df: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    for col in ("submitted_on", "due_on", "answered_on"):
        df[col] = pd.Series([_date(v) for v in df[col]], index=df.index, dtype=object)
    df["received"] = df["received"].astype(bool)
    df["days_to_answer"] = pd.array(
        [None if a is None else (a - s).days for a, s in zip(df["answered_on"], df["submitted_on"])], dtype="Int64"
    )
    df["days_overdue"] = pd.array(
        [
            (on - d).days if st == "overdue" else ((a - d).days if st == "late" else None)
            for st, d, a in zip(df["status"], df["due_on"], df["answered_on"])
        ],
        dtype="Int64",
    )
    return df


def fetch_overdue_list(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, unmasked: bool = False
) -> pd.DataFrame:
    """The follow-up action list (反馈督办): suggestions not answered by R whose due date
    has passed, whatever their submission date, most overdue first. Columns: suggestion_id,
    name (masked), area_code, unit_name, topic, department, submitted_on, due_on,
    days_overdue (R - due_on), received (submitted in the period)."""
    df = fetch_df(conn, build_list(filters, scope, as_of, None, overdue_only=True))
    df = _with_days(df, judgement_day(filters, as_of))
    df = df.sort_values(["days_overdue", "suggestion_id"], ascending=[False, True], ignore_index=True)
    df = df.drop(columns=["answered_on", "status", "days_to_answer"])
    return df if unmasked else mask_columns(df, names=("name",))


def fetch_department_list(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, department: str, unmasked: bool = False
) -> pd.DataFrame:
    """One department's suggestions behind its figures: received in the period, plus the
    backlog still open on R. Overdue first (most days first), then pending, late, on time.
    Columns: suggestion_id, name (masked), area_code, unit_name, topic, department,
    submitted_on, due_on, answered_on (empty if not answered by R), status (on_time / late
    / overdue / pending), received (in the period), days_to_answer, days_overdue (overdue:
    R - due_on; late: answered_on - due_on)."""
    df = fetch_df(conn, build_list(filters, scope, as_of, department, overdue_only=False))
    df = _with_days(df, judgement_day(filters, as_of))
    df["_order"] = df["status"].map({s: i for i, s in enumerate(STATUSES)})
    df["_days"] = df["days_overdue"].fillna(-1)
    df = df.sort_values(["_order", "_days", "submitted_on", "suggestion_id"], ascending=[True, False, True, True])
    df = df.drop(columns=["_order", "_days"]).reset_index(drop=True)
    return df if unmasked else mask_columns(df, names=("name",))
