"""Pre-aggregated rollups: where they are stored and how a query is answered from them.

The refresh command (``python -m data_access.rollups``) runs the data layer's own queries
once per standard period, grouped by the *grain* — area, category, rank and service tier,
the person attributes every filter and scope is made of — and stores the counts here. A
query whose filters and grouping are expressible on that grain is then a SUM over a few
thousand rows instead of a scan of millions; anything else (a date range that is not a
stored period, an age-band filter, a unit drill-down) runs on the raw ledger. The choice is
automatic and per call (:func:`lookup` returns ``None`` when the rollup cannot answer).

Safety while the dashboard serves: a refresh writes a new *generation* of rows, and makes
it current by committing one row to ``rollup_meta`` at the end; readers only ever read the
newest committed generation, and the one before it is kept, so a reader never sees a half-
written or deleted generation. A rollup is used only while its fingerprint (see
"Freshness" below: change counters kept by triggers, highest ids, as-of date, code version)
equals the live ledger's: after any change to the ledger and before the refresh has run,
every figure comes from the raw tables.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import hashlib
import logging
import os
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import as_date, as_of_date
from data_access.filters import Filters, Period, Scope, area_condition

GRAIN = ("area_code", "category", "rank", "service_tier")
ITEMS = ("item", "item2")

metadata = sa.MetaData()

rollup_meta = sa.Table(
    "rollup_meta",
    metadata,
    sa.Column("generation", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("fingerprint", sa.String(200), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("built_at", sa.DateTime, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("cells", sa.Integer, nullable=False),
)

rollup_periods = sa.Table(
    "rollup_periods",
    metadata,
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("fn", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("ref_date", sa.Date),
    sa.Index("ix_rollup_periods", "generation", "fn", "period_start", "period_end"),
)

rollup_cells = sa.Table(
    "rollup_cells",
    metadata,
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("fn", sa.String(40), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("ref_date", sa.Date),
    sa.Column("area_code", sa.String(16)),
    sa.Column("category", sa.String(16)),
    sa.Column("rank", sa.String(24)),
    sa.Column("service_tier", sa.Integer),
    sa.Column("item", sa.String(40)),
    sa.Column("item2", sa.String(40)),
    sa.Column("measure", sa.String(40), nullable=False),
    sa.Column("value", sa.Float(53), nullable=False),
    sa.Index("ix_rollup_cells", "generation", "fn", "period_start", "period_end", "area_code"),
)

# Everyone overdue on a reference day (the as-of date) with their last contact (empty if
# never contacted) and active pairing helper: the overdue list's input, otherwise a MAX over
# every contact and a look-up of the pairings per listed person.
rollup_overdue = sa.Table(
    "rollup_overdue",
    metadata,
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("ref_date", sa.Date, nullable=False),
    sa.Column("person_id", sa.Integer, nullable=False),
    sa.Column("last_contact", sa.Date),
    sa.Column("helper_name", sa.String(40)),  # the active pairing helper the list shows
    # The person's attributes the filters and the list use (as people has them), and the day
    # the overdue time counts from: the list is then read from these rows alone.
    sa.Column("area_code", sa.String(16)),
    sa.Column("category", sa.String(16)),
    sa.Column("rank", sa.String(24)),
    sa.Column("service_tier", sa.Integer),
    sa.Column("birth_date", sa.Date),
    sa.Column("unit_id", sa.Integer),
    sa.Column("since", sa.Date),
    sa.Index("ix_rollup_overdue", "generation", "ref_date", "person_id"),
)

# Per branch and year, the required activities held in a stored period as bit masks
# (branches.build_activity_masks): organisational life without scanning every activity.
rollup_org_life = sa.Table(
    "rollup_org_life",
    metadata,
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("branch_id", sa.Integer, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("theme_days", sa.Integer, nullable=False),
    sa.Column("general_meetings", sa.Integer, nullable=False),
    sa.Column("party_lectures", sa.Integer, nullable=False),
    sa.Index("ix_rollup_org_life", "generation", "period_start", "period_end", "branch_id"),
)

# Everyone flagged with a hardship (people.hardship_reason) and whether they were paid
# hardship aid in cash in a stored period: hardship coverage and the unaided list join these
# few rows to the people by id instead of scanning every person and every payment.
rollup_hardship = sa.Table(
    "rollup_hardship",
    metadata,
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("person_id", sa.Integer, nullable=False),
    sa.Column("aided", sa.Integer, nullable=False),
    sa.Index("ix_rollup_hardship", "generation", "period_start", "period_end", "person_id"),
)

TABLES = (rollup_meta, rollup_periods, rollup_cells, rollup_overdue, rollup_org_life, rollup_hardship)
OVERDUE_LIST = "overdue_list"  # its name in rollup_periods
ORG_LIFE = "org_life_masks"
HARDSHIP = "hardship_list"
BRANCH_MEMBERS = "branch_members"  # in rollup_cells: per branch (item) and person grain

# SERVICE_ROLLUPS=off makes every query run on the raw ledger (for comparisons and fault-finding).
ENABLED = os.environ.get("SERVICE_ROLLUPS", "on").strip().lower() not in ("off", "0", "false", "no")
_RAW_ONLY = "rollups_raw_only"


@contextmanager
def raw_only(conn: sa.Connection) -> Iterator[sa.Connection]:
    """Within this block, queries on ``conn`` ignore the rollups (the refresh uses this, so a
    new generation is computed from the ledger and never copied from the previous one)."""
    conn.info[_RAW_ONLY] = True
    try:
        yield conn
    finally:
        conn.info.pop(_RAW_ONLY, None)


# ---------------------------------------------------------------------------------------
# Freshness. A rollup is used only while the ledger is exactly what it was computed from.
#
# Every change to a ledger table — insert, update, delete, truncate — bumps that table's
# counter in ``rollup_changes``, in the same transaction, by triggers the refresh installs
# (one statement-level trigger per table on PostgreSQL, one row trigger per event on SQLite
# and MariaDB/MySQL). The fingerprint is the code version, the counters, the highest id (or
# row count) of every table and the list of installed triggers: a dropped and recreated
# table loses its triggers, a MySQL TRUNCATE (which fires none) empties its ids, and either
# makes the fingerprint differ. Where the triggers cannot exist (the ledger is a set of
# views, or the refresh may not create triggers) the refresh refuses and the raw tables
# answer every query.
#
# PostgreSQL also writes without firing ordinary triggers: a logical-replication apply
# worker and any session with ``session_replication_role = replica`` skip them, and
# ``ALTER TABLE … DISABLE TRIGGER USER|ALL`` (what ``pg_restore --disable-triggers`` emits)
# switches them off for a load. So the refresh makes its triggers ``ENABLE ALWAYS`` (they
# fire in replica mode too) and the fingerprint holds each trigger's enabled state: a load
# that disabled and re-enabled them leaves them ``ENABLE`` (origin), not ``ALWAYS``, and the
# rollup no longer matches. Where the refresh account may not set ALWAYS (only the tables'
# owner may), the fingerprint holds each table's write statistics instead
# (``pg_stat_user_tables``: rows inserted, updated, deleted, and the file a TRUNCATE
# replaces), which count every write whether a trigger fired or not — a second or so late,
# and also counting rolled-back writes (those retire the rollup until the next refresh:
# slower pages, never wrong figures).

rollup_changes = sa.Table(
    "rollup_changes",
    metadata,
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("changes", sa.BigInteger, nullable=False),
)

LEDGER: tuple[sa.Table, ...] = tuple(schema.TABLES[name] for name in sorted(schema.TABLES))
TRIGGER_PREFIX = "rollup_chg_"
_ROW_EVENTS = {"i": "INSERT", "u": "UPDATE", "d": "DELETE"}
_PG_FUNCTION = "rollup_count_change"


def expected_triggers(dialect: str) -> frozenset[str]:
    """The names of the change-tracking triggers a complete installation has."""
    if dialect == "postgresql":
        return frozenset(TRIGGER_PREFIX + t.name for t in LEDGER)
    return frozenset(f"{TRIGGER_PREFIX}{t.name}_{e}" for t in LEDGER for e in _ROW_EVENTS)


ALWAYS = "A"  # pg_trigger.tgenabled: fires in origin and replica mode alike


def trigger_states(conn: sa.Connection) -> dict[str, str]:
    """PostgreSQL: {trigger name: tgenabled} of the change-tracking triggers in this schema
    ('O' origin, 'A' always, 'R' replica only, 'D' disabled)."""
    rows = conn.execute(
        sa.text(
            "SELECT t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE :p "
            "AND c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema())"
        ),
        {"p": "rollup%"},
    )
    return {name: str(state) for name, state in rows if name.startswith(TRIGGER_PREFIX)}


def write_statistics(conn: sa.Connection) -> str:
    """PostgreSQL: every ledger table's write count (rows inserted + updated + deleted, from
    the statistics, which count writes that fired no trigger) and its file node (a TRUNCATE
    gives the table a new file), as text. The statistics reach other sessions about a second
    after the writing session goes idle; a transaction sees one snapshot of them."""
    rows = conn.execute(
        sa.text(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del, pg_relation_filenode(relid) "
            "FROM pg_stat_user_tables WHERE schemaname = current_schema()"
        )
    ).all()
    seen = {name: f"{writes}:{node}" for name, writes, node in rows}
    return ",".join(seen.get(t.name, "-") for t in LEDGER)


def always_enabled(conn: sa.Connection) -> bool:
    """PostgreSQL: every change-tracking trigger fires in replica mode too."""
    states = trigger_states(conn)
    return set(states) == expected_triggers("postgresql") and set(states.values()) == {ALWAYS}


def settle_statistics(conn: sa.Connection, wait: float = 1.2, tries: int = 10) -> None:
    """PostgreSQL without ALWAYS triggers: wait until the write statistics stop moving (a
    load that just ended is still being counted), so the fingerprint the refresh reads first
    holds every write its figures will include."""
    last = None
    for _ in range(tries):
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        now = write_statistics(conn)
        if now == last:
            return
        last = now
        time.sleep(wait)


def _installed_triggers(conn: sa.Connection) -> frozenset[str]:
    """Names of the enabled change-tracking triggers on this database's ledger tables."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        stmt = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p")
    elif dialect == "postgresql":
        stmt = sa.text(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE :p AND t.tgenabled IN ('O', 'A') "
            "AND c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema())"
        )
    else:
        stmt = sa.text(
            "SELECT trigger_name FROM information_schema.triggers "
            "WHERE trigger_schema = DATABASE() AND trigger_name LIKE :p"
        )
    rows = conn.execute(stmt, {"p": "rollup%"})  # ("_" is a LIKE wildcard: filtered exactly below)
    return frozenset(r[0] for r in rows if r[0].startswith(TRIGGER_PREFIX))


