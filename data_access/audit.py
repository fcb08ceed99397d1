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
    # view / export / login / login_failed / login_blocked / logout (was String(12) before
    # login_blocked: ensure() widens an older table)
    sa.Column("action", sa.String(20), nullable=False),
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
    """Create the table, or widen the text columns of one created by older code (the audit
    store is the app's own: its account may alter it). SQLite does not enforce lengths."""
    metadata.create_all(engine)
    if engine.dialect.name == "sqlite":
        return
    have = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns(events.name)}
    with engine.begin() as conn:
        for column in events.columns:
            length = getattr(column.type, "length", None)
            old = getattr(have.get(column.name), "length", None)
            if length is None or old is None or old >= length:
                continue
            name = conn.dialect.identifier_preparer.quote(column.name)
            table = conn.dialect.identifier_preparer.quote(events.name)
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {name} TYPE VARCHAR({length})"))
            else:  # MySQL / MariaDB restate the whole column
                null = "NULL" if column.nullable else "NOT NULL"
                conn.execute(sa.text(f"ALTER TABLE {table} MODIFY {name} VARCHAR({length}) {null}"))


def _fit(column: sa.Column, value: str | None) -> str | None:
    """A text value cut to its column (a 500-character user name is recorded, not refused)."""
    if value is None:
        return None
    value = str(value)
    length = column.type.length
    return value if len(value) <= length else value[: length - 1] + "…"


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
                user_id=_fit(events.c.user_id, user_id),
                role=_fit(events.c.role, role),
                action=action,
                page=_fit(events.c.page, page),
                filters=_fit(events.c.filters, filters or ""),
                file_name=_fit(events.c.file_name, file_name),
                rows=rows,
            )
        )


def check(engine: sa.Engine) -> None:
    """Raise unless the audit store answers (a cheap read of its table)."""
    with engine.connect() as conn:
        conn.execute(sa.select(events.c.id).limit(1)).all()


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
