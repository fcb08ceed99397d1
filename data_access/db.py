"""Engines, the schema check and the as-of date: the only place that opens connections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_access import schema
from data_access.errors import DatabaseUnavailable, EmptyDatabase, SchemaError

CONNECT_TIMEOUT_S = 5


def make_engine(url: str, **kwargs) -> sa.Engine:
    """An engine with pre-ping and short connect timeouts for the three supported backends."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    options: dict = {"pool_pre_ping": True}
    connect_args: dict = {}
    if backend == "sqlite":
        connect_args["check_same_thread"] = False
    else:
        options.update(pool_size=5, max_overflow=10, pool_recycle=1800)
        if backend == "postgresql":
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
            # JIT compiles a plan in seconds to save milliseconds: on a large ledger the
            # planner's cost estimates trigger it for queries that then run in 0.1 s.
            connect_args["options"] = "-c jit=off"
        elif backend in ("mysql", "mariadb"):
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    options.update(kwargs)
    return sa.create_engine(parsed, connect_args=connect_args, **options)


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def connect(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection; an unreachable server becomes :class:`DatabaseUnavailable`."""
    try:
        conn = engine.connect()
    except sa.exc.DBAPIError as exc:  # OperationalError, InterfaceError, ...
        raise DatabaseUnavailable(
            f"cannot connect to {describe_url(str(engine.url))}: {exc.orig}",
            describe_url(str(engine.url)),
        ) from exc
    try:
        yield conn
    finally:
        conn.close()


def require_existing_file(url: str) -> None:
    """For a SQLite URL, raise :class:`DatabaseUnavailable` when its file does not exist —
    SQLite would otherwise create an empty file there (a mistyped path turns into a new
    database). In-memory databases and ``uri=true`` URLs (their ``mode`` decides) pass."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    path = parsed.database or ""
    if path in ("", ":memory:") or str(parsed.query.get("uri", "")).lower() == "true":
        return
    if not Path(path).is_file():
        raise DatabaseUnavailable(f"no SQLite file at {path}", describe_url(url))


def check_schema(engine: sa.Engine) -> None:
    """Raise :class:`SchemaError` naming every missing table or column (views count)."""
    with connect(engine) as conn:
        insp = sa.inspect(conn)
        present = set(insp.get_table_names()) | set(insp.get_view_names())
        missing: list[str] = []
        for name, table in schema.TABLES.items():
            if name not in present:
                missing.append(name)
                continue
            have = {c["name"] for c in insp.get_columns(name)}
            missing += [f"{name}.{c.name}" for c in table.columns if c.name not in have]
    if missing:
        raise SchemaError(f"the service database lacks: {', '.join(missing)}", missing)


def as_of_date(conn: sa.Connection) -> dt.date:
    """The latest activity date in the ledger (数据截至); never the wall clock."""
    candidates = [
        sa.select(sa.func.max(schema.contacts.c.contact_date)),
        sa.select(sa.func.max(schema.disbursements.c.paid_on)),
        sa.select(sa.func.max(schema.branch_activities.c.held_on)),
    ]
    dates = [d for d in (conn.execute(stmt).scalar() for stmt in candidates) if d is not None]
    if not dates:
        raise EmptyDatabase("the service database holds no activity records", "contacts")
    return max(as_date(d) for d in dates)


def as_date(value) -> dt.date:
    """A DATE column's value as a date (SQLite hands back text, MySQL may hand back datetimes)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def fetch_df(conn: sa.Connection, stmt: sa.Executable) -> pd.DataFrame:
    """Run a statement and return its rows as a DataFrame with the statement's labels.

    Rows go in as plain tuples: handed SQLAlchemy ``Row`` objects, pandas probes each one
    for namedtuple attributes through a slow fallback, four times the cost of the frame."""
    result = conn.execute(stmt)
    return pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))


def first_activity_date(conn: sa.Connection) -> dt.date:
    """The earliest contact date: where the ledger's activity history begins."""
    value = conn.execute(sa.select(sa.func.min(schema.contacts.c.contact_date))).scalar()
    if value is None:
        raise EmptyDatabase("the service database holds no contacts", "contacts")
    return as_date(value)


def probe(engine: sa.Engine) -> dt.date:
    """A live (uncached) check that the ledger answers: the as-of date, or
    :class:`DatabaseUnavailable` for any failure (server down, file broken, table gone)."""
    try:
        with connect(engine) as conn:
            return as_of_date(conn)
    except (sa.exc.DBAPIError, sa.exc.NoSuchTableError) as exc:
        raise DatabaseUnavailable(f"the service database did not answer: {exc}", describe_url(str(engine.url))) from exc
