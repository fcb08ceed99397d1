"""Special groups (重点人群): the very old, those living alone or widowed, the impaired (五不),
the seriously ill, the disabled and those living away — counts, breakdowns, trend and the
masked list of the people behind a count.

Every group is one SQL condition on a person, evaluated on the period's last day for age;
the catalogue below is the whitelist a page may ask for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import sqlalchemy as sa

from data_access import codes, rollup_store, schema
from data_access.db import as_date, fetch_df
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope, completed_age, population
from data_access.people import GRAIN_DIMENSIONS
from data_access.privacy import mask_columns, small_cells
from data_access.query import as_ints, count_if, dimensions

P, U, C = schema.people, schema.units, schema.contacts

Condition = Callable[[dt.date], sa.ColumnElement[bool]]


def _flag(name: str) -> Condition:
    return lambda on: P.c[name].is_(True)


def _aged(years: int) -> Condition:
    return lambda on: completed_age(on) >= years


def _impaired_any(on: dt.date) -> sa.ColumnElement[bool]:
    return sa.or_(*(P.c[f"impaired_{k}"].is_(True) for k in codes.IMPAIRMENTS))


# Group code -> its condition on day ``on`` (the period's last day). Same order as codes.SPECIAL_GROUPS.
GROUPS: dict[str, Condition] = {
    "aged_80_plus": _aged(80),
    "aged_90_plus": _aged(90),
    "aged_100_plus": _aged(100),
    "lives_alone": _flag("lives_alone"),
    "widowed": _flag("widowed"),
    "empty_nest": _flag("empty_nest"),
    "lost_only_child": _flag("lost_only_child"),
    "impaired_any": _impaired_any,
    **{f"impaired_{k}": _flag(f"impaired_{k}") for k in codes.IMPAIRMENTS},
    "seriously_ill": lambda on: P.c.health_status == "serious",
    "disabled": _flag("disabled"),
    # 易地安置 (relocated) and 长期外地居住 (lives_away) both count as living away (domain brief).
    "living_away": lambda on: sa.or_(P.c.relocated.is_(True), P.c.lives_away.is_(True)),
}
assert tuple(GROUPS) == codes.SPECIAL_GROUPS

# area and category for the pages; rank and service tier too so the rollup can store the grain.
GROUP_DIMENSIONS: dict[str, sa.ColumnElement] = dict(GRAIN_DIMENSIONS)


def group_condition(group: str, on: dt.date) -> sa.ColumnElement[bool]:
    """The whitelisted condition of ``group`` on day ``on``; an unknown code is refused."""
    if group not in GROUPS:
        raise FilterError(f"unknown special group: {group!r}", "group", "unknown_value", (group,))
    return GROUPS[group](on)


def build_group_counts(filters: Filters, scope: Scope, by: Sequence[str] = ()) -> sa.Select:
    on = filters.period.last_day
    dims = dimensions(by, GROUP_DIMENSIONS)
    stmt = sa.select(
        *dims,
        sa.func.count().label("people"),
        *(count_if(cond(on)).label(g) for g, cond in GROUPS.items()),
    ).where(*population(filters, scope))
    if dims:
        stmt = stmt.group_by(*dims).order_by(*dims)
    return stmt


@small_cells({g: () for g in GROUPS})
def fetch_group_counts(conn: sa.Connection, filters: Filters, scope: Scope, by: Sequence[str] = ()) -> pd.DataFrame:
    """One row per combination of ``by`` (area_code, category): people (alive in the ledger and
    in scope at the period's end, the denominator) and one count column per special group
    (codes.SPECIAL_GROUPS; ages are completed years on the period's last day). Read from the
    rollup when it holds the period (see :mod:`data_access.rollup_store`)."""
    cols = ["people", *GROUPS]
    stored = rollup_store.lookup(conn, "groups", filters, scope, by)
    if stored is None:
        stored = fetch_df(conn, build_group_counts(filters, scope, by))
    return as_ints(stored.reindex(columns=[*by, *cols], fill_value=0), cols)


@small_cells({g: () for g in GROUPS}, keys=lambda by: ("year", *by), sums=("category",))
def fetch_group_trend(
    conn: sa.Connection,
    filters: Filters,
    scope: Scope,
    years: Sequence[int],
    as_of: dt.date,
    by: Sequence[str] = ("category",),
) -> pd.DataFrame:
    """The group counts at the end of each of ``years`` (a running year cut at ``as_of``),
    the other filters unchanged. Columns: year, the ``by`` dimensions (category, or none for
    each year's totals), people, one column per group."""
    frames = []
    for year in years:
        f = filters.with_period(Period.year(int(year), as_of))
        df = fetch_group_counts.__wrapped__(conn, f, scope, tuple(by))  # suppressed once, as a whole
        frames.append(df.assign(year=int(year)))
    cols = ["year", *by, "people", *GROUPS]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def build_group_people(filters: Filters, scope: Scope, group: str) -> sa.Select:
    on = filters.period.last_day
    last = (
        sa.select(C.c.person_id, sa.func.max(C.c.contact_date).label("last_contact"))
        .where(C.c.contact_date < filters.period.end)
        .group_by(C.c.person_id)
        .subquery("last")
    )
    age = completed_age(on)
    return (
        sa.select(
            P.c.id.label("person_id"),
            P.c.name,
            P.c.phone,
            age.label("age"),
            P.c.category,
            P.c.area_code,
            U.c.name.label("unit_name"),
            P.c.service_tier,
            last.c.last_contact,
        )
        .select_from(P.outerjoin(U, U.c.id == P.c.unit_id).outerjoin(last, last.c.person_id == P.c.id))
        .where(*population(filters, scope), group_condition(group, on))
        .order_by(P.c.birth_date, P.c.id)
    )


def fetch_group_people(
    conn: sa.Connection, filters: Filters, scope: Scope, group: str, unmasked: bool = False
) -> pd.DataFrame:
    """The people behind one group's count, oldest first. Columns: person_id, name (masked
    张*明), phone (masked 138****1234), age (completed years on the period's last day),
    category, area_code, unit_name, service_tier, last_contact (the latest contact up to the
    period's last day; empty if none)."""
    df = as_ints(fetch_df(conn, build_group_people(filters, scope, group)), ["age", "service_tier"])
    df["last_contact"] = [None if pd.isna(d) else as_date(d) for d in df["last_contact"]]
    return df if unmasked else mask_columns(df, names=("name",), phones=("phone",))