def install_change_tracking(engine: sa.Engine) -> None:
    """Create ``rollup_changes`` and the triggers that count every change (idempotent).

    Raises :class:`ChangeTrackingUnavailable` when a ledger table is a view or the account
    may not create triggers: a rollup whose staleness cannot be seen must not be written."""
    with engine.connect() as conn:
        views = set(sa.inspect(conn).get_view_names()) & {t.name for t in LEDGER}
    if views:
        raise ChangeTrackingUnavailable(
            f"ledger tables {', '.join(sorted(views))} are views: changes to them cannot be tracked, "
            "so rollups are not built (every page reads the raw tables)"
        )
    metadata.create_all(engine, tables=[rollup_changes], checkfirst=True)
    try:
        with engine.begin() as conn:
            have = {r[0] for r in conn.execute(sa.select(rollup_changes.c.table_name))}
            missing = [{"table_name": t.name, "changes": 0} for t in LEDGER if t.name not in have]
            if missing:
                conn.execute(rollup_changes.insert(), missing)
            installed = _installed_triggers(conn)
            quote = conn.dialect.identifier_preparer.quote
            if conn.dialect.name == "postgresql":
                schema_name = quote(conn.execute(sa.text("SELECT current_schema()")).scalar())
                conn.execute(
                    sa.text(
                        f"CREATE OR REPLACE FUNCTION {schema_name}.{_PG_FUNCTION}() RETURNS trigger "
                        f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema_name} AS $$ BEGIN "
                        "UPDATE rollup_changes SET changes = changes + 1 WHERE table_name = TG_TABLE_NAME; "
                        "RETURN NULL; END $$"
                    )
                )
            for table in LEDGER:
                for name, sql in _trigger_ddl(conn.dialect.name, table.name, quote):
                    if name not in installed:
                        conn.execute(sa.text(sql))
            if conn.dialect.name == "postgresql":
                _enable_always(conn, quote)
    except sa.exc.DBAPIError as exc:
        raise ChangeTrackingUnavailable(
            f"cannot install the change-tracking triggers ({exc.orig}); rollups are not built"
        ) from exc


