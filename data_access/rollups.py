"""Refresh the pre-aggregated rollups (see :mod:`data_access.rollup_store`).

    python -m data_access.rollups [--url URL]        # refresh (run after each ledger load)
    python -m data_access.rollups --status [--url URL]

Every stored figure is computed by the data layer's own query, grouped by the grain, so a
rollup can never define a figure differently from the raw path; the tests compare the two
for every query and filter combination they cover. The command needs an account that may
create and write the three ``rollup_*`` tables; the dashboard itself only reads them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import sys
import time
from collections.abc import Callable, Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.schema import CreateColumn

from data_access import branches, contacts, groups, money, people, query, services, suggestions, talent
from data_access.db import as_of_date, connect, fetch_df, first_activity_date
from data_access.filters import Filters, Period, Scope
from data_access.rollup_store import (
    BRANCH_MEMBERS,
    GRAIN,
    HARDSHIP,
    ITEMS,
    ORG_LIFE,
    OVERDUE_LIST,
    TABLES,
    ChangeTrackingUnavailable,
    always_enabled,
    fingerprint,
    install_change_tracking,
    metadata,
    raw_only,
    rollup_cells,
    rollup_hardship,
    rollup_meta,
    rollup_org_life,
    rollup_overdue,
    rollup_periods,
    settle_statistics,
    stored_name,
)

ALL = Scope.everything()
ANALYZE_ROLLUPS = (
    "ANALYZE rollup_meta",
    "ANALYZE rollup_periods",
    "ANALYZE rollup_cells",
    "ANALYZE rollup_overdue",
    "ANALYZE rollup_org_life",
    "ANALYZE rollup_hardship",
)
BATCH = 5_000


def _grain_frames(conn: sa.Connection, f: Filters, as_of: dt.date, monthly: bool = True):
    """(query name, ref_date, item names, frame grouped by grain + items) for one period;
    ``monthly``: with the month-by-month series too (the periods a page shows)."""
    g = GRAIN
    pop = people.fetch_population_summary(conn, f, ALL, g)
    pop["age_sum"] = pop["average_age"] * pop["people"]
    yield "population", None, (), pop.drop(columns="average_age")
    for items in people.POPULATION_ITEMS:
        pop = people.fetch_population_summary(conn, f, ALL, (*items, *g))
        pop["age_sum"] = pop["average_age"] * pop["people"]
        yield stored_name("population", items), None, items, pop.drop(columns="average_age")
    yield "coverage", None, (), contacts.fetch_coverage(conn, f, ALL, g)
    yield "coverage_key", None, (), contacts.fetch_coverage(conn, f, ALL, g, key_cohort_only=True)
    overdue = contacts.fetch_overdue_count(conn, f, ALL, as_of, g)
    yield "overdue", as_of, (), overdue
    last_day = f.period.last_day
    if last_day < as_of:  # a past period judged on its own last day (总览's 同比: a year before the as-of
        yield "overdue", last_day, (), overdue  # date) is the same count: overdue_reference_date is that day
    tiers = []
    for tier, _, windows in contacts.tier_windows(conn, f, as_of):
        tiers.append(contacts.fetch_df(conn, contacts.build_tier_compliance(f, ALL, tier, windows, g)))
    yield "tier_compliance", as_of, (), pd.concat(tiers, ignore_index=True)
    yield (
        "festival",
        as_of,
        ("festival", "festival_date"),
        contacts.fetch_festival_completion(conn, f, ALL, as_of, ("festival", *g)),
    )
    yield "events", None, ("event_type",), contacts.fetch_event_timeliness(conn, f, ALL, g)
    yield "pairing", None, (), contacts.fetch_pairing_coverage(conn, f, ALL, g)
    yield "groups", None, (), fetch_df(conn, groups.build_group_counts(f, ALL, g))
    for items in suggestions.SUMMARY_ITEMS:
        frame = fetch_df(conn, suggestions.build_summary(f, ALL, as_of, (*items, *g)))
        yield stored_name("suggestions", items), as_of, items, frame
    frame = fetch_df(conn, suggestions.build_answer_days(f, ALL, as_of, g))
    yield stored_name("answer_days", ("days",)), as_of, ("days",), frame
    frame = fetch_df(conn, suggestions.build_monthly(f, ALL, as_of, g))
    yield stored_name("suggestions_monthly", ("year", "month")), as_of, ("year", "month"), frame
    for items in talent.POOL_ITEMS:
        frame = fetch_df(conn, talent.build_pool(f, ALL, (*items, *g)))
        yield stored_name("talent_pool", items), None, items, frame
    for items in talent.ACTIVITY_ITEMS:
        frame = fetch_df(conn, talent.build_activities(f, ALL, (*items, *g)))
        yield stored_name("talent_activities", items), None, items, frame
    for items in services.HISTOGRAM_ITEMS:
        frame = fetch_df(conn, services.build_delivery_histogram(f, ALL, (*items[:-1], *g)))
        yield stored_name("service_hist", items), None, items, frame
    yield "branches", None, ("kind",), fetch_df(conn, branches.build_branch_summary(f, ALL, ("area_code", "kind")))
    yield BRANCH_MEMBERS, None, ("branch_id",), fetch_df(conn, branches.build_member_cells(f))
    yield branches.MEMBER_FLOWS, None, (), fetch_df(conn, branches.build_member_flows(f))
    for items in contacts.CONTACT_ITEMS:
        yield stored_name("contacts", items), None, items, contacts.fetch_contact_counts(conn, f, ALL, (*items, *g))
    if not monthly:
        return
    # 总览's small monthly lines: each card's figure at each month end of the period.
    month = query.MONTH
    frame = contacts.fetch_key_coverage_monthly(conn, f, ALL, g)
    yield stored_name(contacts.KEY_COVERAGE_MONTHLY, month), None, month, frame
    frame = contacts.fetch_overdue_monthly(conn, f, ALL, as_of, g)
    yield stored_name(contacts.OVERDUE_MONTHLY, month), as_of, month, frame
    frame = people.fetch_population_monthly(conn, f, ALL, g)
    yield stored_name(people.POPULATION_MONTHLY, month), None, month, frame
    frame = branches.fetch_members_monthly(conn, f, ALL, g)
    yield stored_name(branches.MEMBERS_MONTHLY, month), None, month, frame


MEASURES = {
    "population": (*people.COUNT_COLUMNS, "age_sum"),
    "coverage": ("population", "reached"),
    "coverage_key": ("population", "reached"),
    "overdue": ("overdue",),
    "tier_compliance": ("people", "owing", "compliant"),
    "festival": ("listed", "visited"),
    "events": ("events", "on_time", "visited"),
    "pairing": ("population", "paired", "one_to_one", "one_to_many", "many_to_one"),
    "groups": ("people", *groups.GROUPS),
    "branches": ("branches", "retiree_secretaries", "members", "below_min_full", "above_max"),
    BRANCH_MEMBERS: ("members", "full_members"),
    branches.MEMBER_FLOWS: ("members", "joined", "left"),
    "talent_pool": ("pool", "participants", "joined", "left"),
    "talent_activities": ("activities", "people"),
    "service_hist": ("requests",),
    "suggestions": (
        "received",
        "suggesters",
        "due",
        "on_time",
        "answered",
        "late",
        "days_total",
        "open",
        "overdue",
        "overdue_received",
    ),
    "answer_days": ("n",),
    "suggestions_monthly": ("received", "due", "on_time"),
    contacts.KEY_COVERAGE_MONTHLY: ("population", "reached"),
    contacts.OVERDUE_MONTHLY: ("overdue",),
    people.POPULATION_MONTHLY: ("people", "age_sum"),
    branches.MEMBERS_MONTHLY: ("members",),
}


def _item_text(value) -> str | None:
    """Items are stored as text that sorts like the value (dates ISO, numbers zero-padded)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return f"{int(value):02d}"  # PostgreSQL's EXTRACT
    if isinstance(value, (int,)) or (hasattr(value, "is_integer") and float(value).is_integer()):
        return f"{int(value):02d}"
    return str(value)


