"""The population: who is under the bureau's care at a period's end, and their profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import codes, rollup_store, schema
from data_access.db import fetch_df
from data_access.filters import (
    Filters,
    Scope,
    completed_age,
    key_cohort,
    person_conditions,
    population,
    population_at,
    without_age,
)
from data_access.privacy import small_cells
from data_access.query import (
    MONTH,
    as_floats,
    as_ints,
    count_if,
    dimensions,
    every_month,
    grouped,
    month_label,
    monthly_long,
)

P, U = schema.people, schema.units

DIMENSIONS: dict[str, sa.ColumnElement] = {
    "category": P.c.category,
    "area_code": P.c.area_code,
    "rank": P.c.rank,
    "revolution_period": P.c.revolution_period,
    "service_tier": P.c.service_tier,
    "health_status": P.c.health_status,
    "gender": P.c.gender,
    "unit_type": U.c.unit_type,
    "unit_name": U.c.name,
    "unit_id": P.c.unit_id,
}

# The person attributes the rollups are grouped by (rollup_store.GRAIN), for every query
# that offers them as dimensions so the refresh can store its figures per grain cell.
GRAIN_DIMENSIONS: dict[str, sa.ColumnElement] = {d: DIMENSIONS[d] for d in rollup_store.GRAIN}

# The population's own dimensions stored by the rollup refresh beside the grain (the
# briefing's retirees by employer type and veterans by revolution period).
POPULATION_ITEMS = (("unit_type",), ("revolution_period",))

COUNT_COLUMNS = (
    "people",
    "key_cohort",
    "impaired",
    "living_away",
    "lives_alone",
    "widowed",
    "empty_nest",
    "lost_only_child",
    "disabled",
    "seriously_ill",
    "aged_80_plus",
    "aged_90_plus",
    "aged_100_plus",
    "party_members",
    "hardship_flagged",
    *(f"impaired_{k}" for k in codes.IMPAIRMENTS),
)


def _flag(column: sa.ColumnElement) -> sa.ColumnElement[bool]:
    return column.is_(True)


def build_population_summary(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    """One row per combination of ``by``: head counts and profile of the population."""
    on = filters.period.last_day
    age = completed_age(on)
    impaired_any = sa.or_(*(_flag(P.c[f"impaired_{k}"]) for k in codes.IMPAIRMENTS))
    dims = dimensions(by, DIMENSIONS)
    cols = [
        *dims,
        sa.func.count().label("people"),
        count_if(key_cohort()).label("key_cohort"),
        sa.func.avg(age).label("average_age"),
        count_if(impaired_any).label("impaired"),
        count_if(sa.or_(_flag(P.c.relocated), _flag(P.c.lives_away))).label("living_away"),
        count_if(_flag(P.c.lives_alone)).label("lives_alone"),
        count_if(_flag(P.c.widowed)).label("widowed"),
        count_if(_flag(P.c.empty_nest)).label("empty_nest"),
        count_if(_flag(P.c.lost_only_child)).label("lost_only_child"),
        count_if(_flag(P.c.disabled)).label("disabled"),
        count_if(P.c.health_status == "serious").label("seriously_ill"),
        count_if(age >= 80).label("aged_80_plus"),
        count_if(age >= 90).label("aged_90_plus"),
        count_if(age >= 100).label("aged_100_plus"),
        count_if(P.c.party_status.is_not(None)).label("party_members"),
        count_if(P.c.hardship_reason.is_not(None)).label("hardship_flagged"),
        *(count_if(_flag(P.c[f"impaired_{k}"])).label(f"impaired_{k}") for k in codes.IMPAIRMENTS),
    ]
    frm = P.outerjoin(U, U.c.id == P.c.unit_id) if {"unit_type", "unit_name"} & set(by) else P
    stmt = sa.select(*cols).select_from(frm).where(*population(filters, scope))
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


# Counts of health, family and income circumstances (sensitive personal information): small
# cells hidden where the caller's scope says so; head counts by service tier too (a tier
# follows from health), the other head counts never.
SENSITIVE_COUNTS = (
    "impaired",
    "lives_alone",
    "widowed",
    "empty_nest",
    "lost_only_child",
    "disabled",
    "seriously_ill",
    "aged_100_plus",
    "hardship_flagged",
    *(f"impaired_{k}" for k in codes.IMPAIRMENTS),
)


def _population_small_cells(by) -> dict[str, tuple[str, ...]]:
    rule: dict[str, tuple[str, ...]] = {c: () for c in SENSITIVE_COUNTS}
    if "service_tier" in by:
        rule["people"] = ()
    return rule


@small_cells(_population_small_cells)
def fetch_population_summary(
    conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Columns: the ``by`` dimensions, then people, key_cohort, average_age (completed years
    on the period's last day), impaired (at least one of 五不), living_away (易地安置 or 长期外地
    居住), lives_alone, widowed, empty_nest, lost_only_child, disabled, seriously_ill,
    aged_80_plus / 90 / 100, party_members, hardship_flagged, impaired_<each of five>."""
    stored = rollup_store.lookup(conn, "population", filters, scope, by)
    if stored is None and any(d not in rollup_store.GRAIN for d in by):
        stored = rollup_store.lookup_by(conn, "population", filters, scope, by, POPULATION_ITEMS)
    if stored is None:
        df = fetch_df(conn, build_population_summary(filters, scope, by))
    else:
        df = stored.reindex(columns=[*by, *COUNT_COLUMNS, "age_sum"], fill_value=0)
        people = pd.to_numeric(df["people"])
        df.insert(len(by) + 2, "average_age", df.pop("age_sum") / people.where(people != 0))
    df = as_ints(df, COUNT_COLUMNS)
    return as_floats(df, ["average_age"])