def _enable_always(conn: sa.Connection, quote) -> None:
    """Make every change-tracking trigger fire in replica mode too (logical-replication
    apply, ``session_replication_role = replica``). Only a table's owner may; otherwise the
    triggers stay as they are and the fingerprint falls back to the write statistics."""
    states = trigger_states(conn)
    for table in LEDGER:
        name = TRIGGER_PREFIX + table.name
        if states.get(name) == ALWAYS:
            continue
        try:
            with conn.begin_nested():
                conn.execute(sa.text(f"ALTER TABLE {quote(table.name)} ENABLE ALWAYS TRIGGER {quote(name)}"))
        except sa.exc.DBAPIError as exc:
            _log.warning(
                "cannot make %s ENABLE ALWAYS (%s): writes that fire no trigger are seen through the "
                "write statistics instead",
                name,
                exc.orig,
            )
            return


def _trigger_ddl(dialect: str, table: str, quote) -> list[tuple[str, str]]:
    """(trigger name, CREATE TRIGGER statement) for one ledger table; ``table`` is a name
    from the schema (a whitelist), quoted as an identifier (DDL takes no bound values)."""
    if table not in schema.TABLES:
        raise ValueError(f"not a ledger table: {table!r}")
    if dialect == "postgresql":
        name = TRIGGER_PREFIX + table
        return [
            (
                name,
                f"CREATE TRIGGER {quote(name)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()",
            )
        ]
    bump = f"UPDATE rollup_changes SET changes = changes + 1 WHERE table_name = '{table}'"
    out = []
    for suffix, event in _ROW_EVENTS.items():
        name = f"{TRIGGER_PREFIX}{table}_{suffix}"
        body = f"BEGIN {bump}; END" if dialect == "sqlite" else bump
        out.append((name, f"CREATE TRIGGER {quote(name)} AFTER {event} ON {quote(table)} FOR EACH ROW {body}"))
    return out


