"""Bad input gives a clear error naming the problem, never silently wrong numbers."""

from __future__ import annotations

import datetime as dt
import socket
import uuid

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from dashboard.data import clear_caches
from data_access import branches, contacts, money, people, reference, rollup_store, schema
from data_access.config import resolve_url
from data_access.db import as_of_date, check_schema, connect, make_engine
from data_access.demo import build_demo
from data_access.errors import ConfigError, DatabaseUnavailable, EmptyDatabase, FilterError, SchemaError
from data_access.filters import Filters, Period, Scope


def test_unknown_area_against_the_database(conn):
    known = reference.fetch_areas(conn)["code"].tolist()
    assert known[0] == "city" and len(known) == 9 and "620171" not in known  # 兰州新区 off by default
    with pytest.raises(FilterError) as err:
        Filters(Period.year(2020), areas=("620199",)).validate_areas(known)
    assert "620199" in str(err.value)


def test_scope_outside_areas_raises_on_query(conn):
    f = Filters(Period.year(2020), areas=("city",))
    with pytest.raises(FilterError):
        people.fetch_population_summary(conn, f, Scope.only(["620102"]))


def test_scope_restricts_every_row(conn):
    df = contacts.fetch_coverage(conn, Filters(Period.year(2020)), Scope.only(["620102"]), ["area_code"])
    assert df["area_code"].tolist() == ["620102"]


def test_empty_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    schema.Base.metadata.create_all(engine)
    check_schema(engine)  # the tables are there...
    with connect(engine) as conn, pytest.raises(EmptyDatabase):
        as_of_date(conn)  # ...but nothing to show: no as-of date, no made-up numbers


def test_missing_table_and_column_are_named(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'partial.sqlite'}")
    schema.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE talent_pool"))
        conn.execute(sa.text("ALTER TABLE suggestions DROP COLUMN answered_on"))
    with pytest.raises(SchemaError) as err:
        check_schema(engine)
    assert "talent_pool" in err.value.missing
    assert "suggestions.answered_on" in err.value.missing


def test_completely_empty_file_names_every_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nothing.sqlite'}")
    with pytest.raises(SchemaError) as err:
        check_schema(engine)
    assert set(err.value.missing) == set(schema.TABLES)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "mysql+pymysql"])
def test_unreachable_server(scheme):
    engine = make_engine(f"{scheme}://nobody:secret@127.0.0.1:{_free_port()}/ledger")
    with pytest.raises(DatabaseUnavailable) as err:
        check_schema(engine)
    assert "127.0.0.1" in str(err.value)
    assert "secret" not in str(err.value)  # never leak the password


