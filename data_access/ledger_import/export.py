"""A ledger in the database as a workbook in the import template's format (the round trip:
export, then load into another database, gives the same ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from data_access import schema
from data_access.db import as_date, connect
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS, natural_key
from data_access.ledger_import.template import write_workbook


def _rows(engine: sa.Engine, table: str) -> Iterator[list]:
    t = schema.TABLES[table]
    cols = TABLE_COLUMNS[table]
    dates = [c.kind == "date" for c in cols]
    stmt = sa.select(*(t.c[c.name] for c in cols)).order_by(*(t.c[k] for k in natural_key(table)))
    with connect(engine) as conn:
        result = conn.execution_options(stream_results=True, yield_per=20_000).execute(stmt)
        for row in result:
            yield [as_date(v) if d and v is not None else v for v, d in zip(row, dates, strict=True)]


def export_ledger(engine: sa.Engine, path: Path | str) -> dict[str, int]:
    """Write every ledger table to ``path``; returns the rows written per table."""
    with connect(engine) as conn:
        areas = dict(conn.execute(sa.select(schema.areas.c.code, schema.areas.c.name)).all())
    counts = dict.fromkeys(SHEETS, 0)

    def counted(table):
        for row in _rows(engine, table):
            counts[table] += 1
            yield row

    write_workbook(path, {table: counted(table) for table in SHEETS}, areas)
    return counts