class ChangeTrackingUnavailable(RuntimeError):
    """The ledger's changes cannot be tracked, so no rollup may be built for it."""


PACKAGE = Path(__file__).resolve().parent


def module_file(package: Path, name: str) -> Path | None:
    """The file of module ``name`` ("contacts", "demo", "demo.people") of ``package``: a
    module's own file, or a sub-package's ``__init__.py``; None if there is none."""
    base = package.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(package: Path, name: str) -> list[str]:
    """The modules of ``package`` that module ``name`` imports (absolute ``data_access.…``
    imports and relative ones), named relative to the package; the parent packages too,
    as importing a module runs them."""
    path = module_file(package, name)
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]  # its package
    out = [name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name.split(".", 1)[1] for a in node.names if a.name.startswith("data_access.")]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            parts = here.split(".") if here else []
            base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
        elif node.module == "data_access" or (node.module or "").startswith("data_access."):
            base = node.module.partition(".")[2]
        else:
            continue
        out += [base] if base else []
        out += [f"{base}.{a.name}" if base else a.name for a in node.names]  # a module, or a name in one
    return out


def source_closure(package: Path = PACKAGE, start: str = "rollups") -> list[str]:
    """The modules of ``package`` that ``start`` imports, transitively (itself included),
    following sub-packages (``data_access.demo`` is a folder) into the modules they import."""
    todo, seen = [start], set()
    while todo:
        name = todo.pop()
        if name in seen or module_file(package, name) is None:
            continue
        seen.add(name)
        todo.extend(_imported(package, name))
    return sorted(seen)


