"""Party branches (党支部): branches active at the period's end and their members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_store, schema
from data_access.db import as_date, fetch_df
from data_access.filters import (
    Filters,
    Period,
    Scope,
    area_condition,
    in_population,
    population_at,
    trait_conditions,
    without_age,
)
from data_access.query import MONTH, as_ints, count_if, dimensions, every_month, month_label, monthly_long, rate

B, P, U = schema.party_branches, schema.people, schema.units

DIMENSIONS: dict[str, sa.ColumnElement] = {"kind": B.c.kind, "area_code": B.c.area_code}
MIN_FULL_MEMBERS = 3  # a branch needs at least three full members
MAX_MEMBERS = 50  # and should stay at or under fifty
MEMBER_FLOWS = "branch_flows"  # stored in rollup_cells by the refresh (build_member_flows)


def active_at(end: dt.date) -> sa.ColumnElement[bool]:
    """Founded before ``end`` (exclusive) and not closed by then."""
    return sa.and_(B.c.founded_on < end, sa.or_(B.c.closed_on.is_(None), B.c.closed_on >= end))


def members_subquery(filters: Filters) -> sa.Subquery:
    """Per branch: living party members at the period's end, and full members. A member
    belongs to the area of their branch, whichever area manages them, so only the filters on
    a person's traits apply here; the area filters and the scope apply to the branch."""
    return (
        sa.select(
            P.c.branch_id.label("branch_id"),
            sa.func.count().label("members"),
            count_if(P.c.party_status == "full").label("full_members"),
        )
        .where(
            in_population(filters.period.end),
            *trait_conditions(filters),
            P.c.party_status.is_not(None),
            P.c.branch_id.is_not(None),
        )
        .group_by(P.c.branch_id)
        .subquery("m")
    )


def build_branch_summary(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    dims = dimensions(by, DIMENSIONS)
    m = members_subquery(filters)
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
    df = _stored_summary(conn, filters, scope, by)
    if df is None:
        df = fetch_df(conn, build_branch_summary(filters, scope, by))
    df = as_ints(df.reindex(columns=[*by, *cols], fill_value=0), cols)
    df["retiree_secretary_share"] = rate(df["retiree_secretaries"], df["branches"])
    return df


def _stored_summary(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str]) -> pd.DataFrame | None:
    """The branch summary from the rollup (stored per branch area and kind), or None."""
    people_by = tuple(d for d in by if d == "area_code")
    items = tuple(d for d in by if d == "kind")
    stored = rollup_store.lookup(conn, "branches", filters, scope, people_by, items, per_person=False)
    if stored is None or list(by) == [*people_by, *items]:
        return stored
    return stored.sort_values(list(by)).reset_index(drop=True)  # by = (kind, area_code)


# ---------------------------------------------------------------------------- month by month

MEMBERS_MONTHLY = "branch_members_monthly"  # stored by the rollup refresh (grain, items year+month)
MEMBER_GRAIN: dict[str, sa.ColumnElement] = {
    "area_code": B.c.area_code,  # the branch's area, as every member figure
    "category": P.c.category,
    "rank": P.c.rank,
    "service_tier": P.c.service_tier,
}


def build_branches_monthly(filters: Filters, scope: Scope) -> sa.Select:
    """Branches at each month end of the period in one statement (the branch table is small):
    for the i-th month end e, branches_i (active at e) and retiree_secretaries_i — what
    :func:`build_branch_summary` counts for the period ``[start, e)``."""
    cols = []
    for i, end in enumerate(filters.period.month_ends()):
        active = active_at(end)
        cols += [
            count_if(active).label(month_label("branches", i)),
            count_if(sa.and_(active, B.c.secretary_is_retiree.is_(True))).label(month_label("retiree_secretaries", i)),
        ]
    return sa.select(*cols).where(*area_condition(B.c.area_code, filters, scope))


