"""Write a checked ledger workbook into the service database: one transaction, upserts by
natural key, a record of the load, then the rollups refreshed.

Rows are compared with what the database holds under the same key: a new key is inserted,
a key whose values differ is updated, the rest are left alone — so loading the same file
twice changes nothing (and the rollups' change counters do not move). The load record
(``ledger_loads``) is written in the same transaction, so it exists exactly when the rows do.
This module belongs to the import command; the dashboard never writes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import as_date
from data_access.ledger_import.check import CheckResult
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS, natural_key

BATCH = 5_000
IN_LIMIT = 2_000  # keys looked up with IN (...); more: the table is read by key range

load_metadata = sa.MetaData()
ledger_loads = sa.Table(
    "ledger_loads",
    load_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("account", sa.String(80), nullable=False),
    sa.Column("loaded_at", sa.DateTime, nullable=False),
    sa.Column("rows_inserted", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("counts", sa.Text, nullable=False),  # JSON: table -> {inserted, updated, unchanged}
    sa.Column("seconds", sa.Float, nullable=False),
)


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    counts: dict[str, TableCounts] = field(default_factory=dict)
    dry_run: bool = False
    load_id: int | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated for c in self.counts.values())

    def totals(self) -> TableCounts:
        out = TableCounts()
        for c in self.counts.values():
            out.inserted += c.inserted
            out.updated += c.updated
            out.unchanged += c.unchanged
        return out


def _python(value, kind: str):
    """A normalised cell or a database value in one comparable form."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if kind == "date":
        return as_date(value)
    if kind == "bool":
        return bool(value)
    if kind == "money":
        return round(float(value), 2)
    if kind in ("int",) or (
        kind in ("ref", "code") and isinstance(value, (int, float)) and not isinstance(value, bool)
    ):
        return int(value)
    return value


def _records(table: str, frame: pd.DataFrame) -> list[dict]:
    cols = TABLE_COLUMNS[table]
    data = {c.name: [_python(v, c.kind) for v in frame[c.name]] for c in cols}
    return [dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)]


def _existing(conn: sa.Connection, table: str, keys: list) -> dict:
    """The rows already stored under these keys: key -> tuple of values."""
    t = schema.TABLES[table]
    cols = TABLE_COLUMNS[table]
    key = t.c[natural_key(table)[0]]
    select = sa.select(*(t.c[c.name] for c in cols))
    out: dict = {}

    def take(stmt):
        for row in conn.execute(stmt):
            values = tuple(_python(v, c.kind) for v, c in zip(row, cols, strict=True))
            out[values[[c.name for c in cols].index(key.name)]] = values

    if len(keys) <= IN_LIMIT:
        for i in range(0, len(keys), 500):
            take(select.where(key.in_(keys[i : i + 500])))
    else:
        wanted = set(keys)
        for row in conn.execute(select.where(key.between(min(keys), max(keys)))):
            values = tuple(_python(v, c.kind) for v, c in zip(row, cols, strict=True))
            k = values[[c.name for c in cols].index(key.name)]
            if k in wanted:
                out[k] = values
    return out


def sqlite_file_missing(engine: sa.Engine) -> bool:
    """A SQLite URL whose file does not exist yet (connecting would create it)."""
    url = engine.url
    path = url.database or ""
    return url.get_backend_name() == "sqlite" and path not in ("", ":memory:") and not Path(path).is_file()


def ensure_tables(engine: sa.Engine) -> None:
    """The ledger tables (an empty database) and the load record, where missing."""
    schema.Base.metadata.create_all(engine, checkfirst=True)
    load_metadata.create_all(engine, checkfirst=True)


def load(
    engine: sa.Engine,
    checked: CheckResult,
    *,
    file_name: str,
    sha256: str,
    account: str,
    dry_run: bool = False,
    log: Callable[[str], None] = lambda s: None,
) -> LoadReport:
    """Upsert every checked table in one transaction (all or nothing)."""
    if not checked.ok:
        raise ValueError("the workbook has errors; nothing is loaded")
    started = dt.datetime.now(dt.UTC)
    report = LoadReport(dry_run=dry_run)
    if not dry_run:
        ensure_tables(engine)
    if dry_run and sqlite_file_missing(engine):  # a new SQLite file: everything is new, nothing created
        for table in SHEETS:
            frame = checked.frames.get(table)
            report.counts[table] = TableCounts(inserted=0 if frame is None else len(frame))
        return report
    present = set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            for table in SHEETS:
                counts = report.counts.setdefault(table, TableCounts())
                frame = checked.frames.get(table)
                if frame is None or frame.empty:
                    continue
                records = _records(table, frame)
                key_name = natural_key(table)[0]
                cols = [c.name for c in TABLE_COLUMNS[table]]
                stored = _existing(conn, table, [r[key_name] for r in records]) if table in present else {}
                new, changed = [], []
                for rec in records:
                    old = stored.get(rec[key_name])
                    if old is None:
                        new.append(rec)
                    elif old != tuple(rec[c] for c in cols):
                        changed.append(rec)
                    else:
                        counts.unchanged += 1
                counts.inserted, counts.updated = len(new), len(changed)
                if dry_run:
                    continue
                t = schema.TABLES[table]
                if table == "people":  # the deceased cadre before the survivor who refers to them
                    new.sort(key=lambda r: r["deceased_cadre_id"] is not None)
                for i in range(0, len(new), BATCH):
                    conn.execute(t.insert(), new[i : i + BATCH])
                if changed:
                    others = [c for c in cols if c != key_name]
                    stmt = (
                        t.update()
                        .where(t.c[key_name] == sa.bindparam("k_" + key_name))
                        .values({c: sa.bindparam("v_" + c) for c in others})
                    )
                    params = [{"k_" + key_name: r[key_name], **{"v_" + c: r[c] for c in others}} for r in changed]
                    for i in range(0, len(params), BATCH):
                        conn.execute(stmt, params[i : i + BATCH])
                log(f"{SHEETS[table]}: 新增 {counts.inserted:,}，更新 {counts.updated:,}，未变 {counts.unchanged:,}")
            report.seconds = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1)
            if dry_run:
                trans.rollback()
                return report
            totals = report.totals()
            result = conn.execute(
                ledger_loads.insert().values(
                    file_name=file_name[:255],
                    sha256=sha256,
                    account=account[:80],
                    loaded_at=started.replace(tzinfo=None, microsecond=0),
                    rows_inserted=totals.inserted,
                    rows_updated=totals.updated,
                    rows_unchanged=totals.unchanged,
                    counts=json.dumps({t: vars(c) for t, c in report.counts.items()}, ensure_ascii=False),
                    seconds=report.seconds,
                )
            )
            report.load_id = result.inserted_primary_key[0]
            trans.commit()
        except BaseException:
            if trans.is_active:
                trans.rollback()
            raise
    return report