def _cells(
    generation: int, fn: str, period: Period, ref_date, items: tuple[str, ...], frame: pd.DataFrame
) -> Iterable[dict]:
    measures = MEASURES.get(fn.split(":")[0], ("contacts", "people"))
    for row in frame.to_dict("records"):
        base = {
            "generation": generation,
            "fn": fn,
            "period_start": period.start,
            "period_end": period.end,
            "ref_date": ref_date,
            **{d: (None if pd.isna(row.get(d)) else row[d]) for d in GRAIN},  # branches: area only
            **{ITEMS[i]: _item_text(row[name]) for i, name in enumerate(items)},
        }
        if "service_tier" in base and base["service_tier"] is not None:
            base["service_tier"] = int(base["service_tier"])
        for m in measures:
            value = row[m]
            yield {**base, "measure": m, "value": 0.0 if pd.isna(value) else float(value)}


def periods(as_of: dt.date, first_year: int) -> list[Period]:
    """The periods the pages ask for by default: each year (the running one cut at the as-of
    date) and the same span a year earlier (year-on-year deltas)."""
    out: set[Period] = set()
    for year in range(first_year, as_of.year + 1):
        p = Period.year(year, as_of)
        out |= {p, p.previous_year()}
    return sorted(out, key=lambda p: (p.start, p.end))


