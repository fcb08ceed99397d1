"""The audit log: an app-owned store, separate from the service database (which the
dashboard only reads). Who, when, which page, which filters, which export."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access.db import fetch_df, make_engine

metadata = sa.MetaData()
events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("user_id", sa.String(120), nullable=False, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("action", sa.String(12), nullable=False),  # view / export / login / login_failed / logout
    sa.Column("page", sa.String(40)),
    sa.Column("filters", sa.String(1000)),
    sa.Column("file_name", sa.String(300)),
    sa.Column("rows", sa.Integer),
)


def make_audit_engine(url: str) -> sa.Engine:
    """The audit store's engine. On SQLite (the default store) every session of every user
    writes to one file: WAL lets readers go on while one writes, and a writer waits up to
    30 s for its turn instead of failing with "database is locked" under load."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.close()

    return engine


def ensure(engine: sa.Engine) -> None:
    metadata.create_all(engine)


def record(
    engine: sa.Engine,
    *,
    user_id: str,
    role: str,
    action: str,
    page: str | None = None,
    filters: str | None = None,
    file_name: str | None = None,
    rows: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            events.insert().values(
                at=at or dt.datetime.now().replace(microsecond=0),
                user_id=user_id,
                role=role,
                action=action,
                page=page,
                filters=(filters or "")[:1000],
                file_name=file_name,
                rows=rows,
            )
        )


def fetch(
    engine: sa.Engine,
    start: dt.date,
    end: dt.date,
    user_id: str | None = None,
    action: str | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Events with ``start <= at < end`` (dates), newest first. Columns: at, user_id, role,
    action, page, filters, file_name, rows."""
    conds = [events.c.at >= dt.datetime.combine(start, dt.time()), events.c.at < dt.datetime.combine(end, dt.time())]
    if user_id:
        conds.append(events.c.user_id == user_id)
    if action:
        conds.append(events.c.action == action)
    stmt = (
        sa.select(
            events.c.at,
            events.c.user_id,
            events.c.role,
            events.c.action,
            events.c.page,
            events.c.filters,
            events.c.file_name,
            events.c.rows,
        )
        .where(*conds)
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return fetch_df(conn, stmt)