def digest_sources(package: Path = PACKAGE, start: str = "rollups") -> str:
    digest = hashlib.sha256()
    for name in source_closure(package, start):
        digest.update(name.encode() + b"\0" + module_file(package, name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """The rollup version: a digest of the source of every module whose code decides what
    the refresh stores (the refresh and the data-layer modules it imports, transitively).
    Any change to a stored query's definition makes rollups written by older code unusable."""
    return digest_sources(PACKAGE)


def _sizes_statement() -> sa.Select:
    """One round trip: the highest id of every ledger table (row count of the two keyed by
    code) and each table's change counter."""
    cols = []
    for t in LEDGER:
        value = sa.func.max(t.c.id) if "id" in t.c else sa.func.count()
        cols.append(sa.select(value).select_from(t).scalar_subquery().label(t.name))
    return sa.select(*cols)


def fingerprint(conn: sa.Connection) -> str:
    """What the ledger is now, as far as the rollups are concerned: the code version, the
    as-of date and a digest of every table's highest id, change counter and tracking
    triggers. Starts with ``untracked/`` when change tracking is not installed (no rollup
    is used then)."""
    sizes = conn.execute(_sizes_statement()).one()
    counters = _counters(conn)
    state = ",".join(str(v or 0) for v in sizes) + "|" + (counters or "")
    parts = [code_version(), as_of_date(conn).isoformat(), hashlib.sha256(state.encode()).hexdigest()[:32]]
    return "/".join(parts if counters is not None else ["untracked", *parts])


def _counters(conn: sa.Connection) -> str | None:
    """The change counters (and, on MySQL, the tables' creation times) as text, or None
    unless the tracking is in place and this account may read it.

    SQLite and PostgreSQL let any account list the triggers, so a missing one makes the
    ledger untracked; on PostgreSQL each trigger's enabled state is part of the text, and
    the tables' write statistics too unless every trigger is ALWAYS (see "Freshness").

    MySQL shows triggers only to accounts with the TRIGGER privilege, so
    a read-only account could not tell; there the tables' creation times stand in for the
    trigger list (a table dropped and recreated by a load, which loses its triggers, has a
    new one), and the refresh reinstalls whatever trigger is missing."""
    if conn.dialect.name == "sqlite":
        if _installed_triggers(conn) != expected_triggers(conn.dialect.name):
            return None
        structure = ""
    elif conn.dialect.name == "postgresql":
        states = trigger_states(conn)
        enabled = {name for name, state in states.items() if state in ("O", ALWAYS)}
        if enabled != expected_triggers("postgresql"):
            return None
        structure = ",".join(states[TRIGGER_PREFIX + t.name] for t in LEDGER)
        if set(states.values()) != {ALWAYS}:  # replica-mode writes fire none: count them too
            structure += "|" + write_statistics(conn)
    else:
        created = conn.execute(
            sa.text("SELECT table_name, create_time FROM information_schema.tables WHERE table_schema = DATABASE()")
        ).all()
        times = {name: str(when) for name, when in created}
        structure = ",".join(times.get(t.name, "-") for t in LEDGER)
    rows = _read_counters(conn)  # (no table, or not readable by this account: None)
    if rows is None or any(t.name not in rows for t in LEDGER):
        return None
    return ",".join(str(rows[t.name]) for t in LEDGER) + "|" + structure


def _read_counters(conn: sa.Connection) -> dict[str, int] | None:
    """``rollup_changes`` as a dict, or None when it does not exist or this account may not
    read it (a read-only account not granted SELECT on it; MySQL refuses even to describe
    such a table): then no rollup is trusted and the raw tables answer."""
    stmt = sa.select(rollup_changes.c.table_name, rollup_changes.c.changes)
    try:
        with _refusable(conn):
            return dict(conn.execute(stmt).all())
    except sa.exc.DBAPIError:
        return None


def _refusable(conn: sa.Connection):
    """The context for a read this account may be refused: a failed statement aborts
    PostgreSQL's whole transaction, so it runs in a savepoint there and the caller's
    connection stays usable (SQLite and MySQL keep the transaction)."""
    return conn.begin_nested() if conn.dialect.name == "postgresql" else nullcontext()


def is_tracked(print_: str) -> bool:
    return not print_.startswith("untracked/")


_PIN = "rollups_pinned_fingerprint"
_CATALOGUE = "rollups_catalogue"


@contextmanager
def pinned(conn: sa.Connection, print_: str) -> Iterator[sa.Connection]:
    """Within this block, judge the rollup against ``print_`` (the ledger's fingerprint the
    caller read at the start of its work, e.g. a page run) instead of reading it again for
    every query. Results are then consistent with that fingerprint: a rollup is used only if
    it was computed from exactly that ledger, so a result cached under a fingerprint never
    holds figures of an older ledger."""
    conn.info[_PIN] = print_
    try:
        yield conn
    finally:
        conn.info.pop(_PIN, None)


def current_generation(conn: sa.Connection) -> int | None:
    """The newest generation, if the rollup tables exist and it was computed from the
    ledger as it is now (or as pinned, see :func:`pinned`)."""
    return _current(conn)[0]


def _current(conn: sa.Connection) -> tuple[int | None, frozenset]:
    """(generation or None, its catalogue: (fn, period_start, period_end, ref_date) stored).

    Reads the newest ``rollup_meta`` row on every call (one indexed row) and compares its
    fingerprint with the live one, or the pinned one; a generation's catalogue never changes
    and is remembered on the connection."""
    if not ENABLED or conn.info.get(_RAW_ONLY) or not readable(conn):
        return None, frozenset()
    row = conn.execute(
        sa.select(rollup_meta.c.generation, rollup_meta.c.fingerprint)
        .order_by(rollup_meta.c.generation.desc())
        .limit(1)
    ).first()
    if row is None:
        return None, frozenset()
    live = conn.info.get(_PIN) or fingerprint(conn)
    if not is_tracked(live) or row.fingerprint != live:
        return None, frozenset()
    generation = int(row.generation)
    known = conn.info.get(_CATALOGUE)
    if known is not None and known[0] == (generation, row.fingerprint):
        return generation, known[1]
    p = rollup_periods.c
    rows = conn.execute(sa.select(p.fn, p.period_start, p.period_end, p.ref_date).where(p.generation == generation))
    catalogue = frozenset(
        (fn, as_date(start), as_date(end), None if ref is None else as_date(ref)) for fn, start, end, ref in rows
    )
    conn.info[_CATALOGUE] = ((generation, row.fingerprint), catalogue)
    return generation, catalogue


# Whether this process's account may read the rollup tables, per engine: the data
# dictionary recommends an account that may SELECT the ledger's tables and nothing else, and
# the refresh creates the rollup tables with another (writing) account afterwards. Such an
# account reads every figure from the raw tables. Checked again after a while, so a later
# GRANT takes effect without a restart.
READABLE_SECONDS = 300.0
ABSENT_SECONDS = 5.0  # never refreshed (the common case): look again soon
_READABLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_log = logging.getLogger(__name__)


def readable(conn: sa.Connection) -> bool:
    """True when every rollup table exists and this account may read it; otherwise the
    rollups are skipped (never an error: the raw tables answer)."""
    now = time.monotonic()
    seen = _READABLE.get(conn.engine)
    if seen is not None and now < seen[0]:
        return seen[1]
    try:
        exists = sa.inspect(conn).has_table(rollup_meta.name)
    except sa.exc.DBAPIError:  # MySQL describes a table only to an account that may read it
        exists = True  # ... and the probe says why not
    if not exists:
        _READABLE[conn.engine] = (now + ABSENT_SECONDS, False)
        return False
    ok = _probe(conn)
    _READABLE[conn.engine] = (now + READABLE_SECONDS, ok)
    return ok


def _probe(conn: sa.Connection) -> bool:
    try:
        with _refusable(conn):
            for table in TABLES:
                conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).all()
    except sa.exc.DBAPIError as exc:  # permission denied, no such table, ...
        _log.warning("rollup tables not readable, figures come from the raw tables: %s", exc.orig)
        return False
    return True


def forget(conn: sa.Connection) -> None:
    """Drop what the connection remembers about the rollups (kept for tests and tools; the
    freshness check itself is no longer remembered between queries)."""
    conn.info.pop(_CATALOGUE, None)
    _READABLE.pop(conn.engine, None)


def overdue_source(conn: sa.Connection, on: dt.date) -> sa.Subquery | None:
    """Everyone overdue on day ``on`` from the rollup — person_id, last_contact, helper_name,
    the person's area_code, category, rank, service_tier, birth_date, unit_id and ``since``
    (the day the overdue time counts from) — or None to compute it from the ledger."""
    generation = _stored(conn, OVERDUE_LIST, on)
    if generation is None:
        return None
    t = rollup_overdue.c
    return (
        sa.select(
            t.person_id,
            t.last_contact,
            t.helper_name,
            t.area_code,
            t.category,
            t.rank,
            t.service_tier,
            t.birth_date,
            t.unit_id,
            t.since,
        )
        .where(t.generation == generation, t.ref_date == on)
        .subquery("last")
    )


def org_life_source(conn: sa.Connection, filters: Filters) -> sa.Subquery | None:
    """(branch_id, year, theme_days, general_meetings, party_lectures) of every branch for
    the filters' period from the rollup, or None to compute them from the activities."""
    generation = _stored(conn, ORG_LIFE, None, filters)
    if generation is None:
        return None
    t = rollup_org_life.c
    return (
        sa.select(t.branch_id, t.year, t.theme_days, t.general_meetings, t.party_lectures)
        .where(t.generation == generation, t.period_start == filters.period.start, t.period_end == filters.period.end)
        .subquery("masks")
    )


def hardship_source(conn: sa.Connection, filters: Filters) -> sa.Subquery | None:
    """(person_id, aided) of everyone flagged with a hardship, aided 1 when paid hardship aid
    in cash in the filters' period, from the rollup; None to compute it from the payments."""
    generation = _stored(conn, HARDSHIP, None, filters)
    if generation is None:
        return None
    t = rollup_hardship.c
    return (
        sa.select(t.person_id, t.aided)
        .where(t.generation == generation, t.period_start == filters.period.start, t.period_end == filters.period.end)
        .subquery("hardship")
    )


def branch_members_source(conn: sa.Connection, filters: Filters) -> sa.Subquery | None:
    """(branch_id, members, full_members) per branch at the period's end for the filters'
    person traits (category, rank, tier), from the rollup; None when an age band is filtered
    (not part of the grain) or the period is not stored."""
    if filters.age_bands is not None:
        return None
    generation = _stored(conn, BRANCH_MEMBERS, None, filters)
    if generation is None:
        return None
    c = rollup_cells.c
    conds = [
        c.generation == generation,
        c.fn == BRANCH_MEMBERS,
        c.period_start == filters.period.start,
        c.period_end == filters.period.end,
        c.ref_date.is_(None),
    ]
    if filters.categories is not None:
        conds.append(c.category.in_(filters.categories))
    if filters.ranks is not None:
        conds.append(c.rank.in_(filters.ranks))
    if filters.tiers is not None:
        conds.append(c.service_tier.in_(filters.tiers))

    def measure(name: str) -> sa.ColumnElement:
        return sa.func.sum(sa.case((c.measure == name, c.value), else_=0))

    return (
        sa.select(
            sa.cast(c.item, sa.Integer).label("branch_id"),
            measure("members").label("members"),
            measure("full_members").label("full_members"),
        )
        .where(*conds)
        .group_by(c.item)
        .subquery("m")
    )


def _stored(conn: sa.Connection, fn: str, ref_date: dt.date | None, filters: Filters | None = None) -> int | None:
    """The current generation if it holds query ``fn`` for this reference day and period
    (the overdue list: for this day alone), else None."""
    generation, catalogue = _current(conn)
    if generation is None:
        return None
    start, end = (filters.period.start, filters.period.end) if filters is not None else (ref_date, ref_date)
    return generation if (fn, start, end, ref_date) in catalogue else None


def _ref_condition(column: sa.ColumnElement, ref_date: dt.date | None) -> sa.ColumnElement[bool]:
    return column.is_(None) if ref_date is None else column == ref_date


def _cell_conditions(filters: Filters, scope: Scope, per_person: bool = True) -> list[sa.ColumnElement[bool]] | None:
    """The filters and scope as conditions on the grain, or None if they need a finer one.
    Figures stored per area only (``per_person`` false: party branches) answer only when no
    person attribute is filtered."""
    if filters.age_bands is not None:
        return None  # age on the period's last day is not part of the grain
    c = rollup_cells.c
    out = area_condition(c.area_code, filters, scope)
    if not per_person:
        return None if (filters.categories, filters.ranks, filters.tiers) != (None, None, None) else out
    if filters.categories is not None:
        out.append(c.category.in_(filters.categories))
    if filters.ranks is not None:
        out.append(c.rank.in_(filters.ranks))
    if filters.tiers is not None:
        out.append(c.service_tier.in_(filters.tiers))
    return out


def lookup(
    conn: sa.Connection,
    fn: str,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = (),
    items: Sequence[str] = (),
    ref_date: dt.date | None = None,
    per_person: bool = True,
) -> pd.DataFrame | None:
    """The stored counts of query ``fn`` for these filters, summed to ``by`` (grain columns)
    and ``items`` (the query's own dimensions, stored in item/item2), one column per measure;
    ``None`` when the rollup cannot answer and the caller must run the raw query.

    Rows come back only for groups that exist, ordered by ``by`` then ``items``, as the raw
    queries do; with no ``by`` and no ``items`` there is always exactly one row. Figures of
    party branches are stored per area (``per_person=False``), their other grain columns empty.
    """
    if any(d not in GRAIN for d in by) or len(items) > len(ITEMS):
        return None
    if not per_person and any(d != "area_code" for d in by):
        return None
    conds = _cell_conditions(filters, scope, per_person)
    if conds is None:
        return None
    generation = _stored(conn, fn, ref_date, filters)
    if generation is None:
        return None
    c = rollup_cells.c
    keys = [c[d].label(d) for d in by] + [c[ITEMS[i]].label(name) for i, name in enumerate(items)]
    stmt = (
        sa.select(*keys, c.measure, sa.func.sum(c.value).label("value"))
        .where(
            c.generation == generation,
            c.fn == fn,
            c.period_start == filters.period.start,
            c.period_end == filters.period.end,
            _ref_condition(c.ref_date, ref_date),
            *conds,
        )
        .group_by(*keys, c.measure)
    )
    return _wide(conn.execute(stmt).all(), [*by, *items], _nulls_position(conn))


def _wide(rows: Sequence, names: list[str], nulls: str) -> pd.DataFrame:
    """The stored rows ``(*names, measure, value)`` as one row per group and one column per
    measure (sorted by name; NaN where a group has no value of it), the groups sorted by
    ``names`` with NULL (a survivor's rank, kept as a group of its own, as in SQL) first or
    last as the backend sorts it. Built in plain Python: a page asks for a few dozen groups
    dozens of times, where pandas' pivot and sort cost milliseconds each."""
    if not names:
        if not rows:
            return pd.DataFrame([{}])
        return pd.DataFrame({measure: [float(value)] for measure, value in rows})
    if not rows:
        return pd.DataFrame(columns=names)
    k = len(names)
    groups: dict[tuple, dict[str, float]] = {}
    for row in rows:
        groups.setdefault(tuple(row[:k]), {})[row[k]] = float(row[k + 1])
    measures = sorted({m for values in groups.values() for m in values})
    none_first = nulls == "first"

    def order(key: tuple) -> tuple:
        return tuple((v is not None, v) if none_first else (v is None, v if v is not None else 0) for v in key)

    keys = sorted(groups, key=order)
    columns: dict[str, object] = {}
    for i, n in enumerate(names):
        values = [key[i] for key in keys]
        columns[n] = pd.Series(values)  # its dtype inferred, as fetch_df's
    nan = float("nan")
    for m in measures:
        columns[m] = pd.Series([groups[key].get(m, nan) for key in keys], dtype="float64")
    return pd.DataFrame(columns)


def lookup_periods(
    conn: sa.Connection, fn: str, filters: Filters, scope: Scope, periods: Sequence[Period]
) -> list[dict[str, float]] | None:
    """The stored totals of query ``fn`` (no dimensions) for each of ``periods`` in one
    statement: one ``{measure: value}`` per period, in order (empty where nothing is
    counted); ``None`` when any period is not stored or the filters need a finer grain."""
    conds = _cell_conditions(filters, scope)
    if conds is None:
        return None
    generation = None
    for period in periods:
        generation = _stored(conn, fn, None, replace(filters, period=period))
        if generation is None:
            return None
    c = rollup_cells.c
    stmt = (
        sa.select(c.period_start, c.period_end, c.measure, sa.func.sum(c.value).label("value"))
        .where(
            c.generation == generation,
            c.fn == fn,
            sa.or_(*(sa.and_(c.period_start == p.start, c.period_end == p.end) for p in periods)),
            c.ref_date.is_(None),
            *conds,
        )
        .group_by(c.period_start, c.period_end, c.measure)
    )
    totals: dict[tuple[dt.date, dt.date], dict[str, float]] = {(p.start, p.end): {} for p in periods}
    for start, end, measure, value in conn.execute(stmt):
        totals[(as_date(start), as_date(end))][measure] = float(value or 0)
    return [totals[(p.start, p.end)] for p in periods]


def stored_name(fn: str, items: Sequence[str]) -> str:
    """The name a query is stored under with its own dimensions: ``fn`` or ``fn:item+item2``."""
    return fn + (":" + "+".join(items) if items else "")


def lookup_by(
    conn: sa.Connection,
    fn: str,
    filters: Filters,
    scope: Scope,
    by: Sequence[str],
    stored_items: Sequence[Sequence[str]],
    always: Sequence[str] = (),
    ref_date: dt.date | None = None,
) -> pd.DataFrame | None:
    """:func:`lookup` for a query grouped by ``by`` — grain columns and at most one of the
    query's own dimensions — plus ``always`` (dimensions every stored variant carries, e.g.
    a histogram's day count). ``stored_items`` lists the item tuples the refresh stores
    (see :func:`stored_name`). Columns come back in ``by`` order, then ``always``, sorted
    like the raw query's ORDER BY over ``by``."""
    grain_by = tuple(d for d in by if d in GRAIN)
    items = (*(d for d in by if d not in GRAIN), *always)
    if tuple(items) not in {tuple(i) for i in stored_items}:
        return None
    stored = lookup(conn, stored_name(fn, items), filters, scope, grain_by, items, ref_date)
    if stored is None:
        return None
    names = [*by, *always]
    stored = stored[names + [c for c in stored.columns if c not in names]]
    if list(by) != [*grain_by, *(d for d in by if d not in GRAIN)]:
        stored = stored.sort_values(list(by), na_position=_nulls_position(conn), kind="stable")
    return stored.reset_index(drop=True)


def _nulls_position(conn: sa.Connection) -> str:
    """Where the backend sorts NULL in ascending order (the raw queries' ORDER BY)."""
    return "last" if conn.dialect.name == "postgresql" else "first"


def status(conn: sa.Connection) -> dict | None:
    """The newest generation's record (for the README's refresh check and the tests)."""
    if not sa.inspect(conn).has_table(rollup_meta.name):
        return None
    row = conn.execute(sa.select(rollup_meta).order_by(rollup_meta.c.generation.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["as_of"] = as_date(out["as_of"])
    live = fingerprint(conn)
    out["tracked"] = is_tracked(live)  # change tracking in place (else nothing is ever fresh)
    out["fresh"] = out["fingerprint"] == live
    return out
