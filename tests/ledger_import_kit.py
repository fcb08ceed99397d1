"""Small ledger workbooks for the import tests: a valid base ledger built from the template's
example rows (renumbered so they are not skipped as examples), and helpers to write it with
any cell replaced by a raw value, to snapshot a database and to run the command."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import sqlalchemy as sa

from data_access import schema
from data_access.ledger_import.__main__ import main as cli
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS
from data_access.ledger_import.template import EXAMPLES, cell_value, reference_rows, write_workbook

BASE_ID = 101


def base_rows() -> dict[str, list[dict]]:
    """Reference rows plus one row per ledger table (the examples, every id and reference
    moved from 1 to 101), as database values."""
    rows = {t: [dict(r) for r in reference_rows().get(t, [])] for t in SHEETS}
    for table, example in EXAMPLES.items():
        row = copy.deepcopy(example)
        for col in TABLE_COLUMNS[table]:
            if (col.name == "id" or (col.kind == "ref" and col.ref != "areas")) and row[col.name] == 1:
                row[col.name] = BASE_ID
        rows[table] = [row]
    return rows


def write_book(path: Path, rows: dict[str, list[dict]], raw: dict[tuple[str, int, str], object] | None = None) -> Path:
    """Write rows (database values) as the template does; ``raw`` puts a cell's raw value
    in place: {(table, row index, column): value}."""
    area_names = {a["code"]: a["name"] for a in rows["areas"]}
    raw = raw or {}
    out = {}
    for table in SHEETS:
        cols = TABLE_COLUMNS[table]
        lines = []
        for i, rec in enumerate(rows.get(table, [])):
            line = []
            for col in cols:
                if (table, i, col.name) in raw:
                    line.append(raw[(table, i, col.name)])
                else:
                    line.append(cell_value(col, rec.get(col.name), area_names))
            lines.append(line)
        out[table] = lines
    write_workbook(path, out, area_names, as_values=True)
    return path


def snapshot(engine: sa.Engine, with_loads: bool = True) -> str:
    """A digest of every ledger table's rows (and the load record), to prove nothing changed."""
    digest = hashlib.sha256()
    insp = sa.inspect(engine)
    present = set(insp.get_table_names())
    with engine.connect() as conn:
        for name, table in schema.TABLES.items():
            if name not in present:
                digest.update(f"{name}:absent".encode())
                continue
            pk = list(table.primary_key.columns)
            for row in conn.execute(sa.select(table).order_by(*pk)):
                digest.update(repr(tuple(row)).encode())
        if with_loads and "ledger_loads" in present:
            digest.update(repr(conn.execute(sa.text("SELECT COUNT(*) FROM ledger_loads")).scalar()).encode())
    return digest.hexdigest()


def run(*args: str) -> int:
    return cli([str(a) for a in args])
