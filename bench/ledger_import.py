"""Benchmark of the ledger import on a 100,000-row workbook (docs/performance.md, section
*Ledger import*).

    python -m bench.ledger_import [--rows 100000] [--url postgresql+psycopg://…/bench_import]
    python -m bench.ledger_import --demo-round-trip [--url URL …]

Writes a synthetic ledger workbook in the import template's format (the reference rows,
a few hundred units and branches, people and their contacts: ``--rows`` data rows in all),
then times, each beside the baseline of reading the same file with openpyxl alone
(read-only mode, every cell): reading it with python-calamine (the import's reader, with its
scan for formulas and row counts), the check (normalising and validating every row), the
load into an empty database (one transaction), the same load again (every row unchanged)
and the rollup refresh. SQLite by default; ``--url`` names a server database to load into
instead (it is emptied of the ledger tables first). The section between
``<!-- ledger-import:start -->`` and ``<!-- ledger-import:end -->`` is rewritten.

``--demo-round-trip`` instead exports the whole demo ledger (``data/demo.sqlite``, 860,000
rows) to the template, reads and checks it, loads it into an empty SQLite file and into
each ``--url`` (emptied first), and compares every table row by row with the demo; its
table goes to the same section (the other table is kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import tempfile
import time
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from data_access import schema
from data_access.db import make_engine
from data_access.ledger_import.check import check_workbook
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS
from data_access.ledger_import.load import ensure_tables, load, load_metadata
from data_access.ledger_import.read import read_workbook
from data_access.ledger_import.template import reference_rows, write_workbook
from data_access.rollups import refresh

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- ledger-import:start -->", "<!-- ledger-import:end -->"
AREAS = ("city", "620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123")


def synthetic_rows(total: int, seed: int = 24) -> dict[str, list[dict]]:
    """About ``total`` data rows: 1 person in 10, the rest their contacts (as in a ledger)."""
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {t: [] for t in SHEETS}
    rows.update({t: list(v) for t, v in reference_rows().items()})
    n_units = n_branches = 200
    rows["units"] = [
        dict(id=i, name=f"单位{i}", area_code=AREAS[i % 9], unit_type="institution", bankrupt_restructured=False)
        for i in range(1, n_units + 1)
    ]
    rows["party_branches"] = [
        dict(
            id=i,
            name=f"支部{i}",
            kind="city_unit",
            area_code=AREAS[i % 9],
            unit_id=i,
            secretary_is_retiree=i % 3 != 0,
            founded_on=dt.date(2005, 7, 1),
            closed_on=None,
        )
        for i in range(1, n_branches + 1)
    ]
    body = total - n_units - n_branches
    n_people = body // 10
    surnames, given = "王李张刘陈杨黄赵吴周", "国华建明志强文军秀英桂兰玉珍"
    for pid in range(1, n_people + 1):
        born = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
        retired = dt.date(born.year + 60, born.month, 1)
        rows["people"].append(
            dict(
                id=pid,
                category="retiree",
                name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                gender=rng.choice("MF"),
                birth_date=born,
                area_code=AREAS[pid % 9],
                unit_id=pid % n_units + 1,
                rank=rng.choice(("county", "section")),
                actual_post=False,
                revolution_period=None,
                revolution_joined_on=None,
                retirement_date=retired,
                entry_date=retired,
                death_date=None,
                deceased_cadre_id=None,
                party_status="full",
                branch_id=pid % n_branches + 1,
                relocated=False,
                lives_away=False,
                lives_alone=rng.random() < 0.1,
                widowed=rng.random() < 0.2,
                empty_nest=rng.random() < 0.2,
                lost_only_child=False,
                impaired_mobility=rng.random() < 0.05,
                impaired_vision=False,
                impaired_hearing=False,
                impaired_speech=False,
                impaired_memory=False,
                health_status=rng.choice(("good", "chronic")),
                disabled=False,
                service_tier=rng.choice((2, 3, 4)),
                hardship_reason=None,
                phone=f"10{rng.randrange(10**9):09d}",
            )
        )
    channels, roles = ("home_visit", "phone", "wechat"), ("bureau_staff", "community", "volunteer")
    for cid in range(1, body - n_people + 1):
        rows["contacts"].append(
            dict(
                id=cid,
                person_id=rng.randrange(1, n_people + 1),
                contact_date=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(366)),
                channel=rng.choice(channels),
                occasion="routine",
                contact_role=rng.choice(roles),
                event_id=None,
            )
        )
    return rows


def openpyxl_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return cells


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _empty(engine: sa.Engine) -> None:
    """Drop the ledger tables, the load record and any rollups of an earlier run."""
    from data_access.rollup_store import metadata as rollup_metadata

    rollup_metadata.drop_all(engine)
    load_metadata.drop_all(engine)
    schema.Base.metadata.drop_all(engine)


def run(rows_wanted: int, url: str | None) -> list[tuple[str, float, float, str]]:
    results: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger_100k.xlsx"
        data = synthetic_rows(rows_wanted)
        n = sum(len(v) for v in data.values())
        area_names = {a["code"]: a["name"] for a in data["areas"]}
        as_lists = {t: [[r.get(c.name) for c in TABLE_COLUMNS[t]] for r in data[t]] for t in SHEETS}
        _, w, c = timed(lambda: write_workbook(path, as_lists, area_names))
        size = path.stat().st_size / 1e6
        results.append(("write the workbook (xlsxwriter, not part of the import)", w, c, f"{n:,} rows, {size:.1f} MB"))
        cells, w, c = timed(lambda: openpyxl_read(path))
        results.append(("**baseline**: read every cell with openpyxl alone (read-only)", w, c, f"{cells:,} cells"))
        book, w, c = timed(lambda: read_workbook(path))
        results.append(("read with python-calamine (+ formula / row scan)", w, c, ""))
        checked, w, c = timed(lambda: check_workbook(book))
        assert checked.ok, checked.errors[:3]
        results.append(("check every row (normalise + pandera)", w, c, f"{len(checked.problems)} findings"))
        target = url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine = make_engine(target)
        try:
            if url:
                _empty(engine)
            ensure_tables(engine)
            report, w, c = timed(lambda: load(engine, checked, file_name=path.name, sha256="-", account="bench"))
            results.append(
                ("load into an empty database (one transaction)", w, c, f"{report.totals().inserted:,} inserted")
            )
            report, w, c = timed(lambda: load(engine, checked, file_name=path.name, sha256="-", account="bench"))
            results.append(("load the same file again", w, c, f"{report.totals().unchanged:,} unchanged"))
            again, w, c = timed(lambda: check_workbook(read_workbook(path)))
            results.append(("read + check again (what `load` does before writing)", w, c, ""))
            _, w, c = timed(lambda: refresh(engine))
            results.append(("refresh the rollups afterwards", w, c, ""))
        finally:
            engine.dispose()
    return results


def _table_rows(engine: sa.Engine, table: str) -> list[tuple]:
    from data_access.db import as_date
    from data_access.ledger_import.columns import natural_key

    t = schema.TABLES[table]
    cols = TABLE_COLUMNS[table]
    stmt = sa.select(*(t.c[c.name] for c in cols)).order_by(*(t.c[k] for k in natural_key(table)))
    with engine.connect() as conn:
        return [
            tuple(
                as_date(v) if c.kind == "date" and v is not None else (round(v, 2) if c.kind == "money" else v)
                for v, c in zip(row, cols, strict=True)
            )
            for row in conn.execute(stmt)
        ]


def demo_round_trip(urls: list[str]) -> list[tuple[str, float, float, str]]:
    from data_access.demo import ensure_demo_database
    from data_access.ledger_import.export import export_ledger

    demo = ROOT / "data" / "demo.sqlite"
    ensure_demo_database(demo)
    source = make_engine(f"sqlite:///{demo}")
    results: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.xlsx"
        counts, w, c = timed(lambda: export_ledger(source, path))
        results.append(("export the demo ledger to the template", w, c, f"{sum(counts.values()):,} rows"))
        checked, w, c = timed(lambda: check_workbook(read_workbook(path)))
        assert checked.ok, checked.errors[:3]
        results.append(("read + check", w, c, f"{len(checked.problems)} findings (提示)"))
        for url in [f"sqlite:///{Path(tmp) / 'target.sqlite'}", *urls]:
            backend = sa.engine.make_url(url).get_backend_name()
            engine = make_engine(url)
            try:
                _empty(engine)
                ensure_tables(engine)
                report, w, c = timed(
                    lambda e=engine: load(e, checked, file_name="demo.xlsx", sha256="-", account="bench")
                )
                same = all(_table_rows(source, t) == _table_rows(engine, t) for t in SHEETS)
                note = f"{report.totals().inserted:,} inserted; every table {'equal' if same else 'DIFFERENT'}"
                results.append((f"load into an empty {backend} database", w, c, note))
            finally:
                engine.dispose()
    source.dispose()
    return results


def write_docs(results, rows_wanted: int, url: str | None, roundtrip: bool = False) -> None:
    if roundtrip:
        lines = [
            "<!-- demo-round-trip -->",
            "### Demo ledger round trip",
            "",
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, command "
            f"`python -m bench.ledger_import --demo-round-trip{' --url …' * len(url or [])}` on "
            f"`{platform.node()}` (nproc {__import__('os').cpu_count()}): the demo ledger (`data/demo.sqlite`) "
            "exported to the template, read and checked once, loaded into an empty SQLite file and into "
            "each server database, every table compared row by row with the demo. Wall and CPU seconds "
            "of this process (servers' CPU not included); the machine is shared.",
            "",
            "| step | wall s | CPU s | |",
            "|---|---:|---:|---|",
            *(f"| {n} | {w:.1f} | {c:.1f} | {note} |" for n, w, c, note in results),
            "<!-- /demo-round-trip -->",
        ]
        _replace_block(lines, "<!-- demo-round-trip -->", "<!-- /demo-round-trip -->")
        return
    backend = sa.engine.make_url(url).get_backend_name() if url else "sqlite"
    lines = [
        "<!-- large-workbook -->",
        "## Ledger import",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on `{platform.node()}` "
        f"(nproc {__import__('os').cpu_count()}), Python {platform.python_version()}, {backend}. "
        f"Command: `python -m bench.ledger_import --rows {rows_wanted}{' --url …' if url else ''}` "
        "(`make bench-ledger-import`). A synthetic workbook in the template's format: reference rows, "
        "200 units, 200 branches, one person in ten rows, the rest their contacts. Wall and CPU "
        "seconds of this process (the database server's own CPU is not in the CPU column); the "
        "machine is shared, so compare each line with the baseline of the same run.",
        "",
        "| step | wall s | CPU s | |",
        "|---|---:|---:|---|",
    ]
    for name, w, c, note in results:
        lines.append(f"| {name} | {w:.1f} | {c:.1f} | {note} |")
    base = next(r for r in results if r[0].startswith("**baseline**"))
    read = next(r for r in results if r[0].startswith("read with python-calamine"))
    check = next(r for r in results if r[0].startswith("check every row"))
    first = next(r for r in results if r[0].startswith("load into"))
    lines += [
        "",
        f"Reading with calamine takes {read[1] / base[1]:.2f}× the time of reading with openpyxl alone; "
        f"reading, checking and loading together take {(read[1] + check[1] + first[1]) / base[1]:.2f}× "
        "that baseline.",
        "<!-- /large-workbook -->",
    ]
    _replace_block(lines, "<!-- large-workbook -->", "<!-- /large-workbook -->")


def _replace_block(lines: list[str], first: str, last: str) -> None:
    """Put the block into the section (replacing its earlier version, keeping the rest)."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    body, tail = rest.split(END, 1)
    block = "\n".join(lines)
    if first in body and last in body:
        before, after = body.split(first, 1)
        body = before + block + after.split(last, 1)[1]
    elif first == "<!-- large-workbook -->":
        body = "\n" + block + "\n" + body.lstrip("\n")
    else:
        body = body.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(head + START + body + END + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the ledger import on a large workbook.")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument(
        "--url", action="append", help="a server database to load into (its ledger tables are dropped first)"
    )
    ap.add_argument(
        "--demo-round-trip", action="store_true", help="the whole demo ledger: export, check, load, compare"
    )
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/performance.md alone")
    args = ap.parse_args(argv)
    if args.demo_round_trip:
        results = demo_round_trip(args.url or [])
    else:
        results = run(args.rows, (args.url or [None])[0])
    for name, w, c, note in results:
        print(f"{w:8.1f} s wall {c:8.1f} s CPU  {name}  {note}", flush=True)
    if not args.no_docs:
        write_docs(
            results, args.rows, args.url if args.demo_round_trip else (args.url or [None])[0], args.demo_round_trip
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