# ---------------------------------------------------------------------------- month by month

POPULATION_MONTHLY = "population_monthly"  # stored by the rollup refresh (grain, items year+month)


def build_population_monthly(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    """The population at each month end of the period in one statement: for the i-th month
    end e, people_i (in the population of the period cut at e) and age_sum_i (their completed
    ages on e's previous day) — what :func:`build_population_summary` counts and averages
    for the period ``[start, e)``. Each birth date is taken apart once (year, and month and
    day as one number), then every month's age is integer arithmetic on bound values."""
    ends = filters.period.month_ends()
    dims = dimensions(by, GRAIN_DIMENSIONS)
    born = P.c.birth_date
    people = (
        sa.select(
            *dims,
            P.c.entry_date,
            P.c.death_date,
            born,
            sa.extract("year", born).label("birth_year"),
            (sa.extract("month", born) * 100 + sa.extract("day", born)).label("birth_day"),
        )
        .where(
            *person_conditions(without_age(filters), scope),
            P.c.entry_date < filters.period.end,
            sa.or_(P.c.death_date.is_(None), P.c.death_date >= ends[0]),
        )
        .subquery("p")
    )
    cols = []
    for i, end in enumerate(ends):
        on = end - dt.timedelta(days=1)
        alive = population_at(filters, end, people)
        not_yet = sa.case((people.c.birth_day > on.month * 100 + on.day, 1), else_=0)  # birthday still to come
        cols += [
            count_if(alive).label(month_label("people", i)),
            sa.func.sum(sa.case((alive, sa.literal(on.year) - people.c.birth_year - not_yet), else_=0)).label(
                month_label("age_sum", i)
            ),
        ]
    return grouped(people, by, cols)


def fetch_population_monthly(
    conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()
) -> pd.DataFrame:
    """The population and its average age at each month end of the period (a stock, not a
    sum): one row per month (and ``by`` group: grain dimensions, for the rollup refresh).
    Columns: the ``by`` dimensions, year, month, people, age_sum, average_age — for each
    month, :func:`fetch_population_summary`'s people and average_age of the period up to that
    month's end (completed years on the month's last day in the period), so the last month's
    row is the period's own figure."""
    measures = ["people", "age_sum"]
    ends = filters.period.month_ends()
    stored = rollup_store.lookup_by(conn, POPULATION_MONTHLY, filters, scope, by, (MONTH,), MONTH)
    if stored is None:
        stored = monthly_long(fetch_df(conn, build_population_monthly(filters, scope, by)), by, ends, measures)
    df = as_ints(every_month(stored, by, ends, measures), measures)
    people = df["people"]
    df["average_age"] = df["age_sum"] / people.where(people != 0)
    return df
