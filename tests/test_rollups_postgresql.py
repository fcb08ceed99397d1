"""Freshness of the rollups on PostgreSQL when the ledger is written without ordinary
triggers firing, and for read-only accounts (issue 22, part 6).

PostgreSQL writes without firing ``ENABLE``d (origin) triggers in a logical-replication
apply worker and in any session with ``session_replication_role = replica``, and not at all
while a load has them switched off (``ALTER TABLE … DISABLE TRIGGER USER``, which
``pg_restore --disable-triggers`` emits as ``DISABLE TRIGGER ALL``). Each case here writes a
death (or restores rows) that way, commits, and checks from a new connection that the rollup
is no longer used and the figure is the raw ledger's.

The read-only tests create real accounts: one granted the ledger's tables only (changes
that add no rows show only when the dashboard's results expire), one granted the data
dictionary's list (changes show within the version interval).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
import uuid

import pytest
import sqlalchemy as sa

from data_access import people, rollup_store, rollups, schema, talent
from data_access.db import as_of_date, make_engine
from data_access.demo import build_demo
from data_access.filters import Filters, Period, Scope
from tests.conftest import ROOT, server_database

EVERYONE = Scope.everything()


@pytest.fixture(scope="module")
def pg() -> sa.Engine:
    """A fresh PostgreSQL database for this module (its tests change the ledger)."""
    gen = server_database("postgresql")
    engine = next(gen)
    build_demo(engine)
    rollups.refresh(engine)
    yield engine
    gen.close()


def _year(conn: sa.Connection) -> Filters:
    as_of = as_of_date(conn)
    return Filters(Period.year(as_of.year, as_of))


def _living(conn: sa.Connection, f: Filters) -> int:
    P = schema.people.c
    return conn.execute(
        sa.select(P.id)
        .where(P.death_date.is_(None), P.entry_date < f.period.start)
        .order_by(P.id.desc())  # (not a row another test picks)
        .limit(1)
    ).scalar()


def _population(conn: sa.Connection, f: Filters) -> int:
    return int(people.fetch_population_summary(conn, f, EVERYONE).iloc[0]["people"])


def _mark_fresh(engine: sa.Engine) -> None:
    """The ledger's content is back to what the stored rollup was computed from: reinstall
    the tracking (what a refresh does first) and mark the rollup current again instead of
    recomputing it."""
    rollup_store.install_change_tracking(engine)
    with engine.begin() as conn:
        g = rollup_store.rollup_meta.c.generation
        newest = conn.execute(sa.select(sa.func.max(g))).scalar()
        live = rollup_store.fingerprint(conn)
        conn.execute(rollup_store.rollup_meta.update().where(g == newest).values(fingerprint=live))
    with engine.connect() as conn:
        assert rollup_store.current_generation(conn) is not None


@pytest.fixture
def death(pg):
    """(person id, period filters, population from the rollup before); the person is
    brought back to life afterwards and the rollup marked current again."""
    with pg.connect() as conn:
        f = _year(conn)
        assert rollup_store.lookup(conn, "population", f, EVERYONE) is not None
        person = _living(conn, f)
        before = _population(conn, f)
    yield person, f, before
    with pg.begin() as conn:
        conn.execute(schema.people.update().where(schema.people.c.id == person).values(death_date=None))
    _mark_fresh(pg)


def _served(engine: sa.Engine, f: Filters) -> tuple[int | None, int]:
    """What a new session sees: the rollup generation it would use, and the population."""
    with engine.connect() as conn:
        return rollup_store.current_generation(conn), _population(conn, f)


def test_the_change_triggers_fire_always(pg):
    with pg.connect() as conn:
        states = rollup_store.trigger_states(conn)
        assert set(states) == rollup_store.expected_triggers("postgresql")
        assert set(states.values()) == {"A"}  # ENABLE ALWAYS: replica-mode writes fire them too
        assert rollup_store.always_enabled(conn)
        assert rollup_store.status(conn)["fresh"]


@pytest.mark.parametrize("how", ["session_replication_role", "logical_apply"])
def test_a_write_in_replica_mode_is_counted(pg, death, how):
    """``session_replication_role = replica`` is the mode a logical-replication apply worker
    writes in (it also sets up a replication origin, as here for ``logical_apply``): ordinary
    triggers do not fire, ALWAYS triggers do."""
    person, f, before = death
    with pg.connect() as conn:
        conn.execute(sa.text("SET session_replication_role = replica"))
        if how == "logical_apply":
            origin = f"svc_test_{uuid.uuid4().hex[:8]}"
            conn.execute(sa.text("SELECT pg_replication_origin_create(:o)"), {"o": origin})
            conn.execute(sa.text("SELECT pg_replication_origin_session_setup(:o)"), {"o": origin})
        conn.execute(schema.people.update().where(schema.people.c.id == person).values(death_date=f.period.start))
        conn.commit()
        if how == "logical_apply":
            conn.execute(sa.text("SELECT pg_replication_origin_session_reset()"))
            conn.execute(sa.text("SELECT pg_replication_origin_drop(:o)"), {"o": origin})
            conn.commit()
        conn.execute(sa.text("SET session_replication_role = origin"))
    generation, population = _served(pg, f)
    assert generation is None
    assert population == before - 1


@pytest.mark.parametrize("which", ["USER", "ALL"])
def test_a_load_with_the_triggers_disabled_is_seen(pg, death, which):
    """``ALTER TABLE … DISABLE TRIGGER USER`` around a load: the counter does not move, but
    re-enabling leaves the trigger ENABLE (origin), not ALWAYS, and the fingerprint holds
    that state."""
    person, f, before = death
    with pg.begin() as conn:
        conn.execute(sa.text(f"ALTER TABLE people DISABLE TRIGGER {which}"))
        conn.execute(schema.people.update().where(schema.people.c.id == person).values(death_date=f.period.start))
        conn.execute(sa.text(f"ALTER TABLE people ENABLE TRIGGER {which}"))
    generation, population = _served(pg, f)
    assert generation is None
    assert population == before - 1


def _libpq(engine: sa.Engine, database: str | None = None) -> list[str]:
    url = engine.url
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return [*args, "-d", database or url.database]


def test_pg_restore_with_disable_triggers_is_seen(pg, tmp_path, monkeypatch):
    """A data-only ``pg_restore --disable-triggers`` (rows restored with the ids they had:
    no highest id and no counter moves)."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump/pg_restore (postgresql-client) are needed for this test")
    t = schema.talent_activities
    with pg.connect() as conn:
        f = _year(conn)
        ids = [
            i for (i,) in conn.execute(sa.select(t.c.id).where(t.c.held_on >= f.period.start).order_by(t.c.id).limit(3))
        ]
        rows = [dict(r) for r in conn.execute(sa.select(t).where(t.c.id.in_(ids))).mappings()]
    assert len(rows) == 3
    with pg.begin() as conn:  # the rollup is computed without them ...
        conn.execute(t.delete().where(t.c.id.in_(ids)))
    # (only the running year, the one these tests read, to keep the test short)
    monkeypatch.setattr(rollups, "periods", lambda as_of, first_year: [Period.year(as_of.year, as_of)])
    rollups.refresh(pg)
    with pg.connect() as conn:
        assert rollup_store.current_generation(conn) is not None
        stored = int(talent.fetch_activities(conn, f, EVERYONE).iloc[0]["activities"])
    # ... and a dump holding just them is restored the way a nightly load might do it.
    admin = make_engine(pg.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    side = f"svc_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{side}"'))
    try:
        side_engine = make_engine(pg.url.set(database=side))
        try:
            copy = sa.Table(t.name, sa.MetaData(), *(sa.Column(c.name, c.type) for c in t.columns))
            with side_engine.begin() as conn:
                copy.create(conn)
                conn.execute(copy.insert(), rows)
        finally:
            side_engine.dispose()
        dump = tmp_path / "talent.dump"
        subprocess.run(["pg_dump", *_libpq(pg, side), "-Fc", "--data-only", "-t", t.name, "-f", str(dump)], check=True)
        subprocess.run(["pg_restore", *_libpq(pg), "--data-only", "--disable-triggers", str(dump)], check=True)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{side}" WITH (FORCE)'))
        admin.dispose()
    with pg.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t).where(t.c.id.in_(ids))).scalar() == 3
        assert rollup_store.current_generation(conn) is None
        assert int(talent.fetch_activities(conn, f, EVERYONE).iloc[0]["activities"]) == stored + 3
    _mark_fresh(pg)  # (the ledger is the module's original again)


