"""Contact coverage (联系覆盖): who was reached in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import codes, rollup_store, schema
from data_access.db import as_date, fetch_df, first_activity_date
from data_access.filters import (
    Filters,
    Period,
    Scope,
    key_cohort,
    person_conditions,
    population,
    population_at,
    without_age,
)
from data_access.people import DIMENSIONS as PEOPLE_DIMENSIONS
from data_access.people import GRAIN_DIMENSIONS
from data_access.privacy import mask_columns
from data_access.query import (
    MONTH,
    as_ints,
    count_if,
    dimensions,
    every_month,
    grouped,
    month_label,
    monthly_long,
    rate,
)

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
    frm = _with_units(P, by)
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
    fn = "coverage_key" if key_cohort_only else "coverage"
    stored = rollup_store.lookup(conn, fn, filters, scope, by)
    if stored is None:
        stored = fetch_df(conn, build_coverage(filters, scope, by, key_cohort_only))
    df = as_ints(stored.reindex(columns=[*by, "population", "reached"], fill_value=0), ["population", "reached"])
    df["unreached"] = df["population"] - df["reached"]
    df["coverage"] = rate(df["reached"], df["population"])
    return df


# Month-by-month series stored by the rollup refresh (grouped by the grain, items year+month).
KEY_COVERAGE_MONTHLY = "coverage_key_monthly"
OVERDUE_MONTHLY = "overdue_monthly"


def _first_contact(filters: Filters) -> sa.ScalarSelect:
    """The person's first contact in the period (NULL if none): a seek on the contacts'
    (person_id, contact_date) index."""
    return (
        sa.select(sa.func.min(C.c.contact_date))
        .where(
            C.c.person_id == P.c.id,
            C.c.contact_date >= filters.period.start,
            C.c.contact_date < filters.period.end,
        )
        .scalar_subquery()
    )


def build_key_coverage_monthly(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    """重点对象联系覆盖率 at each month end of the period, in one statement: for the i-th month
    end e, population_i (key-cohort people in the population of the period cut at e) and
    reached_i (of them, a first contact in the period before e) — what
    :func:`build_coverage` counts for the period ``[start, e)``."""
    ends = filters.period.month_ends()
    dims = dimensions(by, GRAIN_DIMENSIONS)
    people = (
        sa.select(
            *dims,
            P.c.entry_date,
            P.c.death_date,
            P.c.birth_date,
            _first_contact(filters).label("first_contact"),
        )
        .where(
            key_cohort(),
            *person_conditions(without_age(filters), scope),
            P.c.entry_date < filters.period.end,
            sa.or_(P.c.death_date.is_(None), P.c.death_date >= ends[0]),
        )
        .subquery("k")
    )
    cols = []
    for i, end in enumerate(ends):
        alive = population_at(filters, end, people)
        cols += [
            count_if(alive).label(month_label("population", i)),
            count_if(sa.and_(alive, people.c.first_contact < end)).label(month_label("reached", i)),
        ]
    return grouped(people, by, cols)


def fetch_key_coverage_monthly(
    conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()
) -> pd.DataFrame:
    """重点对象联系覆盖率 month by month, cumulative within the period: one row per month the
    period touches (and ``by`` group: grain dimensions, for the rollup refresh). Columns: the
    ``by`` dimensions, year, month, population, reached, coverage — for each month,
    :func:`fetch_coverage` (``key_cohort_only``) of the period up to that month's end, so the
    last month's row is the period's own figure."""
    measures = ["population", "reached"]
    ends = filters.period.month_ends()
    stored = rollup_store.lookup_by(conn, KEY_COVERAGE_MONTHLY, filters, scope, by, (MONTH,), MONTH)
    if stored is None:
        stored = monthly_long(fetch_df(conn, build_key_coverage_monthly(filters, scope, by)), by, ends, measures)
    df = as_ints(every_month(stored, by, ends, measures), measures)
    df["coverage"] = rate(df["reached"], df["population"])
    return df


# ---------------------------------------------------------------------------- overdue

T = schema.service_tiers


def overdue_reference_date(filters: Filters, as_of: dt.date) -> dt.date:
    """Overdue is judged on the as-of date, or on the period's last day for a past period."""
    return min(filters.period.last_day, as_of)