def page_periods(as_of: dt.date, first_year: int) -> list[Period]:
    """The years a page shows by default (the running one cut at the as-of date): the periods
    whose month-by-month series are stored (the year-earlier spans serve only 同比)."""
    return [Period.year(year, as_of) for year in range(first_year, as_of.year + 1)]


def _add_new_columns(engine: sa.Engine) -> None:
    """Add to a rollup table written by an older version the (nullable) columns this version
    stores, e.g. ``rollup_overdue.helper_name``; readers of the older generations go on."""
    inspector = sa.inspect(engine)
    for table in TABLES:
        if not inspector.has_table(table.name):
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                ddl = CreateColumn(column).compile(dialect=engine.dialect)
                with engine.begin() as conn:
                    quote = conn.dialect.identifier_preparer.quote
                    conn.execute(sa.text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {ddl}"))


def refresh(engine: sa.Engine, log: Callable[[str], None] = lambda s: None) -> dict:
    """Compute a new generation from the ledger and make it current; returns its record.

    Installs the change tracking first (see :mod:`data_access.rollup_store`) and reads the
    fingerprint before the ledger, so a change made while the refresh runs leaves the new
    generation unused rather than wrong. Raises :class:`ChangeTrackingUnavailable` (and
    writes nothing) when changes to the ledger cannot be tracked."""
    t0 = time.perf_counter()
    install_change_tracking(engine)
    _add_new_columns(engine)
    metadata.create_all(engine, tables=list(TABLES), checkfirst=True)
    with connect(engine) as conn, raw_only(conn):
        if conn.dialect.name == "postgresql" and not always_enabled(conn):
            settle_statistics(conn)  # (the fingerprint counts writes through the statistics)
        print_ = fingerprint(conn)
        as_of = as_of_date(conn)
        history_start = first_activity_date(conn)
        first_year = history_start.year
        generation = (conn.execute(sa.select(sa.func.max(rollup_meta.c.generation))).scalar() or 0) + 1
        generation = max(
            generation, (conn.execute(sa.select(sa.func.max(rollup_cells.c.generation))).scalar() or 0) + 1
        )
        conn.rollback()
        total = 0
        shown = set(page_periods(as_of, first_year))
        for period in periods(as_of, first_year):
            f = Filters(period=period)
            for fn, ref_date, items, frame in _grain_frames(conn, f, as_of, period in shown):
                rows = list(_cells(generation, fn, period, ref_date, items, frame))
                catalogue = {
                    "generation": generation,
                    "fn": fn,
                    "period_start": period.start,
                    "period_end": period.end,
                    "ref_date": ref_date,
                }
                conn.rollback()  # end the read transaction first (SQLite has one writer, no readers then)
                with engine.begin() as write:
                    for i in range(0, len(rows), BATCH):
                        write.execute(rollup_cells.insert(), rows[i : i + BATCH])
                    write.execute(rollup_periods.insert(), [catalogue])
                total += len(rows)
            conn.rollback()
            with engine.begin() as write:  # organisational life: per branch-year masks, every branch
                masks = branches.build_activity_masks(f, ALL).subquery()
                columns = ["branch_id", "year", "theme_days", "general_meetings", "party_lectures"]
                write.execute(
                    rollup_org_life.insert().from_select(
                        ["generation", "period_start", "period_end", *columns],
                        sa.select(
                            sa.literal(generation),
                            sa.literal(period.start, sa.Date),
                            sa.literal(period.end, sa.Date),
                            *(sa.cast(masks.c[c], sa.Integer) for c in columns),
                        ),
                    )
                )
                stored = {"generation": generation, "fn": ORG_LIFE, "period_start": period.start}
                write.execute(rollup_periods.insert(), [{**stored, "period_end": period.end, "ref_date": None}])
                # Hardship: everyone flagged, and whether paid hardship aid in cash in the period.
                P = money.P
                write.execute(
                    rollup_hardship.insert().from_select(
                        ["generation", "period_start", "period_end", "person_id", "aided"],
                        sa.select(
                            sa.literal(generation),
                            sa.literal(period.start, sa.Date),
                            sa.literal(period.end, sa.Date),
                            P.c.id,
                            sa.case((money._aided(f), 1), else_=0),
                        ).where(P.c.hardship_reason.is_not(None)),
                    )
                )
                stored = {"generation": generation, "fn": HARDSHIP, "period_start": period.start}
                write.execute(rollup_periods.insert(), [{**stored, "period_end": period.end, "ref_date": None}])
            log(f"{period.start}..{period.end}: done ({time.perf_counter() - t0:.1f} s, {total:,} cells)")
        # Everyone overdue on the as-of date, selected inside the database.
        conn.rollback()
        with engine.begin() as write:
            overdue = contacts.build_overdue_list(
                Filters(Period.year(as_of.year, as_of)), ALL, as_of, contacts._cadences(write), history_start
            ).subquery()
            P = people.P
            attributes = ["area_code", "category", "rank", "service_tier", "birth_date", "unit_id"]
            write.execute(
                rollup_overdue.insert().from_select(
                    ["generation", "ref_date", "person_id", "last_contact", "helper_name", *attributes, "since"],
                    sa.select(
                        sa.literal(generation),
                        sa.literal(as_of, sa.Date),
                        overdue.c.person_id,
                        overdue.c.last_contact,
                        overdue.c.helper_name,
                        *(P.c[a] for a in attributes),
                        overdue.c.since,
                    ).select_from(overdue.join(P, P.c.id == overdue.c.person_id)),
                )
            )
            write.execute(
                rollup_periods.insert(),
                [
                    {
                        "generation": generation,
                        "fn": OVERDUE_LIST,
                        "period_start": as_of,
                        "period_end": as_of,
                        "ref_date": as_of,
                    }
                ],
            )
            if write.dialect.name == "postgresql":
                for statement in ANALYZE_ROLLUPS:
                    write.execute(sa.text(statement))
    record = {
        "generation": generation,
        "fingerprint": print_,
        "as_of": as_of,
        "built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        "seconds": round(time.perf_counter() - t0, 1),
        "cells": total,
    }
    with engine.begin() as write:
        write.execute(rollup_meta.insert(), [record])
    # Keep the previous generation for readers that looked it up just before the switch.
    with engine.begin() as write:
        for table in (rollup_cells, rollup_overdue, rollup_org_life, rollup_hardship, rollup_periods, rollup_meta):
            write.execute(table.delete().where(table.c.generation < generation - 1))
    return record


def main(argv: list[str] | None = None) -> int:
    from data_access.config import resolve_url
    from data_access.db import make_engine
    from data_access.rollup_store import status

    ap = argparse.ArgumentParser(description="Refresh the dashboard's pre-aggregated rollup tables.")
    ap.add_argument("--url", help="database URL with write access (default: the configured service database)")
    ap.add_argument("--status", action="store_true", help="show the current rollup and whether it is fresh")
    args = ap.parse_args(argv)
    engine = make_engine(args.url or resolve_url().url)
    try:
        if args.status:
            with connect(engine) as conn:
                record = status(conn)
            print("no rollup yet" if record is None else record)
            return 0
        record = refresh(engine, log=lambda s: print(s, file=sys.stderr, flush=True))
    except ChangeTrackingUnavailable as exc:
        print(f"not refreshed: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"rollup generation {record['generation']}: {record['cells']:,} cells in {record['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