def test_without_always_triggers_the_write_statistics_catch_a_replica_mode_write(pg, death):
    """Where the refresh account may not set ALWAYS (only the owner may), the triggers stay
    ENABLE (origin) and the fingerprint holds the tables' write statistics, which count the
    writes no trigger saw — about a second late."""
    person, f, before = death
    with pg.begin() as conn:
        for table in rollup_store.LEDGER:
            conn.execute(sa.text(f"ALTER TABLE {table.name} ENABLE TRIGGER {rollup_store.TRIGGER_PREFIX}{table.name}"))
    with pg.connect() as conn:
        assert not rollup_store.always_enabled(conn)
        rollup_store.settle_statistics(conn, wait=0.5)
        conn.rollback()
        stored = rollup_store.fingerprint(conn)
        assert rollup_store.is_tracked(stored)
        g = rollup_store.rollup_meta.c.generation
        newest = conn.execute(sa.select(sa.func.max(g))).scalar()
        conn.execute(rollup_store.rollup_meta.update().where(g == newest).values(fingerprint=stored))
        conn.commit()
        assert rollup_store.current_generation(conn) is not None  # (content unchanged)
    with pg.connect() as conn:
        conn.execute(sa.text("SET session_replication_role = replica"))
        conn.execute(schema.people.update().where(schema.people.c.id == person).values(death_date=f.period.start))
        conn.commit()
        conn.execute(sa.text("SET session_replication_role = origin"))
        conn.commit()
    deadline = time.monotonic() + 15
    while True:
        with pg.connect() as conn:
            if rollup_store.fingerprint(conn) != stored:
                break
        assert time.monotonic() < deadline, "the statistics never showed the write"
        time.sleep(0.2)
    generation, population = _served(pg, f)
    assert generation is None
    assert population == before - 1


