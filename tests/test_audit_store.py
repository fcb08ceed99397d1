"""The audit store under load: many sessions write at once without "database is locked"."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from data_access import audit
from tests.conftest import server_database


def test_sqlite_audit_store_takes_concurrent_writers(tmp_path):
    engine = audit.make_audit_engine(f"sqlite:///{tmp_path / 'audit.sqlite'}")
    audit.ensure(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000

    def write(worker: int) -> None:
        for i in range(25):
            audit.record(engine, user_id=f"u{worker}", role="city", action="view", page="overview", filters=str(i))

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(write, range(12)))
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit.events)).scalar() == 12 * 25
    today = dt.date.today()
    assert len(audit.fetch(engine, today, today + dt.timedelta(days=1))) == 12 * 25
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def store(request, tmp_path):
    """An empty audit store on each backend (a fresh database on the servers)."""
    if request.param == "sqlite":
        engine = audit.make_audit_engine(f"sqlite:///{tmp_path / 'audit.sqlite'}")
        yield engine
        engine.dispose()
        return
    gen = server_database(request.param)
    yield next(gen)
    gen.close()


def test_every_action_and_long_names_are_recorded(store):
    """login_blocked (13 characters) fits the action column; a 500-character user name (an
    attacker's) is recorded cut to its column, never dropped with an error."""
    audit.ensure(store)
    long_name = "x" * 500
    for action in ("login", "login_failed", "login_blocked", "logout", "view", "export"):
        audit.record(store, user_id=long_name, role="-", action=action, page="p" * 100, file_name="f" * 400)
    today = dt.date.today()
    rows = audit.fetch(store, today, today + dt.timedelta(days=1))
    assert sorted(rows["action"]) == sorted(["login", "login_failed", "login_blocked", "logout", "view", "export"])
    assert set(rows["user_id"]) == {"x" * 119 + "…"}


def test_an_older_table_is_widened(store):
    """A table created by older code (action VARCHAR(12)) takes login_blocked after ensure()."""
    old = sa.MetaData()
    sa.Table(
        "audit_events",
        old,
        *[
            sa.Column(c.name, sa.String(12) if c.name == "action" else c.type, primary_key=c.primary_key)
            for c in audit.events.columns
        ],
    )
    old.create_all(store)
    audit.ensure(store)
    audit.record(store, user_id="u", role="city", action="login_blocked")
    if store.dialect.name != "sqlite":  # SQLite keeps the declared type but enforces no length
        columns = {c["name"]: c["type"] for c in sa.inspect(store).get_columns("audit_events")}
        assert columns["action"].length == 20
    today = dt.date.today()
    assert audit.fetch(store, today, today + dt.timedelta(days=1))["action"].tolist() == ["login_blocked"]