def test_build_refuses_a_database_with_a_ledger(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    schema.Base.metadata.create_all(engine)
    with pytest.raises(RuntimeError, match="already has ledger tables"):
        build_demo(engine)


def test_config_precedence(tmp_path):
    secrets = tmp_path / "secrets.toml"
    assert resolve_url({}, secrets).source == "default"
    secrets.write_text('[connections.service]\nurl = "sqlite:///from_secrets.db"\n', encoding="utf-8")
    assert resolve_url({}, secrets).url == "sqlite:///from_secrets.db"
    env = resolve_url({"SERVICE_DB_URL": "postgresql+psycopg://u@h/db"}, secrets)
    assert (env.url, env.source) == ("postgresql+psycopg://u@h/db", "env")
    secrets.write_text("[connections.service\nurl=", encoding="utf-8")
    with pytest.raises(ConfigError):
        resolve_url({}, secrets)


def _deny_rollups(engine: sa.Engine) -> None:
    """SQLite has no GRANT: an authorizer refuses every read of a rollup table, as a server
    account with SELECT on the ledger's tables only does."""

    @sa.event.listens_for(engine, "connect")
    def _authorizer(dbapi_conn, _record):
        import sqlite3

        def deny(action, table, _column, _db, _source):
            if action == sqlite3.SQLITE_READ and (table or "").startswith("rollup_"):
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK

        dbapi_conn.set_authorizer(deny)


@pytest.fixture
def read_only_url(ledger, sqlite_demo_path):
    """A URL on the same ledger through an account (or file mode) that can only read, and
    only the ledger's tables, as the data dictionary recommends: the rollup tables exist
    (the refresh ran with a writing account) but this account may not read them."""
    name = f"ro_{uuid.uuid4().hex[:8]}"
    url = ledger.url
    if ledger.dialect.name == "sqlite":
        yield f"sqlite:///file:{sqlite_demo_path}?mode=ro&uri=true"
        return
    tables = sorted(schema.TABLES)
    with ledger.begin() as conn:
        if ledger.dialect.name == "postgresql":
            conn.execute(sa.text(f"CREATE ROLE {name} LOGIN"))
            conn.execute(sa.text(f'GRANT CONNECT ON DATABASE "{url.database}" TO {name}'))
            conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {name}"))
            conn.execute(sa.text(f"GRANT SELECT ON {', '.join(tables)} TO {name}"))
            ro_url = url.set(username=name, password=None)
        else:
            conn.execute(sa.text(f"CREATE USER '{name}'@'%' IDENTIFIED BY 'ro-pass'"))
            for table in tables:
                conn.execute(sa.text(f"GRANT SELECT ON `{url.database}`.`{table}` TO '{name}'@'%'"))
            ro_url = url.set(username=name, password="ro-pass")
    try:
        yield ro_url.render_as_string(hide_password=False)
    finally:
        with ledger.begin() as conn:
            if ledger.dialect.name == "postgresql":
                conn.execute(sa.text(f"DROP OWNED BY {name}"))
                conn.execute(sa.text(f"DROP ROLE {name}"))
            else:
                conn.execute(sa.text(f"DROP USER '{name}'@'%'"))


@pytest.fixture
def read_only_engine(read_only_url):
    engine = make_engine(read_only_url)
    if engine.dialect.name == "sqlite":
        _deny_rollups(engine)
    yield engine
    engine.dispose()


def test_read_only_account(read_only_engine, ledger):
    """The layer issues only reads: it works through an account that may only SELECT the
    ledger's tables, after the rollup refresh has run, and gives the same figures from the
    raw tables as the writer's account gets from the rollups."""
    check_schema(read_only_engine)
    year = Filters(Period.year(2019))  # a stored period: the rollups would answer it
    with connect(read_only_engine) as conn, connect(ledger) as writer:
        assert rollup_store.current_generation(writer) is not None  # the refresh has run
        assert as_of_date(conn) == dt.date(2020, 12, 31)
        df = people.fetch_population_summary(conn, year, Scope.everything(), ["category"])
        assert int(df["people"].sum()) == 703 + 32197 + 356
        assert rollup_store.current_generation(conn) is None  # not readable: the raw tables answer
        for fn, kwargs in (
            (contacts.fetch_coverage, {"by": ["area_code"]}),
            (contacts.fetch_overdue_count, {"as_of": dt.date(2020, 12, 31)}),
            (contacts.fetch_overdue_list, {"as_of": dt.date(2020, 12, 31)}),
            (money.fetch_aid_summary, {"by": ["area_code"]}),
            (branches.fetch_org_life, {"as_of": dt.date(2020, 12, 31)}),
        ):
            mine = fn(conn, year, Scope.everything(), **kwargs)
            theirs = fn(writer, year, Scope.everything(), **kwargs)
            if isinstance(mine, branches.OrgLife):  # a grid: compared as its branch-months
                mine, theirs = mine.detail(), theirs.detail()
            pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
        with pytest.raises(sa.exc.DBAPIError):
            conn.execute(sa.text("DELETE FROM areas"))


def test_read_only_account_serves_every_page(read_only_url, ledger, monkeypatch, tmp_path):
    """Every page opens through that account once the rollups have been refreshed."""
    import streamlit as st

    from dashboard import data, navigation
    from tests import apptest_tools as tools

    clear_caches()
    st.cache_resource.clear()
    if ledger.dialect.name == "sqlite":
        real = data.make_engine

        def denying(url, **kwargs):
            engine = real(url, **kwargs)
            _deny_rollups(engine)
            return engine

        monkeypatch.setattr(data, "make_engine", denying)
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", read_only_url)
    at = tools.signed_in(monkeypatch, tmp_path, "leader")
    for spec in navigation.PAGES:
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
        assert not at.error, (spec.path, [e.value for e in at.error])
    clear_caches()
    st.cache_resource.clear()


@pytest.fixture
def lost_database(ledger, sqlite_demo_path, tmp_path):
    """(url, lose): a service database and a function that takes it away mid-session — the
    SQLite file overwritten, the PostgreSQL / MariaDB database refusing connections."""
    if ledger.dialect.name == "sqlite":
        path = tmp_path / "ledger.sqlite"
        path.write_bytes(sqlite_demo_path.read_bytes())

        def lose():
            with path.open("r+b") as fh:
                fh.write(b"this is no longer a database" * 100)

        yield f"sqlite:///{path}", lose
        return
    if ledger.dialect.name != "postgresql":
        pytest.skip("taking a MariaDB database away needs privileges the test leaves alone")
    import os

    name = ledger.url.database
    admin = make_engine(os.environ["TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT", pool_pre_ping=False)

    def lose():
        with admin.connect() as c:
            c.execute(sa.text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            c.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})

    try:
        yield ledger.url.render_as_string(hide_password=False), lose
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        admin.dispose()
        ledger.dispose()  # its pooled connections were terminated


def test_database_lost_mid_session_gives_the_chinese_message(lost_database, monkeypatch, tmp_path):
    import streamlit as st

    from dashboard import labels
    from tests import apptest_tools as tools

    url, lose = lost_database
    clear_caches()
    st.cache_resource.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = tools.signed_in(monkeypatch, tmp_path, "leader", "pages/overview.py")
    assert not at.exception and at.metric  # the session is under way
    lose()
    at.switch_page("pages/contacts.py").run()  # figures not cached yet: the database must answer
    assert not at.exception
    assert labels.ERRORS["database_unavailable"] in [e.value for e in at.error]
    clear_caches()
    st.cache_resource.clear()


def test_a_sqlite_url_to_a_missing_file_creates_nothing(monkeypatch, tmp_path):
    """A mistyped SQLite path names the problem; it never becomes a new, empty database."""
    import streamlit as st

    from dashboard import labels
    from data_access.db import require_existing_file
    from tests import apptest_tools as tools

    missing = tmp_path / "typo" / "ledgr.sqlite"
    with pytest.raises(DatabaseUnavailable):
        require_existing_file(f"sqlite:///{missing}")
    require_existing_file("sqlite://")  # in memory
    clear_caches()
    st.cache_resource.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{tmp_path / 'ledgr.sqlite'}")
    at = tools.signed_in(monkeypatch, tmp_path, "leader")
    assert not at.exception and labels.ERRORS["database_unavailable"] in [e.value for e in at.error]
    assert not (tmp_path / "ledgr.sqlite").exists()


def test_a_read_only_account_granted_the_rollups_uses_them(read_only_url, ledger):
    """With SELECT granted on the rollup tables too (README), the read-only account sees the
    same fingerprint as the writer — the trigger list on PostgreSQL, the tables' creation
    times on MySQL, which hides triggers from it — and reads the figures from the rollups."""
    if ledger.dialect.name == "sqlite":
        return  # (no accounts: the file's reader is the writer)
    name = make_url(read_only_url).username
    rollup = [t.name for t in rollup_store.TABLES] + [rollup_store.rollup_changes.name]
    with ledger.begin() as conn:
        for table in rollup:
            target = (
                f"`{ledger.url.database}`.`{table}` TO '{name}'@'%'"
                if ledger.dialect.name == "mysql"
                else (f"{table} TO {name}")
            )
            conn.execute(sa.text(f"GRANT SELECT ON {target}"))
    engine = make_engine(read_only_url)
    try:
        with connect(engine) as conn, connect(ledger) as writer:
            assert rollup_store.fingerprint(conn) == rollup_store.fingerprint(writer)
            assert rollup_store.is_tracked(rollup_store.fingerprint(conn))
            assert rollup_store.current_generation(conn) == rollup_store.current_generation(writer) is not None
    finally:
        engine.dispose()