def _cadences(conn: sa.Connection) -> dict[int, int]:
    return {int(t): int(d) for t, d in conn.execute(sa.select(T.c.tier, T.c.cadence_days)).all()}


def _since(last_contact: sa.ColumnElement, history_start: dt.date) -> sa.ColumnElement:
    """The last contact, or for someone never contacted the later of their entry into the
    ledger and the start of the ledger's contact history (nothing older is recorded)."""
    entered = sa.case((P.c.entry_date > history_start, P.c.entry_date), else_=sa.literal(history_start, sa.Date))
    return sa.func.coalesce(last_contact, entered)


def _late(since: sa.ColumnElement, on: dt.date, cadences: dict[int, int]) -> sa.ColumnElement[bool]:
    """``since`` is older than the person's tier cadence on ``on`` (bound dates per tier)."""
    return sa.or_(
        *(sa.and_(P.c.service_tier == t, since < on - dt.timedelta(days=d)) for t, d in sorted(cadences.items()))
    )


def _on_day(filters: Filters, on: dt.date) -> Filters:
    """The filters with the population taken on day ``on`` (alive and in the ledger then)."""
    return filters.with_period(Period(min(filters.period.start, on), on + dt.timedelta(days=1)))


def build_overdue(
    filters: Filters,
    scope: Scope,
    on: dt.date,
    cadences: dict[int, int],
    by: Sequence[str] = (),
    history_start: dt.date = dt.date.min,
) -> sa.Select:
    """People alive in scope on ``on`` whose last contact up to ``on`` (or, never contacted,
    their entry into the ledger) is older than their tier's cadence. Thresholds are bound
    dates per tier, so no date arithmetic runs in SQL."""
    last = _last_contact_subquery(on)
    late = _late(_since(last.c.last_contact, history_start), on, cadences)
    dims = dimensions(by, PEOPLE_DIMENSIONS)
    frm = _with_units(P.outerjoin(last, last.c.person_id == P.c.id), by)
    stmt = (
        sa.select(*dims, sa.func.count().label("overdue"))
        .select_from(frm)
        .where(*population(_on_day(filters, on), scope), late)
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_overdue_count(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()
) -> pd.DataFrame:
    """逾期未联系. Columns: the ``by`` dimensions and overdue (people whose last contact is older
    than their tier's cadence on the as-of date, or the period's last day if earlier)."""
    stored = rollup_store.lookup(conn, "overdue", filters, scope, by, ref_date=as_of)
    if stored is None:
        on = overdue_reference_date(filters, as_of)
        stored = fetch_df(conn, build_overdue(filters, scope, on, _cadences(conn), by, first_activity_date(conn)))
    return as_ints(stored.reindex(columns=[*by, "overdue"], fill_value=0), ["overdue"])


def monthly_reference_dates(filters: Filters, as_of: dt.date) -> list[dt.date]:
    """The day overdue is judged on at each month end of the period: the month's last day in
    the period, or the as-of date when that is earlier (the last is the period's own day,
    :func:`overdue_reference_date`)."""
    return [min(end - dt.timedelta(days=1), as_of) for end in filters.period.month_ends()]


def build_overdue_monthly(
    filters: Filters,
    scope: Scope,
    days: Sequence[dt.date],
    cadences: dict[int, int],
    by: Sequence[str] = (),
    history_start: dt.date = dt.date.min,
) -> sa.Select:
    """逾期未联系 on each of ``days`` in one statement: overdue_i counts what
    :func:`build_overdue` counts on the i-th day. The last contact up to each day comes from
    one pass over the contacts of a window reaching one longest cadence before the first day
    (a conditional MAX per day, grouped by person); anyone contacted only before the window
    is late on every day, as their last contact then is older than any threshold (one look-up
    on the contacts' person index tells)."""
    window = min(days) - dt.timedelta(days=max(cadences.values(), default=0))
    last = (
        sa.select(
            C.c.person_id,
            *(
                sa.func.max(sa.case((C.c.contact_date <= d, C.c.contact_date))).label(f"last_{i}")
                for i, d in enumerate(days)
            ),
        )
        .where(C.c.contact_date >= window, C.c.contact_date <= max(days))
        .group_by(C.c.person_id)
        .subquery("last")
    )
    before_window = sa.exists(sa.select(1).where(C.c.person_id == P.c.id, C.c.contact_date < window))
    entered = sa.case((P.c.entry_date > history_start, P.c.entry_date), else_=sa.literal(history_start, sa.Date))
    dims = dimensions(by, GRAIN_DIMENSIONS)
    people = (
        sa.select(
            *dims,
            P.c.entry_date,
            P.c.death_date,
            P.c.birth_date,
            P.c.service_tier,
            # (since the last contact, when there is none in the window up to the day)
            sa.case((before_window, sa.literal(window - dt.timedelta(days=1), sa.Date)), else_=entered).label("since"),
            *(last.c[f"last_{i}"] for i in range(len(days))),
        )
        .select_from(P.outerjoin(last, last.c.person_id == P.c.id))
        .where(
            *person_conditions(without_age(filters), scope),
            P.c.entry_date <= max(days),
            sa.or_(P.c.death_date.is_(None), P.c.death_date > min(days)),
        )
        .subquery("o")
    )

    def late(i: int, on: dt.date) -> sa.ColumnElement[bool]:
        since = sa.func.coalesce(people.c[f"last_{i}"], people.c.since)
        return sa.or_(
            *(
                sa.and_(people.c.service_tier == t, since < on - dt.timedelta(days=d))
                for t, d in sorted(cadences.items())
            )
        )

    cols = [
        count_if(sa.and_(population_at(filters, d + dt.timedelta(days=1), people), late(i, d))).label(
            month_label("overdue", i)
        )
        for i, d in enumerate(days)
    ]
    return grouped(people, by, cols)


def fetch_overdue_monthly(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ()
) -> pd.DataFrame:
    """逾期未联系 at each month end of the period (a head count on a day, not a sum): one row
    per month (and ``by`` group: grain dimensions, for the rollup refresh). Columns: the
    ``by`` dimensions, year, month, overdue — for each month, :func:`fetch_overdue_count` of
    the period up to that month's end, judged on its last day or the as-of date if earlier,
    so the last month's row is the period's own figure."""
    ends = filters.period.month_ends()
    stored = rollup_store.lookup_by(conn, OVERDUE_MONTHLY, filters, scope, by, (MONTH,), MONTH, ref_date=as_of)
    if stored is None:
        days = monthly_reference_dates(filters, as_of)
        stmt = build_overdue_monthly(filters, scope, days, _cadences(conn), by, first_activity_date(conn))
        stored = monthly_long(fetch_df(conn, stmt), by, ends, ["overdue"])
    return as_ints(every_month(stored, by, ends, ["overdue"]), ["overdue"])


# ---------------------------------------------------------------------------- tier cadence

FW, VE, PR = schema.festival_windows, schema.visit_events, schema.pairings
IN_PERSON = ("home_visit", "forum")
CADENCE_OF_TIER = {1: "weekly", 2: "monthly", 3: "quarterly", 4: "festival"}


def elapsed_end(filters: Filters, as_of: dt.date) -> dt.date:
    """Windows are judged only once they are over: up to the as-of day included."""
    return min(filters.period.end, as_of + dt.timedelta(days=1))


def cadence_windows(
    cadence: str, start: dt.date, end: dt.date, festivals: Sequence[tuple[dt.date, dt.date]] = ()
) -> list[tuple[dt.date, dt.date]]:
    """Half-open windows of a cadence lying wholly inside ``[start, end)``. Weeks start on
    Monday; festival windows come from the ``festival_windows`` table."""
    out: list[tuple[dt.date, dt.date]] = []
    if cadence == "festival":
        return [(s, e) for s, e in festivals if s >= start and e <= end]
    if cadence == "weekly":
        s = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        while s + dt.timedelta(days=7) <= end:
            out.append((s, s + dt.timedelta(days=7)))
            s += dt.timedelta(days=7)
        return out
    step = {"monthly": 1, "quarterly": 3}[cadence]
    y, m = start.year, start.month
    while True:
        if cadence == "quarterly":
            m = ((m - 1) // 3) * 3 + 1
        s = dt.date(y, m, 1)
        e = dt.date(y + (m + step > 12), (m + step - 1) % 12 + 1, 1)
        if e > end:
            break
        if s >= start:
            out.append((s, e))
        y, m = e.year, e.month
    return out


def _festival_windows(conn: sa.Connection) -> list[tuple[dt.date, dt.date]]:
    rows = conn.execute(sa.select(FW.c.window_start, FW.c.window_end).order_by(FW.c.window_start)).all()
    return [(as_date(s), as_date(e)) for s, e in rows]


def build_tier_compliance(
    filters: Filters, scope: Scope, tier: int, windows: Sequence[tuple[dt.date, dt.date]], by: Sequence[str] = ()
) -> sa.Select:
    """For one tier: people in it, and how many had a contact in every window they owed.

    A window is owed when the person was in the ledger from its first day; held when a
    contact of that person falls inside it. Both counts are CASE expressions over bound
    window dates, so the SQL is the same on every backend.
    """
    owed = sum(sa.case((P.c.entry_date <= s, 1), else_=0) for s, _ in windows) if windows else sa.literal(0)
    held_idx = sa.case(
        *(
            (sa.and_(C.c.contact_date >= s, C.c.contact_date < e, P.c.entry_date <= s), i)
            for i, (s, e) in enumerate(windows)
        ),
        else_=None,
    )
    held = (
        (
            sa.select(C.c.person_id, sa.func.count(sa.distinct(held_idx)).label("held"))
            .select_from(C.join(P, P.c.id == C.c.person_id))
            .where(C.c.contact_date >= windows[0][0], C.c.contact_date < windows[-1][1], P.c.service_tier == tier)
            .group_by(C.c.person_id)
            .subquery("held")
        )
        if windows
        else None
    )
    dims = dimensions(by, PEOPLE_DIMENSIONS)
    frm = P if held is None else P.outerjoin(held, held.c.person_id == P.c.id)
    held_count = sa.func.coalesce(held.c.held, 0) if held is not None else sa.literal(0)
    stmt = (
        sa.select(
            *dims,
            sa.func.count().label("people"),
            count_if(owed > 0).label("owing"),
            count_if(sa.and_(owed > 0, held_count >= owed)).label("compliant"),
        )
        .select_from(_with_units(frm, by))
        .where(*population(filters, scope), P.c.service_tier == tier)
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def _with_units(frm, by: Sequence[str]):
    return frm.outerjoin(U, U.c.id == P.c.unit_id) if {"unit_type", "unit_name"} & set(by) else frm


def tier_windows(
    conn: sa.Connection, filters: Filters, as_of: dt.date
) -> list[tuple[int, str, list[tuple[dt.date, dt.date]]]]:
    """(tier, cadence, the windows owed in the period) for each tier the filters keep."""
    end = elapsed_end(filters, as_of)
    festivals = _festival_windows(conn)
    return [
        (tier, cadence, cadence_windows(cadence, filters.period.start, end, festivals))
        for tier, cadence in CADENCE_OF_TIER.items()
        if filters.tiers is None or tier in filters.tiers
    ]


def fetch_tier_compliance(conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """按级达标率. One row per tier: tier, cadence, windows (owed in the period), people,
    owing (people who owed at least one window), compliant (a contact in every owed window),
    missed (owing - compliant), compliance (compliant ÷ owing)."""
    stored = rollup_store.lookup(conn, "tier_compliance", filters, scope, ("service_tier",), ref_date=as_of)
    rows = []
    for tier, cadence, windows in tier_windows(conn, filters, as_of):
        if stored is None:
            df = fetch_df(conn, build_tier_compliance(filters, scope, tier, windows))
        else:
            df = stored[stored["service_tier"] == tier].reindex(columns=["people", "owing", "compliant"])
            df = df if len(df) else pd.DataFrame([{"people": 0, "owing": 0, "compliant": 0}])
        r = as_ints(df, ["people", "owing", "compliant"]).iloc[0]
        rows.append(
            {
                "tier": tier,
                "cadence": cadence,
                "windows": len(windows),
                "people": int(r["people"]),
                "owing": int(r["owing"]),
                "compliant": int(r["compliant"]),
            }
        )
    out = pd.DataFrame(rows, columns=["tier", "cadence", "windows", "people", "owing", "compliant"])
    out["missed"] = out["owing"] - out["compliant"]
    out["compliance"] = rate(out["compliant"], out["owing"])
    return out


# ---------------------------------------------------------------------------- festival visits


def on_visit_list(people: sa.Table = P) -> sa.ColumnElement[bool]:
    """节日走访名单: every veteran and survivor, hardship cases, prefecture-level retirees."""
    return sa.or_(
        people.c.category.in_(("veteran", "survivor")),
        people.c.hardship_reason.is_not(None),
        sa.and_(people.c.rank.in_(codes.PREFECTURE_RANKS), people.c.actual_post.is_(True)),
    )


def build_festival_completion(
    filters: Filters, scope: Scope, last_day: dt.date, by: Sequence[str] = ("festival",)
) -> sa.Select:
    """Festival visits; ``by`` is ("festival",) for one row per festival, or people
    dimensions (e.g. ("area_code",)) for totals over the period's festivals."""
    visited = sa.exists(
        sa.select(1).where(
            C.c.person_id == P.c.id,
            C.c.contact_date >= FW.c.window_start,
            C.c.contact_date < FW.c.window_end,
            C.c.channel.in_(IN_PERSON),
        )
    )
    per_festival = "festival" in by
    dims = [FW.c.festival, FW.c.festival_date] if per_festival else []
    dims += dimensions([d for d in by if d != "festival"], PEOPLE_DIMENSIONS)
    stmt = (
        sa.select(*dims, sa.func.count().label("listed"), count_if(visited).label("visited"))
        .select_from(P.join(FW, sa.true()))
        .where(
            FW.c.festival_date >= filters.period.start,
            FW.c.festival_date < filters.period.end,
            FW.c.window_end <= last_day + dt.timedelta(days=1),
            P.c.entry_date <= FW.c.window_start,
            sa.or_(P.c.death_date.is_(None), P.c.death_date >= FW.c.window_end),
            on_visit_list(),
            *person_conditions(filters, scope),
        )
    )
    if not dims:
        return stmt
    return stmt.group_by(*dims).order_by(*((FW.c.festival_date, *dims[2:]) if per_festival else dims))


def fetch_festival_completion(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, by: Sequence[str] = ("festival",)
) -> pd.DataFrame:
    """节日走访完成率 for the festivals whose day falls in the period and whose window is over.
    Columns: festival and festival_date (or the ``by`` dimensions, summed over festivals),
    listed (on the visit list, in the ledger for the whole window), visited (an in-person
    visit — 上门 or 座谈 — inside the window), completion."""
    people_by = tuple(d for d in by if d != "festival")
    items = ("festival", "festival_date") if "festival" in by else ()
    stored = rollup_store.lookup(conn, "festival", filters, scope, people_by, items, ref_date=as_of)
    if stored is None:
        df = fetch_df(conn, build_festival_completion(filters, scope, as_of, by))
    else:
        df = stored.reindex(columns=[*items, *people_by, "listed", "visited"], fill_value=0)
        if items:
            df["festival_date"] = [as_date(d) for d in df["festival_date"]]
            df = df.sort_values(["festival_date", *people_by], kind="stable").reset_index(drop=True)
    if items and not people_by:  # every festival held has its row, one with nobody listed too
        df["festival_date"] = [as_date(d) for d in df["festival_date"]]
        df = _every_festival(conn, filters, as_of).merge(df, on=list(items), how="left")
    df = as_ints(df, ["listed", "visited"])
    df["completion"] = rate(df["visited"], df["listed"])
    return df


def _every_festival(conn: sa.Connection, filters: Filters, as_of: dt.date) -> pd.DataFrame:
    """The festivals whose day falls in the period and whose window is over: festival,
    festival_date (the rows a festival breakdown always has)."""
    stmt = (
        sa.select(FW.c.festival, FW.c.festival_date)
        .where(
            FW.c.festival_date >= filters.period.start,
            FW.c.festival_date < filters.period.end,
            FW.c.window_end <= as_of + dt.timedelta(days=1),
        )
        .order_by(FW.c.festival_date)
    )
    df = fetch_df(conn, stmt)
    df["festival_date"] = [as_date(d) for d in df["festival_date"]]
    return df


# ---------------------------------------------------------------------------- 五必访 timeliness


def build_event_timeliness(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    visit = sa.select(1).where(C.c.event_id == VE.c.id, C.c.channel.in_(IN_PERSON))
    on_time = sa.exists(visit.where(C.c.contact_date <= VE.c.visit_due_on))
    dims = dimensions(by, PEOPLE_DIMENSIONS)
    return (
        sa.select(
            VE.c.event_type,
            *dims,
            sa.func.count().label("events"),
            count_if(on_time).label("on_time"),
            count_if(sa.exists(visit)).label("visited"),
        )
        .select_from(VE.join(P, P.c.id == VE.c.person_id))
        .where(
            VE.c.event_date >= filters.period.start,
            VE.c.event_date < filters.period.end,
            *person_conditions(filters, scope),
        )
        .group_by(VE.c.event_type, *dims)
        .order_by(VE.c.event_type, *dims)
    )


def fetch_event_timeliness(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """住院探望及时率 and the other 五必访 occasions. Columns: event_type (and the ``by``
    people dimensions), events (reported in the period), on_time (an in-person visit by the
    due date, three days after the report), visited (at all), timeliness (on_time ÷ events)."""
    stored = rollup_store.lookup(conn, "events", filters, scope, by, ("event_type",))
    if stored is None:
        stored = fetch_df(conn, build_event_timeliness(filters, scope, by))
    else:
        stored = stored.sort_values(["event_type", *by], kind="stable").reset_index(drop=True)
    cols = ["event_type", *by, "events", "on_time", "visited"]
    df = as_ints(stored.reindex(columns=cols, fill_value=0), ["events", "on_time", "visited"])
    df["timeliness"] = rate(df["on_time"], df["events"])
    return df


# ---------------------------------------------------------------------------- activity mix and trend


# Contact-count groupings the rollup stores (with the grain); any other runs on the raw ledger.
CONTACT_ITEMS = (("channel",), ("contact_role",), ("occasion",), ("year", "month"))


def build_contact_counts(filters: Filters, scope: Scope, by: Sequence[str]) -> sa.Select:
    allowed = {
        "channel": C.c.channel,
        "contact_role": C.c.contact_role,
        "occasion": C.c.occasion,
        "year": sa.extract("year", C.c.contact_date),
        "month": sa.extract("month", C.c.contact_date),
        **GRAIN_DIMENSIONS,
    }
    dims = dimensions(by, allowed)
    stmt = (
        sa.select(*dims, sa.func.count().label("contacts"), sa.func.count(sa.distinct(C.c.person_id)).label("people"))
        .select_from(C.join(P, P.c.id == C.c.person_id))
        .where(
            C.c.contact_date >= filters.period.start,
            C.c.contact_date < filters.period.end,
            *person_conditions(filters, scope),
        )
    )
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


def fetch_contact_counts(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str]) -> pd.DataFrame:
    """Contacts in the period by ``by`` (channel, contact_role, occasion, year, month).
    Columns: the dimensions, contacts, people (distinct people contacted)."""
    stored = rollup_store.lookup_by(conn, "contacts", filters, scope, by, CONTACT_ITEMS)
    if stored is None:
        stored = fetch_df(conn, build_contact_counts(filters, scope, by))
    df = as_ints(stored.reindex(columns=[*by, "contacts", "people"], fill_value=0), ["contacts", "people"])
    for col in ("year", "month"):
        if col in df:
            df[col] = pd.to_numeric(df[col]).astype("int64")
    return df


# ---------------------------------------------------------------------------- pairing


def active_pairing(end: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(PR.c.started_on < end, sa.or_(PR.c.ended_on.is_(None), PR.c.ended_on >= end))


def build_pairing_coverage(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    end = filters.period.end
    dims = dimensions(by, PEOPLE_DIMENSIONS)

    def paired(mode: str | None) -> sa.ColumnElement[bool]:
        q = sa.select(1).where(PR.c.person_id == P.c.id, active_pairing(end))
        return sa.exists(q.where(PR.c.mode == mode) if mode else q)

    stmt = sa.select(
        *dims,
        sa.func.count().label("population"),
        count_if(paired(None)).label("paired"),
        *(count_if(paired(m)).label(m) for m in codes.PAIRING_MODES),
    ).where(*population(filters, scope))
    return stmt.group_by(*dims).order_by(*dims) if dims else stmt


def fetch_pairing_coverage(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """结对覆盖率. One row (per ``by`` group): population, paired (an active pairing at the
    period's end), one_to_one / one_to_many / many_to_one (people with an active pairing of
    that mode; a person may have several), coverage (paired ÷ population)."""
    cols = ["population", "paired", *codes.PAIRING_MODES]
    stored = rollup_store.lookup(conn, "pairing", filters, scope, by)
    if stored is None:
        stored = fetch_df(conn, build_pairing_coverage(filters, scope, by))
    df = as_ints(stored.reindex(columns=[*by, *cols], fill_value=0), cols)
    df["coverage"] = rate(df["paired"], df["population"])
    return df


# ---------------------------------------------------------------------------- person lists (masked)


def _helper_name(end: dt.date) -> sa.ScalarSelect:
    """The person's active pairing helper at ``end`` (the alphabetically first, for a stable
    list): a lookup per listed person, on the pairings' person index."""
    return (
        sa.select(sa.func.min(PR.c.helper_name)).where(PR.c.person_id == P.c.id, active_pairing(end)).scalar_subquery()
    )


def _last_contact_subquery(on: dt.date) -> sa.Subquery:
    return (
        sa.select(C.c.person_id, sa.func.max(C.c.contact_date).label("last_contact"))
        .where(C.c.contact_date <= on)
        .group_by(C.c.person_id)
        .subquery("last")
    )


def build_overdue_list(
    filters: Filters,
    scope: Scope,
    on: dt.date,
    cadences: dict[int, int],
    history_start: dt.date = dt.date.min,
    listed: sa.Subquery | None = None,
) -> sa.Select:
    """People overdue on ``on``, most overdue first. ``listed`` is the rollup's list of
    everyone overdue on that day (:func:`rollup_store.overdue_source`: each with the
    attributes the filters use); without it every contact is scanned and each listed
    person's pairings looked up."""
    if listed is not None:
        return _stored_overdue_list(_on_day(filters, on), scope, listed)
    last = _last_contact_subquery(on)
    since = _since(last.c.last_contact, history_start)
    joined = P.outerjoin(last, last.c.person_id == P.c.id)
    return (
        sa.select(
            P.c.id.label("person_id"),
            P.c.name,
            P.c.area_code,
            U.c.name.label("unit_name"),
            P.c.category,
            P.c.service_tier,
            last.c.last_contact,
            since.label("since"),
            _helper_name(on + dt.timedelta(days=1)).label("helper_name"),
        )
        .select_from(joined.outerjoin(U, U.c.id == P.c.unit_id))
        .where(*population(_on_day(filters, on), scope), _late(since, on, cadences))
        .order_by(since, P.c.id)
    )


def _stored_overdue_list(filters: Filters, scope: Scope, listed: sa.Subquery) -> sa.Select:
    """The overdue list from the rollup's rows: everyone in them is in the ledger on the day
    and overdue, so only the area and trait filters remain (``filters`` already cut to the
    day, as the raw query's, so an age band is the age on that day), applied to the stored
    attributes; the name is looked up by id (the rows are few beside the people)."""
    name = sa.select(P.c.name).where(P.c.id == listed.c.person_id).scalar_subquery()
    return (
        sa.select(
            listed.c.person_id,
            name.label("name"),
            listed.c.area_code,
            U.c.name.label("unit_name"),
            listed.c.category,
            listed.c.service_tier,
            listed.c.last_contact,
            listed.c.since,
            listed.c.helper_name,
        )
        .select_from(listed.outerjoin(U, U.c.id == listed.c.unit_id))
        .where(*person_conditions(filters, scope, listed))
        .order_by(listed.c.since, listed.c.person_id)
    )


def fetch_overdue_list(
    conn: sa.Connection, filters: Filters, scope: Scope, as_of: dt.date, unmasked: bool = False
) -> pd.DataFrame:
    """逾期未联系名单, most overdue first. Columns: person_id, name (masked 张*明), area_code,
    unit_name, category, service_tier, last_contact (empty if never), cadence_days,
    days_since (since the last contact; never contacted: since entering the ledger or the
    start of its contact history, whichever is later), days_overdue
    (days_since - cadence_days), helper_name (active pairing helper, masked)."""
    on = overdue_reference_date(filters, as_of)
    cadences = _cadences(conn)
    listed = rollup_store.overdue_source(conn, on)
    df = fetch_df(conn, build_overdue_list(filters, scope, on, cadences, first_activity_date(conn), listed))
    df["days_since"] = (pd.Timestamp(on) - pd.to_datetime(df["since"])).dt.days.astype("int64")
    df["cadence_days"] = df["service_tier"].map(cadences).astype("int64")
    df["days_overdue"] = df["days_since"] - df["cadence_days"]
    df["last_contact"] = [None if pd.isna(d) else as_date(d) for d in df["last_contact"]]
    df = df.drop(columns="since").sort_values(["days_overdue", "person_id"], ascending=[False, True])
    if not unmasked:
        mask_columns(df, names=("name", "helper_name"))
    return df.reset_index(drop=True)


def build_people_contacts(filters: Filters, scope: Scope, unit_id: int) -> sa.Select:
    in_period = sa.and_(C.c.contact_date >= filters.period.start, C.c.contact_date < filters.period.end)
    counts = (
        sa.select(C.c.person_id, sa.func.count().label("contacts"), sa.func.max(C.c.contact_date).label("last_contact"))
        .where(in_period)
        .group_by(C.c.person_id)
        .subquery("n")
    )
    return (
        sa.select(
            P.c.id.label("person_id"),
            P.c.name,
            P.c.category,
            P.c.service_tier,
            sa.func.coalesce(counts.c.contacts, 0).label("contacts"),
            counts.c.last_contact,
        )
        .select_from(P.outerjoin(counts, counts.c.person_id == P.c.id))
        .where(*population(filters, scope), P.c.unit_id == unit_id)
        .order_by(sa.func.coalesce(counts.c.contacts, 0), P.c.id)
    )


def fetch_people_contacts(
    conn: sa.Connection, filters: Filters, scope: Scope, unit_id: int, unmasked: bool = False
) -> pd.DataFrame:
    """The people behind a unit's coverage: person_id, name (masked), category,
    service_tier, contacts (in the period), last_contact (in the period), reached.
    Unreached first."""
    df = as_ints(fetch_df(conn, build_people_contacts(filters, scope, unit_id)), ["contacts"])
    df["last_contact"] = [None if pd.isna(d) else as_date(d) for d in df["last_contact"]]
    df["reached"] = df["contacts"] > 0
    if not unmasked:
        mask_columns(df, names=("name",))
    return df
