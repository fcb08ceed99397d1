"""Rollups: every figure they answer equals the raw query's, they are used only when they
fit the filters and match the ledger, and a refresh never disturbs a reader."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import sqlalchemy as sa

from data_access import (
    branches,
    codes,
    contacts,
    groups,
    people,
    rollup_store,
    rollups,
    schema,
    services,
    suggestions,
    talent,
)
from data_access.db import as_of_date, make_engine
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
TWO_AREAS = Scope.only(["city", "620102"], "two areas")


def cases(as_of: dt.date) -> list[tuple[Filters, Scope]]:
    """Filter and scope combinations: each grain column, the level, a past year, YoY."""
    now = Period.year(as_of.year, as_of)
    return [
        (Filters(now), EVERYONE),
        (Filters(now.previous_year()), TWO_AREAS),
        (Filters(Period.year(as_of.year - 2, as_of), level="district", categories=("veteran", "survivor")), EVERYONE),
        (Filters(now, ranks=("county", "section"), tiers=(1, 2)), TWO_AREAS),
        (Filters(now, areas=("620102", "620103"), tiers=(4,)), EVERYONE),
    ]


def calls(conn: sa.Connection, as_of: dt.date):
    yield "population", lambda f, s: people.fetch_population_summary(conn, f, s)
    yield "population by category", lambda f, s: people.fetch_population_summary(conn, f, s, ("category",))
    yield (
        "population by area, category",
        lambda f, s: people.fetch_population_summary(conn, f, s, ("area_code", "category")),
    )
    yield "population by rank", lambda f, s: people.fetch_population_summary(conn, f, s, ("rank",))
    yield "coverage", lambda f, s: contacts.fetch_coverage(conn, f, s)
    yield "coverage by area", lambda f, s: contacts.fetch_coverage(conn, f, s, ("area_code",))
    yield "key cohort", lambda f, s: contacts.fetch_coverage(conn, f, s, key_cohort_only=True)
    yield "key cohort by area", lambda f, s: contacts.fetch_coverage(conn, f, s, ("area_code",), True)
    yield "overdue", lambda f, s: contacts.fetch_overdue_count(conn, f, s, as_of)
    yield "overdue by area", lambda f, s: contacts.fetch_overdue_count(conn, f, s, as_of, ("area_code",))
    yield "tier compliance", lambda f, s: contacts.fetch_tier_compliance(conn, f, s, as_of)
    yield "festivals", lambda f, s: contacts.fetch_festival_completion(conn, f, s, as_of)
    yield "festivals by area", lambda f, s: contacts.fetch_festival_completion(conn, f, s, as_of, ("area_code",))
    yield "五必访", lambda f, s: contacts.fetch_event_timeliness(conn, f, s)
    yield "pairing", lambda f, s: contacts.fetch_pairing_coverage(conn, f, s)
    yield "contacts by channel", lambda f, s: contacts.fetch_contact_counts(conn, f, s, ("channel",))
    yield "contacts by role", lambda f, s: contacts.fetch_contact_counts(conn, f, s, ("contact_role",))
    yield "contacts by month", lambda f, s: contacts.fetch_contact_counts(conn, f, s, ("year", "month"))
    yield "overdue list", lambda f, s: contacts.fetch_overdue_list(conn, f, s, as_of)
    yield "special groups", lambda f, s: groups.fetch_group_counts(conn, f, s)
    yield "special groups by area", lambda f, s: groups.fetch_group_counts(conn, f, s, ("area_code",))
    yield "special groups by category", lambda f, s: groups.fetch_group_counts(conn, f, s, ("category",))
    yield "branches", lambda f, s: branches.fetch_branch_summary(conn, f, s)
    yield "branches by kind", lambda f, s: branches.fetch_branch_summary(conn, f, s, ("kind",))
    yield "branches by area, kind", lambda f, s: branches.fetch_branch_summary(conn, f, s, ("area_code", "kind"))
    yield "branches by kind, area", lambda f, s: branches.fetch_branch_summary(conn, f, s, ("kind", "area_code"))
    for by in ((), ("field",), ("age_band",), ("area_code",), ("area_code", "field"), ("field", "area_code")):
        yield f"talent pool by {by}", lambda f, s, by=by: talent.fetch_pool(conn, f, s, by)
    for by in ((), ("kind",), ("field",), ("area_code", "kind")):
        yield f"talent activities by {by}", lambda f, s, by=by: talent.fetch_activities(conn, f, s, by)
    for by in ((), ("service",), ("area_code",), ("provider_type",), ("category", "service")):
        yield f"services by {by}", lambda f, s, by=by: services.fetch_service_summary(conn, f, s, by)
    gap = codes.GAP_SERVICES
    yield "organisational life", lambda f, s: branches.fetch_org_life(conn, f, s, as_of)
    for by in ((), ("department",), ("topic",), ("area_code",), ("area_code", "department")):
        yield f"suggestions by {by}", lambda f, s, by=by: suggestions.fetch_summary(conn, f, s, as_of, by)
    yield "days to answer", lambda f, s: suggestions.fetch_answer_days(conn, f, s, as_of)
    yield "suggestions by month", lambda f, s: suggestions.fetch_monthly(conn, f, s, as_of)
    yield "services, some", lambda f, s: services.fetch_service_summary(conn, f, s, (), gap)
    yield "services by area, some", lambda f, s: services.fetch_service_summary(conn, f, s, ("area_code",), gap)


def test_every_rollup_answer_equals_the_raw_query(conn):
    as_of = as_of_date(conn)
    assert rollup_store.current_generation(conn) is not None, "the test ledger has a fresh rollup"
    checked = 0
    for name, call in calls(conn, as_of):
        for f, s in cases(as_of):
            with rollup_store.raw_only(conn):
                raw = call(f, s)
            got = call(f, s)
            where = f"{name} / {f} / {s.name}"
            assert list(got.columns) == list(raw.columns), where
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True), raw.reset_index(drop=True), check_dtype=False, atol=1e-9, obj=where
            )
            checked += 1
    assert checked == 51 * 5


def test_the_rollup_is_what_answers_when_the_filters_fit(conn):
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of), areas=("city",), tiers=(1,))
    for fn in ("population", "coverage", "coverage_key", "pairing", "groups", "talent_pool"):
        assert rollup_store.lookup(conn, fn, f, Scope.everything(), ("category",)) is not None, fn
    assert rollup_store.lookup(conn, "overdue", f, Scope.everything(), ref_date=as_of) is not None
    assert rollup_store.lookup(conn, "events", f, Scope.everything(), items=("event_type",)) is not None
    assert rollup_store.lookup_by(conn, "talent_pool", f, Scope.everything(), ("field",), talent.POOL_ITEMS) is not None
    hist = rollup_store.lookup_by(conn, "service_hist", f, Scope.everything(), (), services.HISTOGRAM_ITEMS, ("days",))
    assert hist is not None
    assert rollup_store.org_life_source(conn, f) is not None
    branch_year = Filters(Period.year(as_of.year, as_of), areas=("city",))
    assert rollup_store.lookup(conn, "branches", branch_year, Scope.everything(), per_person=False) is not None
    assert rollup_store.overdue_source(conn, as_of) is not None
    assert rollup_store.overdue_source(conn, as_of - dt.timedelta(days=1)) is None


def test_the_raw_ledger_answers_what_the_grain_cannot(conn):
    as_of = as_of_date(conn)
    year = Period.year(as_of.year, as_of)
    everyone = Scope.everything()
    # an age band is judged on the period's last day: not part of the grain
    assert rollup_store.lookup(conn, "coverage", Filters(year, age_bands=("80_89",)), everyone) is None
    # a date range that is not a stored period
    spring = Filters(Period.between(dt.date(as_of.year, 3, 1), dt.date(as_of.year, 5, 31)))
    assert rollup_store.lookup(conn, "coverage", spring, everyone) is None
    # party branches are stored per area: a person filter needs the raw members
    branch_filter = Filters(year, categories=("retiree",))
    assert rollup_store.lookup(conn, "branches", branch_filter, everyone, per_person=False) is None
    # a unit drill-down
    assert rollup_store.lookup(conn, "coverage", Filters(year), everyone, ("unit_id",)) is None
    # an as-of date the rollup was not computed for
    assert rollup_store.lookup(conn, "overdue", Filters(year), everyone, ref_date=as_of - dt.timedelta(1)) is None
    # and the figures are still right there (the raw path, checked against hand-written SQL)
    got = contacts.fetch_coverage(conn, spring, everyone).iloc[0]
    P, C = schema.people, schema.contacts
    end = spring.period.end
    alive = sa.and_(P.c.entry_date < end, sa.or_(P.c.death_date.is_(None), P.c.death_date >= end))
    population = conn.execute(sa.select(sa.func.count()).where(alive)).scalar()
    reached = conn.execute(
        sa.select(sa.func.count(sa.distinct(C.c.person_id)))
        .select_from(C.join(P, P.c.id == C.c.person_id))
        .where(alive, C.c.contact_date >= spring.period.start, C.c.contact_date < end)
    ).scalar()
    assert (got["population"], got["reached"]) == (population, reached)


def test_a_changed_ledger_stops_the_rollup_until_it_is_refreshed(conn):
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of))
    assert rollup_store.lookup(conn, "coverage", f, Scope.everything()) is not None
    before = contacts.fetch_coverage(conn, f, Scope.everything()).iloc[0]
    person = conn.execute(
        sa.select(schema.people.c.id)
        .where(schema.people.c.death_date.is_(None), schema.people.c.entry_date < f.period.start)
        .order_by(schema.people.c.id)
        .limit(1)
    ).scalar()
    next_id = conn.execute(sa.select(sa.func.max(schema.contacts.c.id))).scalar() + 1
    trans = conn.begin() if not conn.in_transaction() else conn.get_transaction()
    try:
        conn.execute(
            schema.contacts.insert(),
            [
                {
                    "id": next_id,
                    "person_id": person,
                    "contact_date": as_of,
                    "channel": "phone",
                    "occasion": "routine",
                    "contact_role": "bureau_staff",
                }
            ],
        )
        rollup_store.forget(conn)  # (a dashboard connection re-checks within CHECK_SECONDS)
        assert rollup_store.current_generation(conn) is None  # the fingerprint no longer matches
        after = contacts.fetch_coverage(conn, f, Scope.everything()).iloc[0]
        assert after["population"] == before["population"]
        assert after["reached"] in (before["reached"], before["reached"] + 1)
    finally:
        trans.rollback()
    rollup_store.forget(conn)
    assert rollup_store.current_generation(conn) is not None


def test_refresh_switches_generations_without_disturbing_readers(sqlite_demo_path, tmp_path, monkeypatch):
    path = tmp_path / "copy.sqlite"
    shutil.copy(sqlite_demo_path, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            as_of = as_of_date(conn)
            first = rollup_store.current_generation(conn)
            f = Filters(Period.year(as_of.year, as_of))
            expected = contacts.fetch_coverage(conn, f, Scope.everything(), ("area_code",))
        # only the running year, to keep the test short
        monkeypatch.setattr(rollups, "periods", lambda as_of, first_year: [Period.year(as_of.year, as_of)])
        with engine.connect() as reader:
            reader.execute(sa.text("SELECT 1"))  # a reader holding a connection while the refresh runs
            second = rollups.refresh(engine)["generation"]
            assert second == first + 1
            rollup_store.forget(reader)
            assert rollup_store.current_generation(reader) == second
            got = contacts.fetch_coverage(reader, f, Scope.everything(), ("area_code",))
            pd.testing.assert_frame_equal(got, expected, check_dtype=False)
            reader.rollback()
        third = rollups.refresh(engine)["generation"]
        with engine.connect() as conn:
            kept = {g for (g,) in conn.execute(sa.select(rollup_store.rollup_cells.c.generation).distinct())}
            assert kept == {second, third}  # the one before the current is kept for slow readers
            status = rollup_store.status(conn)
            assert status["generation"] == third and status["fresh"] and status["as_of"] == as_of
    finally:
        engine.dispose()


def test_rollups_can_be_switched_off(conn, monkeypatch):
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of))
    monkeypatch.setattr(rollup_store, "ENABLED", False)  # SERVICE_ROLLUPS=off
    assert rollup_store.lookup(conn, "coverage", f, Scope.everything()) is None