def build_members_monthly(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    """Party members at each month end of the period in one statement: members_i, living
    members (with the filters' traits, age on the month's last day) of branches active at
    the i-th month end e, by the branch's area — :func:`members_subquery` summed over
    :func:`build_branch_summary`'s branches for the period ``[start, e)``."""
    ends = filters.period.month_ends()
    dims = dimensions(by, MEMBER_GRAIN)
    cols = [
        count_if(sa.and_(population_at(filters, end), active_at(end))).label(month_label("members", i))
        for i, end in enumerate(ends)
    ]
    stmt = (
        sa.select(*dims, *cols)
        .select_from(P.join(B, B.c.id == P.c.branch_id))
        .where(
            P.c.party_status.is_not(None),
            *trait_conditions(without_age(filters)),
            *area_condition(B.c.area_code, filters, scope),
            P.c.entry_date < filters.period.end,
            sa.or_(P.c.death_date.is_(None), P.c.death_date >= ends[0]),
        )
    )
    return stmt.group_by(*dims).order_by(*dims) if dims else stmt


def fetch_members_monthly(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """服务党员 at each month end of the period: one row per month (and ``by`` group: the
    branch's area and the person grain, for the rollup refresh). Columns: the ``by``
    dimensions, year, month, members."""
    ends = filters.period.month_ends()
    stored = rollup_store.lookup_by(conn, MEMBERS_MONTHLY, filters, scope, by, (MONTH,), MONTH)
    if stored is None:
        stored = monthly_long(fetch_df(conn, build_members_monthly(filters, scope, by)), by, ends, ["members"])
    return as_ints(every_month(stored, by, ends, ["members"]), ["members"])


def fetch_branch_monthly(conn: sa.Connection, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Branches, retiree secretaries and members at each month end of the period (stocks):
    one row per month. Columns: year, month, branches, retiree_secretaries, members,
    retiree_secretary_share — for each month, :func:`fetch_branch_summary` of the period up
    to that month's end, so the last month's row is the period's own figure. The branches
    are read from their own small table, the members from the rollup where it holds them."""
    ends = filters.period.month_ends()
    counts = ["branches", "retiree_secretaries"]
    df = every_month(
        monthly_long(fetch_df(conn, build_branches_monthly(filters, scope)), (), ends, counts), (), ends, counts
    )
    df["members"] = fetch_members_monthly(conn, filters, scope)["members"].to_numpy()  # (the same months, in order)
    df = as_ints(df, [*counts, "members"])
    df["retiree_secretary_share"] = rate(df["retiree_secretaries"], df["branches"])
    return df


def build_member_cells(filters: Filters) -> sa.Select:
    """Party members at the period's end per branch and person grain (category, rank,
    tier): what :func:`members_subquery` sums, stored by the rollup refresh."""
    dims = (P.c.branch_id, P.c.category, P.c.rank, P.c.service_tier)
    return (
        sa.select(
            *dims,
            sa.func.count().label("members"),
            count_if(P.c.party_status == "full").label("full_members"),
        )
        .where(in_population(filters.period.end), P.c.party_status.is_not(None), P.c.branch_id.is_not(None))
        .group_by(*dims)
    )


def build_branch_list(filters: Filters, scope: Scope, stored: sa.Subquery | None = None) -> sa.Select:
    """``stored``: the rollup's members per branch (:func:`rollup_store.branch_members_source`)."""
    m = members_subquery(filters) if stored is None else stored
    return (
        sa.select(
            B.c.id.label("branch_id"),
            B.c.name,
            B.c.kind,
            B.c.area_code,
            U.c.name.label("unit_name"),
            B.c.secretary_is_retiree,
            B.c.founded_on,
            sa.func.coalesce(m.c.members, 0).label("members"),
            sa.func.coalesce(m.c.full_members, 0).label("full_members"),
        )
        .select_from(B.outerjoin(m, m.c.branch_id == B.c.id).outerjoin(U, U.c.id == B.c.unit_id))
        .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
        .order_by(B.c.area_code, B.c.kind, B.c.id)
    )


def fetch_branch_list(conn: sa.Connection, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per branch active at the period's end: branch_id, name, kind, area_code,
    unit_name (empty for temporary and district branches), secretary_is_retiree, founded_on,
    members, full_members, below_min_full (< 3 full members), above_max (> 50 members)."""
    stored = rollup_store.branch_members_source(conn, filters)
    df = as_ints(fetch_df(conn, build_branch_list(filters, scope, stored)), ["members", "full_members"])
    df["secretary_is_retiree"] = df["secretary_is_retiree"].astype(bool)
    df["below_min_full"] = df["full_members"] < MIN_FULL_MEMBERS
    df["above_max"] = df["members"] > MAX_MEMBERS
    return df


def year_span(year: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """``[1 January, end)`` of ``year``, its end cut at the day after ``as_of`` while the
    year is still running: a figure "in year Y" never counts what the ledger dates after
    its as-of date."""
    return dt.date(year, 1, 1), min(dt.date(year + 1, 1, 1), as_of + dt.timedelta(days=1))


def build_branch_changes(
    filters: Filters, scope: Scope, years: Sequence[int], as_of: dt.date
) -> tuple[sa.Select, sa.Select]:
    """Branches and members year by year: at each year's end (the as-of date for the running
    year), founded/closed, joined/left. Members belong to their branch's area."""
    areas_b = area_condition(B.c.area_code, filters, scope)
    branch_cols = []
    member_cols = []
    member = P.c.party_status.is_not(None)
    for y in years:
        start, end = year_span(y, as_of)
        branch_cols += [
            count_if(active_at(end)).label(f"branches_{y}"),
            count_if(sa.and_(B.c.founded_on >= start, B.c.founded_on < end)).label(f"founded_{y}"),
            count_if(sa.and_(B.c.closed_on >= start, B.c.closed_on < end)).label(f"closed_{y}"),
        ]
        alive_end = sa.and_(P.c.entry_date < end, sa.or_(P.c.death_date.is_(None), P.c.death_date >= end))
        member_cols += [
            count_if(sa.and_(member, alive_end, active_at(end))).label(f"members_{y}"),
            count_if(sa.and_(member, P.c.entry_date >= start, P.c.entry_date < end)).label(f"joined_{y}"),
            count_if(sa.and_(member, P.c.death_date >= start, P.c.death_date < end)).label(f"left_{y}"),
        ]
    b = sa.select(*branch_cols).where(*areas_b)
    p = (
        sa.select(*member_cols)
        .select_from(P.join(B, B.c.id == P.c.branch_id))
        .where(*trait_conditions(filters), *areas_b)
    )
    return b, p


def build_member_flows(filters: Filters) -> sa.Select:
    """Per branch area and person grain (category, rank, tier), for the period: members
    (living party members at its end in branches active then), joined (party members who
    came under the bureau's care in it), left (died in it) — what :func:`build_branch_changes`
    counts for one year, stored by the rollup refresh for each stored period."""
    start, end = filters.period.start, filters.period.end
    member = P.c.party_status.is_not(None)
    alive_end = sa.and_(P.c.entry_date < end, sa.or_(P.c.death_date.is_(None), P.c.death_date >= end))
    dims = (B.c.area_code.label("area_code"), P.c.category, P.c.rank, P.c.service_tier)
    return (
        sa.select(
            *dims,
            count_if(sa.and_(alive_end, active_at(end))).label("members"),
            count_if(sa.and_(P.c.entry_date >= start, P.c.entry_date < end)).label("joined"),
            count_if(sa.and_(P.c.death_date >= start, P.c.death_date < end)).label("left"),
        )
        .select_from(P.join(B, B.c.id == P.c.branch_id))
        .where(member)
        .group_by(*dims)
    )


def _stored_member_flows(
    conn: sa.Connection, filters: Filters, scope: Scope, years: Sequence[int], as_of: dt.date
) -> dict[int, dict] | None:
    """Members, joined and left per year from the rollup (one stored period per year, read
    in one statement), or None when any year is not stored or the filters need a finer grain."""
    if any(dt.date(y, 1, 1) > as_of for y in years):
        return None
    stored = rollup_store.lookup_periods(conn, MEMBER_FLOWS, filters, scope, [Period.year(y, as_of) for y in years])
    return None if stored is None else dict(zip(years, stored, strict=True))


def fetch_branch_changes(
    conn: sa.Connection, filters: Filters, scope: Scope, years: Sequence[int], as_of: dt.date
) -> pd.DataFrame:
    """One row per year: branches (active at the year's end; for the running year, on the
    as-of date), founded, closed in the year; members (living party members in branches
    active then — the same count as :func:`fetch_branch_summary`), joined (party members who
    came under the bureau's care in the year: newly retired), left (died in the year).
    The members' figures come from the rollup when it holds every year (the branches' own
    three are a read of the small branch table either way)."""
    b_stmt, p_stmt = build_branch_changes(filters, scope, years, as_of)
    b = conn.execute(b_stmt).one()._mapping
    stored = _stored_member_flows(conn, filters, scope, years, as_of)
    if stored is None:
        p = conn.execute(p_stmt).one()._mapping
    else:
        p = {f"{k}_{y}": stored[y].get(k, 0) for y in years for k in ("members", "joined", "left")}
    rows = [
        {
            k: int(src[f"{k}_{y}"] or 0)
            for src, keys in ((b, ("branches", "founded", "closed")), (p, ("members", "joined", "left")))
            for k in keys
        }
        | {"year": y}
        for y in years
    ]
    return pd.DataFrame(rows, columns=["year", "branches", "founded", "closed", "members", "joined", "left"])


def fetch_branch_members(conn: sa.Connection, filters: Filters, scope: Scope, branch_id: int) -> pd.DataFrame:
    """Members of one branch at the period's end by category: category, members, full_members.
    The branch must lie in the caller's areas; its members count whichever area manages them."""
    stmt = (
        sa.select(
            P.c.category,
            sa.func.count().label("members"),
            count_if(P.c.party_status == "full").label("full_members"),
        )
        .select_from(P.join(B, B.c.id == P.c.branch_id))
        .where(
            in_population(filters.period.end),
            *trait_conditions(filters),
            *area_condition(B.c.area_code, filters, scope),
            P.c.party_status.is_not(None),
            P.c.branch_id == branch_id,
        )
        .group_by(P.c.category)
        .order_by(P.c.category)
    )
    return as_ints(fetch_df(conn, stmt), ["members", "full_members"])


def fetch_branch_activities(conn: sa.Connection, filters: Filters, scope: Scope, branch_id: int) -> pd.DataFrame:
    """The activities one branch held in the period (its timeline): activity_type, held_on.
    The branch must lie in the caller's scope; otherwise nothing is returned."""
    stmt = (
        sa.select(A.c.activity_type, A.c.held_on)
        .select_from(A.join(B, B.c.id == A.c.branch_id))
        .where(
            A.c.branch_id == branch_id,
            A.c.held_on >= filters.period.start,
            A.c.held_on < filters.period.end,
            *area_condition(B.c.area_code, filters, scope),
        )
        .order_by(A.c.held_on, A.c.activity_type)
    )
    df = fetch_df(conn, stmt)
    df["held_on"] = [as_date(d) for d in df["held_on"]]
    return df


# ---------------------------------------------------------------------------- organisational life

A = schema.branch_activities
REQUIRED_MONTHLY = "theme_day"  # 主题党日, every month
REQUIRED_QUARTERLY = ("general_meeting", "party_lecture")  # 党员大会 and 党课, every quarter


def _bit(values: dict[int, int], month: sa.ColumnElement) -> sa.ColumnElement:
    """CASE month WHEN 1 THEN values[1] ... END: plain literals, portable to every backend."""
    return sa.case(*((month == m, sa.literal_column(str(v))) for m, v in values.items()))


MONTH_BITS = {m: 1 << (m - 1) for m in range(1, 13)}  # bit m-1 for month m
QUARTER_BITS = {m: 1 << ((m - 1) // 3) for m in range(1, 13)}  # bit q for months of quarter q


def build_activity_masks(filters: Filters, scope: Scope, stored: sa.Subquery | None = None) -> sa.Select:
    """Per branch and year, the required activities held in the period by branches active at
    its end, as bit masks: theme_days (bit m-1: a 主题党日 in month m), general_meetings and
    party_lectures (bit q: one held in quarter q+1). A SUM over DISTINCT powers of two is a
    bitwise OR on every backend, so a branch-year is one row instead of up to 24. ``stored``
    is the rollup's copy of the same masks for every branch (:func:`rollup_store.org_life_source`)."""
    if stored is not None:
        return (
            sa.select(stored)
            .select_from(stored.join(B, B.c.id == stored.c.branch_id))
            .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
        )
    year, month = sa.extract("year", A.c.held_on), sa.extract("month", A.c.held_on)

    def mask(activity: str, bits: dict[int, int]) -> sa.ColumnElement:
        return sa.func.coalesce(
            sa.func.sum(sa.distinct(sa.case((A.c.activity_type == activity, _bit(bits, month))))), 0
        )

    return (
        sa.select(
            A.c.branch_id,
            year.label("year"),
            mask(REQUIRED_MONTHLY, MONTH_BITS).label("theme_days"),
            mask("general_meeting", QUARTER_BITS).label("general_meetings"),
            mask("party_lecture", QUARTER_BITS).label("party_lectures"),
        )
        .select_from(A.join(B, B.c.id == A.c.branch_id))
        .where(
            A.c.held_on >= filters.period.start,
            A.c.held_on < filters.period.end,
            A.c.activity_type.in_((REQUIRED_MONTHLY, *REQUIRED_QUARTERLY)),
            active_at(filters.period.end),
            *area_condition(B.c.area_code, filters, scope),
        )
        .group_by(A.c.branch_id, year)
    )


def owed_months(start: dt.date, end: dt.date, founded: dt.date) -> list[dt.date]:
    """First days of the calendar months lying wholly inside ``[max(start, founded), end)``:
    the months a branch owed (a month still running is not yet owed)."""
    first = max(start, founded)
    y, m = first.year, first.month
    if first.day != 1:
        y, m = y + (m == 12), m % 12 + 1
    out = []
    while True:
        month_end = dt.date(y + (m == 12), m % 12 + 1, 1)
        if month_end > end:
            return out
        out.append(dt.date(y, m, 1))
        y, m = month_end.year, month_end.month


@dataclass(frozen=True)
class OrgLife:
    """组织生活 of a view as a grid: one row per branch active at the period's end (ascending
    id), one column per month of the period over by the as-of date (its first day). A cell is
    owed when the month began after the branch was founded (its founding month too if founded
    on the 1st); the flags say what was held: the month's 主题党日, and (in a quarter-end
    month) the quarter's 党员大会 and 党课. Arrays are read-only: the grid is shared by every
    page that reads it from the cache.

    Every figure of organisational life is read off this grid — :func:`org_life_total`,
    :func:`org_life_by_branch`, :func:`org_life_by_month` — with numpy over branches × months:
    at K=20 that is some 80,000 branch-months, which as a frame of one row each cost a cold
    总览 about a quarter of its CPU (issue 22). :meth:`detail` gives that frame when one is
    wanted (the tests' independent count)."""

    branch_ids: np.ndarray  # int64, ascending
    months: tuple[dt.date, ...]
    owed: np.ndarray  # bool, branches x months
    theme_day: np.ndarray
    general_meeting: np.ndarray  # held in the month's quarter (read in quarter-end months)
    party_lecture: np.ndarray

    @property
    def quarter_end(self) -> np.ndarray:
        return np.array([m.month % 3 == 0 for m in self.months], dtype=bool)

    @property
    def complete(self) -> np.ndarray:
        """Owed and complete: the month's 主题党日 held and, in a quarter-end month, the
        quarter's 党员大会 and 党课 too."""
        return self.owed & self.theme_day & (~self.quarter_end[None, :] | (self.general_meeting & self.party_lecture))

    def detail(self) -> pd.DataFrame:
        """One row per branch-month owed (branches by id, months ascending): branch_id, month
        (its first day), theme_day, general_meeting, party_lecture, quarter_end, complete."""
        b_idx, m_idx = np.nonzero(self.owed)
        df = pd.DataFrame(
            {
                "branch_id": self.branch_ids[b_idx],
                "month": pd.Series(np.array(self.months, dtype=object)[m_idx], dtype=object),
                "theme_day": self.theme_day[b_idx, m_idx],
                "general_meeting": self.general_meeting[b_idx, m_idx],
                "party_lecture": self.party_lecture[b_idx, m_idx],
                "quarter_end": self.quarter_end[m_idx],
                "complete": self.complete[b_idx, m_idx],
            }
        )
        return df


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def fetch_org_life(conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date) -> OrgLife:
    """组织生活 of the branches active at the period's end in view: the :class:`OrgLife`
    grid of the months of the period over by the as-of date. The activities come as one
    row of bit masks per branch and year (:func:`build_activity_masks`, from the rollup when
    it holds the period)."""
    end = min(filters.period.end, as_of + dt.timedelta(days=1))
    months = owed_months(filters.period.start, end, filters.period.start)
    rows = conn.execute(
        sa.select(B.c.id, B.c.founded_on)
        .where(active_at(filters.period.end), *area_condition(B.c.area_code, filters, scope))
        .order_by(B.c.id)
    ).all()
    ids = np.array([int(r[0]) for r in rows], dtype="int64")
    shape = (len(ids), len(months))
    if not rows or not months:
        empty = np.zeros(shape, dtype=bool)
        return OrgLife(_frozen(ids), tuple(months), *(_frozen(empty.copy()) for _ in range(4)))
    # Each branch's first owed month (its founding month if founded on the 1st, else the next).
    first = np.array([f.year * 12 + f.month - (f.day == 1) for f in (as_date(r[1]) for r in rows)], dtype="int64")
    month_no = np.array([m.year * 12 + m.month - 1 for m in months], dtype="int64")
    owed = month_no[None, :] >= first[:, None]
    stmt = build_activity_masks(filters, scope, rollup_store.org_life_source(conn, filters))
    years = np.array(sorted({m.year for m in months}))
    masks = np.zeros((3, len(ids), len(years)), dtype="int64")  # theme days, meetings, lectures
    found = conn.execute(stmt).all()  # branch_id, year, theme_days, general_meetings, party_lectures
    if found:  # (ints, or Decimals and floats as some backends sum and extract)
        got = np.array([[int(v or 0) for v in r] for r in found], dtype="int64")
        row = np.minimum(np.searchsorted(ids, got[:, 0]), len(ids) - 1)
        ok = (ids[row] == got[:, 0]) & np.isin(got[:, 1], years)
        masks[:, row[ok], np.searchsorted(years, got[ok, 1])] = got[ok, 2:].T
    year_of = np.searchsorted(years, [m.year for m in months])
    month_bit = np.array([m.month - 1 for m in months])
    quarter_bit = (month_bit // 3)[None, :]
    theme = (masks[0][:, year_of] >> month_bit[None, :]) & 1 == 1
    meeting = (masks[1][:, year_of] >> quarter_bit) & 1 == 1
    lecture = (masks[2][:, year_of] >> quarter_bit) & 1 == 1
    return OrgLife(_frozen(ids), tuple(months), *(_frozen(a) for a in (owed, theme, meeting, lecture)))


def org_life_total(life: OrgLife) -> pd.Series:
    """组织生活完成率 of a view — the one definition every page, the meeting screen and the
    需要关注 panel use: complete branch-months ÷ owed branch-months of the
    :func:`fetch_org_life` grid. Fields: months_owed, months_complete, completion (NaN
    when nothing is owed)."""
    owed = int(life.owed.sum())
    done = int(life.complete.sum())
    completion = done / owed if owed else float("nan")
    return pd.Series({"months_owed": owed, "months_complete": done, "completion": completion})


def org_life_by_branch(life: OrgLife) -> pd.DataFrame:
    """Per branch owing any month (ascending id): months_owed, months_complete, completion,
    missed_months (the owed months not complete, YYYY-MM, joined by 、)."""
    owed_n = life.owed.sum(axis=1)
    keep = np.flatnonzero(owed_n)
    if not len(keep):
        return pd.DataFrame(columns=["branch_id", "months_owed", "months_complete", "completion", "missed_months"])
    complete = life.complete
    out = pd.DataFrame(
        {
            "branch_id": life.branch_ids[keep],
            "months_owed": owed_n[keep].astype("int64"),
            "months_complete": complete.sum(axis=1)[keep].astype("int64"),
        }
    )
    out["completion"] = rate(out["months_complete"], out["months_owed"])
    names = [m.strftime("%Y-%m") for m in life.months]
    missed: dict[int, list[str]] = {}
    for b, j in zip(*np.nonzero(life.owed & ~complete), strict=True):  # row-major: months ascending
        missed.setdefault(int(b), []).append(names[j])
    out["missed_months"] = ["、".join(missed.get(int(b), ())) for b in keep]
    return out


def org_life_by_month(life: OrgLife) -> pd.DataFrame:
    """Per month some branch owes: month (its first day), branches (owing it), complete,
    completion."""
    owed_n = life.owed.sum(axis=0)
    keep = np.flatnonzero(owed_n)
    out = pd.DataFrame(
        {
            "month": pd.Series([life.months[j] for j in keep], dtype=object),
            "branches": owed_n[keep].astype("int64"),
            "complete": life.complete.sum(axis=0)[keep].astype("int64"),
        }
    )
    out["completion"] = rate(out["complete"], out["branches"])
    return out
