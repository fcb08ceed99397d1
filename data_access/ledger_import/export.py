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


def demo_sample(source: Path | str, target: Path | str, every: int = 10) -> None:
    """A smaller ledger cut from a SQLite demo ledger into a new SQLite file: one person in
    ``every`` (and the deceased cadre of each survivor among them), everything that refers
    to those people, every unit, branch and branch activity (for tests and benchmarks)."""
    from data_access.db import make_engine

    engine = make_engine(f"sqlite:///{target}")
    schema.Base.metadata.create_all(engine)
    people = (  # ``:every`` is bound; table and column names below come from the schema
        "(SELECT id FROM src.people WHERE id % :every = 0 UNION "
        "SELECT deceased_cadre_id FROM src.people WHERE id % :every = 0 AND deceased_cadre_id IS NOT NULL)"
    )
    where = {
        "people": f"id IN {people}",
        "visit_events": f"person_id IN {people}",
        "contacts": f"person_id IN {people}",
        "pairings": f"person_id IN {people}",
        "disbursements": f"person_id IS NULL OR person_id IN {people}",
        "service_deliveries": f"person_id IN {people}",
        "suggestions": f"person_id IN {people}",
        "talent_pool": f"person_id IN {people}",
        "talent_activities": f"person_id IN {people}",
    }
    with engine.begin() as conn:
        conn.exec_driver_sql("ATTACH DATABASE ? AS src", (str(source),))
        for table in SHEETS:
            cols = ", ".join(c.name for c in TABLE_COLUMNS[table])
            condition = where.get(table, "1 = 1")
            conn.execute(
                sa.text(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM src.{table} WHERE {condition}"),
                {"every": int(every)} if ":every" in condition else {},
            )
        # a contact that answers an event of someone left out keeps no dangling reference
        conn.exec_driver_sql(
            "UPDATE main.contacts SET event_id = NULL WHERE event_id NOT IN (SELECT id FROM main.visit_events)"
        )
    engine.dispose()
