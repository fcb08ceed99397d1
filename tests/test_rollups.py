"""Rollups: every figure they answer equals the raw query's, they are used only when they
fit the filters and match the ledger, and a refresh never disturbs a reader."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

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
    yield "population by unit type", lambda f, s: people.fetch_population_summary(conn, f, s, ("unit_type",))
    yield (
        "population by revolution period, area",
        lambda f, s: people.fetch_population_summary(conn, f, s, ("revolution_period", "area_code")),
    )
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
    yield "organisational life", lambda f, s: branches.fetch_org_life(conn, f, s, as_of).detail()
    for by in ((), ("department",), ("topic",), ("area_code",), ("area_code", "department")):
        yield f"suggestions by {by}", lambda f, s, by=by: suggestions.fetch_summary(conn, f, s, as_of, by)
    yield "days to answer", lambda f, s: suggestions.fetch_answer_days(conn, f, s, as_of)
    yield "suggestions by month", lambda f, s: suggestions.fetch_monthly(conn, f, s, as_of)
    yield "services, some", lambda f, s: services.fetch_service_summary(conn, f, s, (), gap)
    yield "services by area, some", lambda f, s: services.fetch_service_summary(conn, f, s, ("area_code",), gap)
    # 总览's small monthly lines (issue 26 item 11)
    yield "key cohort month by month", lambda f, s: contacts.fetch_key_coverage_monthly(conn, f, s)
    yield "overdue month by month", lambda f, s: contacts.fetch_overdue_monthly(conn, f, s, as_of)
    yield "population month by month", lambda f, s: people.fetch_population_monthly(conn, f, s)
    yield "members month by month", lambda f, s: branches.fetch_members_monthly(conn, f, s)


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
    assert checked == 57 * 5


def test_the_rollup_is_what_answers_when_the_filters_fit(conn):
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of), areas=("city",), tiers=(1,))
    for fn in ("population", "coverage", "coverage_key", "pairing", "groups", "talent_pool"):
        assert rollup_store.lookup(conn, fn, f, Scope.everything(), ("category",)) is not None, fn
    assert rollup_store.lookup(conn, "overdue", f, Scope.everything(), ref_date=as_of) is not None
    assert rollup_store.lookup(conn, "events", f, Scope.everything(), items=("event_type",)) is not None
    assert rollup_store.lookup_by(conn, "talent_pool", f, Scope.everything(), ("field",), talent.POOL_ITEMS) is not None
    for by in (("unit_type",), ("revolution_period", "area_code")):
        assert (
            rollup_store.lookup_by(conn, "population", f, Scope.everything(), by, people.POPULATION_ITEMS) is not None
        )
    hist = rollup_store.lookup_by(conn, "service_hist", f, Scope.everything(), (), services.HISTOGRAM_ITEMS, ("days",))
    assert hist is not None
    assert rollup_store.org_life_source(conn, f) is not None
    branch_year = Filters(Period.year(as_of.year, as_of), areas=("city",))
    assert rollup_store.lookup(conn, "branches", branch_year, Scope.everything(), per_person=False) is not None
    assert rollup_store.overdue_source(conn, as_of) is not None
    assert rollup_store.overdue_source(conn, as_of - dt.timedelta(days=1)) is None


def test_the_overdue_count_a_year_before_comes_from_the_rollup(conn):
    """总览's 同比 of 逾期未联系 counts the same span a year earlier judged on its own last day
    (a year before the as-of date): stored beside the as-of count, equal to the raw query."""
    as_of = as_of_date(conn)
    before = Filters(Period.year(as_of.year, as_of).previous_year())
    day = before.period.last_day
    assert rollup_store.lookup(conn, "overdue", before, Scope.everything(), ref_date=day) is not None
    for f, s in ((before, Scope.everything()), (replace(before, tiers=(1, 2)), TWO_AREAS)):
        for by in ((), ("area_code",)):
            got = contacts.fetch_overdue_count(conn, f, s, day, by)
            with rollup_store.raw_only(conn):
                want = contacts.fetch_overdue_count(conn, f, s, day, by)
            pd.testing.assert_frame_equal(got, want, check_dtype=False)


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
        rollup_store.forget(conn)  # (kept: the check itself is made on every query now)
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


# --- Freshness: every table, every kind of change (issue 16) ------------------------------


def _key(table: sa.Table) -> sa.Column:
    return table.c.id if "id" in table.c else next(iter(table.primary_key.columns))


def _in_transaction(conn: sa.Connection):
    return conn.get_transaction() if conn.in_transaction() else conn.begin()


def test_change_tracking_is_installed_on_every_ledger_table(conn):
    assert {t.name for t in rollup_store.LEDGER} == set(schema.TABLES)
    assert rollup_store._installed_triggers(conn) == rollup_store.expected_triggers(conn.dialect.name)
    assert rollup_store.is_tracked(rollup_store.fingerprint(conn))
    assert rollup_store.status(conn)["fresh"]


def test_an_update_to_any_ledger_table_stops_the_rollup(conn):
    """Even an update that changes no id and no row count (UPDATE … SET key = key)."""
    assert rollup_store.current_generation(conn) is not None
    trans = _in_transaction(conn)
    try:
        for table in rollup_store.LEDGER:
            key = _key(table)
            first = conn.execute(sa.select(sa.func.min(key))).scalar()
            before = rollup_store.fingerprint(conn)
            conn.execute(table.update().where(key == first).values({key.name: key}))
            assert rollup_store.fingerprint(conn) != before, table.name
            assert rollup_store.current_generation(conn) is None, table.name
            assert not rollup_store.status(conn)["fresh"]
    finally:
        trans.rollback()
    assert rollup_store.current_generation(conn) is not None


def test_a_delete_from_any_ledger_table_stops_the_rollup(conn):
    """Deleting the row with the lowest id leaves every highest id as it was: only the
    change counter can see it. (Tables other rows refer to are covered by the update test.)"""
    referenced = {fk.column.table.name for t in rollup_store.LEDGER for fk in t.foreign_keys}
    leaves = [t for t in rollup_store.LEDGER if t.name not in referenced]
    assert {"contacts", "suggestions", "disbursements", "service_deliveries", "talent_activities"} <= {
        t.name for t in leaves
    }
    trans = _in_transaction(conn)
    try:
        for table in leaves:
            key = _key(table)
            first = conn.execute(sa.select(sa.func.min(key))).scalar()
            before = rollup_store.fingerprint(conn)
            assert conn.execute(table.delete().where(key == first)).rowcount == 1, table.name
            assert rollup_store.fingerprint(conn) != before, table.name
            assert rollup_store.current_generation(conn) is None, table.name
    finally:
        trans.rollback()
    assert rollup_store.current_generation(conn) is not None


def test_figures_after_deaths_and_answers_recorded_by_update_are_the_raw_figures(conn):
    """The reported failure: 100 deaths recorded by UPDATE and suggestions answered left the
    pages on the old population and overdue counts."""
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of))
    P, S = schema.people.c, schema.suggestions.c
    before = people.fetch_population_summary(conn, f, EVERYONE).iloc[0]
    before_sugg = suggestions.fetch_summary(conn, f, EVERYONE, as_of).iloc[0]
    assert before_sugg["overdue"] > 0
    trans = _in_transaction(conn)
    try:
        ids = [
            i
            for (i,) in conn.execute(
                sa.select(P.id)
                .where(P.death_date.is_(None), P.entry_date < f.period.start, P.category == "retiree")
                .order_by(P.id)
                .limit(100)
            )
        ]
        conn.execute(schema.people.update().where(P.id.in_(ids)).values(death_date=f.period.start))
        overdue = [
            i
            for (i,) in conn.execute(
                sa.select(S.id).where(S.answered_on.is_(None), S.due_on < as_of, S.submitted_on <= as_of).limit(10)
            )
        ]
        conn.execute(schema.suggestions.update().where(S.id.in_(overdue)).values(answered_on=as_of))
        after = people.fetch_population_summary(conn, f, EVERYONE).iloc[0]
        after_sugg = suggestions.fetch_summary(conn, f, EVERYONE, as_of).iloc[0]
        with rollup_store.raw_only(conn):
            raw = people.fetch_population_summary(conn, f, EVERYONE).iloc[0]
            raw_sugg = suggestions.fetch_summary(conn, f, EVERYONE, as_of).iloc[0]
        assert after["people"] == raw["people"] == before["people"] - 100
        assert after_sugg["overdue"] == raw_sugg["overdue"] == before_sugg["overdue"] - len(overdue)
    finally:
        trans.rollback()


def test_a_pinned_fingerprint_uses_the_rollup_only_for_that_ledger(conn):
    """A page judges every query against the fingerprint its results are cached under."""
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of))
    live = rollup_store.fingerprint(conn)
    with rollup_store.pinned(conn, live):
        assert rollup_store.lookup(conn, "coverage", f, EVERYONE) is not None
    with rollup_store.pinned(conn, live.replace(live[-4:], "0000")):  # another ledger's version
        assert rollup_store.lookup(conn, "coverage", f, EVERYONE) is None
    with rollup_store.pinned(conn, "untracked/" + live):
        assert rollup_store.lookup(conn, "coverage", f, EVERYONE) is None


def test_a_table_recreated_by_a_load_is_not_trusted_until_refreshed(ledger):
    """A load that drops and recreates a table loses its triggers; the content may even be
    identical (same ids). The fingerprint must differ from the stored one."""
    t = schema.talent_activities
    with ledger.connect() as conn:
        stored = rollup_store.status(conn)["fingerprint"]
        assert rollup_store.current_generation(conn) is not None
    with ledger.begin() as conn:
        conn.execute(sa.text("ALTER TABLE talent_activities RENAME TO talent_activities_old"))
        for ix in t.indexes if ledger.dialect.name != "mysql" else ():  # (names are per schema there)
            conn.execute(sa.text(f"DROP INDEX {ix.name}"))
        t.create(conn)
        conn.execute(sa.text("INSERT INTO talent_activities SELECT * FROM talent_activities_old"))
        conn.execute(sa.text("DROP TABLE talent_activities_old"))
    with ledger.connect() as conn:
        assert rollup_store.fingerprint(conn) != stored
        assert rollup_store.current_generation(conn) is None
        assert not rollup_store.status(conn)["fresh"]
    rollup_store.install_change_tracking(ledger)  # what the next refresh does first
    with ledger.connect() as conn:
        live = rollup_store.fingerprint(conn)
        assert rollup_store.is_tracked(live)
        if live != stored:  # MySQL: the table's creation time is part of the fingerprint
            # The content is unchanged, so the stored rollup is still right: mark it so
            # instead of refreshing (the other tests share this ledger).
            assert ledger.dialect.name == "mysql"
            g = rollup_store.rollup_meta.c.generation
            newest = conn.execute(sa.select(sa.func.max(g))).scalar()
            conn.execute(rollup_store.rollup_meta.update().where(g == newest).values(fingerprint=live))
            conn.commit()
        assert rollup_store.current_generation(conn) is not None


def test_postgresql_truncate_is_seen(ledger):
    if ledger.dialect.name != "postgresql":
        return  # (SQLite has no TRUNCATE; MySQL's empties the ids, which the fingerprint holds)
    with ledger.connect() as conn:
        trans = conn.begin()
        try:
            before = rollup_store.fingerprint(conn)
            conn.execute(sa.text("TRUNCATE talent_activities"))
            assert rollup_store.fingerprint(conn) != before
        finally:
            trans.rollback()


def test_the_refresh_refuses_a_ledger_of_views(sqlite_demo_path, tmp_path):
    """Changes behind a view cannot be tracked: no rollup is written, the raw tables answer."""
    path = tmp_path / "views.sqlite"
    shutil.copy(sqlite_demo_path, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            for t in rollup_store.TABLES:
                conn.execute(t.delete())
            conn.execute(sa.text("ALTER TABLE suggestions RENAME TO suggestions_base"))
            conn.execute(sa.text("CREATE VIEW suggestions AS SELECT * FROM suggestions_base"))
        try:
            rollups.refresh(engine)
        except rollup_store.ChangeTrackingUnavailable as exc:
            assert "suggestions" in str(exc)
        else:
            raise AssertionError("the refresh built a rollup it cannot keep fresh")
        with engine.connect() as conn:
            assert rollup_store.status(conn) is None
            assert rollup_store.current_generation(conn) is None
        assert rollups.main(["--url", f"sqlite:///{path}"]) == 2
    finally:
        engine.dispose()


def test_a_change_during_the_refresh_leaves_the_new_generation_unused(sqlite_demo_path, tmp_path, monkeypatch):
    path = tmp_path / "race.sqlite"
    shutil.copy(sqlite_demo_path, path)
    engine = make_engine(f"sqlite:///{path}")
    monkeypatch.setattr(rollups, "periods", lambda as_of, first_year: [Period.year(as_of.year, as_of)])
    real = rollups._grain_frames

    def frames_then_a_change(conn, f, as_of, *rest):
        yield from real(conn, f, as_of, *rest)
        with engine.begin() as write:  # the nightly load answers a suggestion meanwhile
            write.execute(sa.text("UPDATE suggestions SET answered_on = due_on WHERE answered_on IS NULL"))

    monkeypatch.setattr(rollups, "_grain_frames", frames_then_a_change)
    try:
        record = rollups.refresh(engine)
        with engine.connect() as conn:
            assert rollup_store.status(conn)["generation"] == record["generation"]
            assert not rollup_store.status(conn)["fresh"]
            assert rollup_store.current_generation(conn) is None
    finally:
        engine.dispose()


def test_the_rollup_version_is_derived_from_the_code_it_stores(tmp_path):
    """Not a hand-set number: the source of the refresh and every data-layer module it
    reaches; editing any of them retires rollups written by the old code."""
    package = tmp_path / "data_access"
    shutil.copytree(rollup_store.PACKAGE, package)
    names = rollup_store.source_closure(package)
    assert {"rollups", "rollup_store", "people", "contacts", "branches", "suggestions", "talent", "services"} <= set(
        names
    )
    assert "demo" not in names  # the demo generator decides nothing the rollups store
    before = rollup_store.digest_sources(package)
    assert before == rollup_store.code_version()
    (package / "contacts.py").write_text((package / "contacts.py").read_text() + "\n# changed\n")
    assert rollup_store.digest_sources(package) != before


def test_the_source_closure_follows_a_package_into_its_modules(tmp_path):
    """A sub-package (the demo generator is a folder) counts with every module it imports,
    by absolute or relative import, and with its ``__init__``: an edit to any of them
    changes the digest of whatever reaches the package."""
    package = tmp_path / "data_access"
    shutil.copytree(rollup_store.PACKAGE, package)
    demo_modules = {f"demo.{p.stem}" for p in (package / "demo").glob("*.py") if p.stem[0] != "_"}
    (package / "uses_demo.py").write_text("from data_access.demo import build_demo\n")
    names = set(rollup_store.source_closure(package, "uses_demo"))
    assert {"uses_demo", "demo", "schema"} | demo_modules <= names
    (package / "demo" / "extra.py").write_text("X = 1\n")  # imported by nothing: not counted
    assert "demo.extra" not in rollup_store.source_closure(package, "uses_demo")
    before = rollup_store.digest_sources(package, "uses_demo")
    people = package / "demo" / "people.py"
    people.write_text(people.read_text() + "\n# changed\n")
    assert rollup_store.digest_sources(package, "uses_demo") != before
    # A relative import inside a sub-package is followed as well.
    (package / "sub").mkdir()
    (package / "sub" / "__init__.py").write_text("from .a import f\n")
    (package / "sub" / "a.py").write_text("from . import b\nfrom ..codes import CITY\n")
    (package / "sub" / "b.py").write_text("")
    assert {"sub", "sub.a", "sub.b", "codes"} <= set(rollup_store.source_closure(package, "sub"))


def test_the_dashboard_shows_a_change_within_the_version_interval(sqlite_demo_path, tmp_path, monkeypatch):
    """Through the page cache: a result cached under one ledger version is never served for
    another, and an UPDATE (no new rows) changes the version."""
    from dashboard import data

    path = tmp_path / "page.sqlite"
    shutil.copy(sqlite_demo_path, path)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            as_of = as_of_date(conn)
        f = Filters(Period.year(as_of.year, as_of))
        shown = data.query(people.fetch_population_summary, f, EVERYONE).iloc[0]["people"]
        with engine.begin() as conn:
            P = schema.people.c
            ids = [
                i
                for (i,) in conn.execute(
                    sa.select(P.id).where(P.death_date.is_(None), P.entry_date < f.period.start).limit(100)
                )
            ]
            conn.execute(schema.people.update().where(P.id.in_(ids)).values(death_date=f.period.start))
        data._ledger_version.clear()  # VERSION_TTL has passed
        assert data.query(people.fetch_population_summary, f, EVERYONE).iloc[0]["people"] == shown - 100
    finally:
        engine.dispose()
        data._ledger_version.clear()


def test_make_run_refreshes_the_demo_rollups_after_an_update(sqlite_demo_path, tmp_path, monkeypatch):
    """`make run` after an update of the code (a new stored figure changes the rollup's code
    version): the demo file's rollups are refreshed, so pages do not fall back to the raw
    ledger; fresh rollups and a file without rollups are left alone."""
    from data_access.demo import refresh_stale_rollups

    path = tmp_path / "copy.sqlite"
    shutil.copy(sqlite_demo_path, path)
    monkeypatch.setattr(rollups, "periods", lambda as_of, first_year: [Period.year(as_of.year, as_of)])
    assert refresh_stale_rollups(path) is False  # fresh: nothing to do
    monkeypatch.setattr(rollup_store, "code_version", lambda: "a-newer-version")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert rollup_store.status(conn)["fresh"] is False
        assert refresh_stale_rollups(path) is True
        with engine.connect() as conn:
            assert rollup_store.status(conn)["fresh"] is True
    finally:
        engine.dispose()
    bare = tmp_path / "bare.sqlite"
    sa.create_engine(f"sqlite:///{bare}").connect().close()
    assert refresh_stale_rollups(bare) is False and refresh_stale_rollups(tmp_path / "missing.sqlite") is False
