"""The audit store under load: many sessions write at once without "database is locked"."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from data_access import audit


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