# --- Read-only accounts --------------------------------------------------------------------

GRANTS_START = "<!-- read-only grants: postgresql -->"


def documented_grants() -> str:
    """The data dictionary's grant list for PostgreSQL (the SQL block after the marker)."""
    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    after = text[text.index(GRANTS_START) :]
    return re.search(r"```sql\n(.*?)```", after, re.S).group(1)


def test_the_documented_grant_list_names_every_table():
    sql = documented_grants()
    named = set(re.findall(r"\b([a-z_]+)\b", sql))
    assert set(schema.TABLES) <= named
    assert {t.name for t in rollup_store.TABLES} | {"rollup_changes"} <= named


@pytest.fixture
def role(pg):
    """A new login role on the module's database, dropped afterwards."""
    name = f"ro_{uuid.uuid4().hex[:8]}"
    with pg.begin() as conn:
        conn.execute(sa.text(f"CREATE ROLE {name} LOGIN"))
    try:
        yield name, make_engine(pg.url.set(username=name, password=None))
    finally:
        with pg.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {name}"))
            conn.execute(sa.text(f"DROP ROLE {name}"))


def _touch(pg: sa.Engine) -> None:
    """An UPDATE that adds no row and changes no id (a correction made in place)."""
    P = schema.people.c
    with pg.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(P.id))).scalar()
        conn.execute(schema.people.update().where(P.id == first).values(name=P.name))


def test_the_documented_grant_list_shows_a_change_within_seconds(pg, role, monkeypatch):
    name, engine = role
    with pg.begin() as conn:
        for statement in documented_grants().split(";"):
            if statement.strip():
                conn.execute(sa.text(statement.replace("dashboard_ro", name)))
    try:
        with engine.connect() as conn, pg.connect() as writer:
            live = rollup_store.fingerprint(conn)
            assert live == rollup_store.fingerprint(writer)
            assert rollup_store.is_tracked(live)
            assert rollup_store.current_generation(conn) is not None  # the rollups answer
        _touch(pg)
        with engine.connect() as conn:
            assert rollup_store.fingerprint(conn) != live  # at once: the counters moved
            assert rollup_store.current_generation(conn) is None
        # Through the dashboard: a new version as soon as VERSION_TTL has passed.
        from dashboard import data

        monkeypatch.setenv("SERVICE_DB_URL", engine.url.render_as_string(hide_password=False))
        data.clear_caches()
        first = data.ledger_version()
        assert "@" not in first  # tracked: no time bucket
        _touch(pg)
        assert data.ledger_version() == first  # (cached for VERSION_TTL)
        data._ledger_version.clear()  # VERSION_TTL (10 s) has passed
        assert data.ledger_version() != first
    finally:
        engine.dispose()
        from dashboard import data

        data.clear_caches()
        _mark_fresh(pg)


def test_a_ledger_only_account_sees_an_in_place_change_only_when_results_expire(pg, role, monkeypatch):
    """The account the data dictionary used to recommend (ledger tables only) cannot read the
    change counters: the ledger counts as untracked and the dashboard's version moves only
    every UNTRACKED_TTL (new rows still show at once: their ids are in the fingerprint)."""
    name, engine = role
    with pg.begin() as conn:
        conn.execute(sa.text(f"GRANT SELECT ON {', '.join(sorted(schema.TABLES))} TO {name}"))
    try:
        with engine.connect() as conn:
            before = rollup_store.fingerprint(conn)
            assert not rollup_store.is_tracked(before)
            assert rollup_store.current_generation(conn) is None
        _touch(pg)
        with engine.connect() as conn:
            assert rollup_store.fingerprint(conn) == before  # the change is invisible to it
        from dashboard import data

        monkeypatch.setenv("SERVICE_DB_URL", engine.url.render_as_string(hide_password=False))
        data.clear_caches()
        assert data.ledger_version().endswith(f"@{int(time.time() // data.UNTRACKED_TTL.total_seconds())}")
    finally:
        engine.dispose()
        from dashboard import data

        data.clear_caches()
        _mark_fresh(pg)


def test_readme_states_how_soon_a_change_shows_per_account():
    """The README's table uses the intervals the code has."""
    from dashboard import data

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| account") :]
    assert "rollup_changes" in table.split("\n\n")[0]
    assert data.VERSION_TTL == dt.timedelta(seconds=10) and data.UNTRACKED_TTL == dt.timedelta(minutes=10)
