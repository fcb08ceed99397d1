"""Deterministic demo ledger that reproduces the municipal report's figures.

    python -m data_access.demo --url sqlite:///data/demo.sqlite [--scale K] [--seed N]

At the snapshot date 2019-12-31 a ledger of scale 1 reproduces exactly every figure of
the report (see ``../shared/domain.md``); activity runs from 2018-01-01 to 2020-12-31
with festival peaks and honest imperfections (lagging districts, under-spent budgets,
branches that skip activities, overdue contacts). ``--scale K`` writes K independent
replicas of the city (K=20 is about a province): every count of the report times K.
Memory stays bounded: one replica is generated and written at a time, in batches.

Everything is synthetic: invented names, phone numbers that no Chinese mobile number can
have (prefix 10), no ID numbers at all.

The package: ``catalogue`` (the city's fixed lists and the catalogue tables), ``draw``
(random draws, integer-day dates), ``writer`` (batched inserts, ids), ``replica`` (one city
and the order its generators run in), and one module per group of tables: ``units``,
``people``, ``branches``, ``contacts``, ``money``, ``requests``. This module builds the
ledger (``build_demo``, ``ensure_demo_database``) and is the command line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import sqlalchemy as sa

from data_access import schema
from data_access.demo.catalogue import DEFAULT_SEED, write_catalogues
from data_access.demo.replica import Replica
from data_access.demo.writer import Ids, Writer

__all__ = ["DEFAULT_SEED", "Writer", "build_demo", "ensure_demo_database", "main", "write_catalogues"]


def build_demo(
    engine: sa.Engine,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    *,
    include_new_area: bool = False,
    log: Callable[[str], None] = lambda s: None,
) -> dict[str, int]:
    """Create the schema and write a demo ledger of ``scale`` replicas; returns row counts.

    Refuses to write into a database that already holds a ledger.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    existing = set(sa.inspect(engine).get_table_names()) & set(schema.TABLES)
    if existing:
        raise RuntimeError(
            f"the database already has ledger tables ({', '.join(sorted(existing))}); use an empty database"
        )
    schema.Base.metadata.create_all(engine)
    ids = Ids()
    budgets: dict[tuple[int, str, str], float] = {}
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    with engine.begin() as conn:
        w = Writer(conn)
        write_catalogues(w, include_new_area)
        counts.update(w.counts)
    for k in range(scale):
        with engine.begin() as conn:
            w = Writer(conn)
            for key, amount in Replica(k, seed, w, ids).generate().items():
                budgets[key] = budgets.get(key, 0.0) + amount
            for name, v in w.counts.items():
                counts[name] = counts.get(name, 0) + v
        log(f"replica {k + 1}/{scale} written ({time.perf_counter() - t0:.1f} s)")
    with engine.begin() as conn:
        counts["budgets"] = write_budgets(Writer(conn), budgets)
    if engine.dialect.name == "postgresql":
        # Fresh statistics, as a loaded production database has: without them the planner
        # guesses a few hundred rows per table and picks nested loops over whole tables.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
    return counts


def write_budgets(w: Writer, budgets: dict[tuple[int, str, str], float]) -> int:
    """The budgets of all replicas together, one row per year, area and category."""
    keys = sorted(budgets)
    w.insert(
        schema.budgets,
        {
            "id": list(range(1, len(keys) + 1)),
            "year": [k[0] for k in keys],
            "area_code": [k[1] for k in keys],
            "category": [k[2] for k in keys],
            "amount": [round(budgets[k], 2) for k in keys],
        },
    )
    return len(keys)


def _arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m data_access.demo", description="Write the demo ledger into an empty service database."
    )
    ap.add_argument("--url", help="database URL (default: the configured service database)")
    ap.add_argument("--scale", type=int, default=1, help="replicas of the city (1 = the report's city)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--with-new-area", action="store_true", help="enable 兰州新区 in the areas table")
    ap.add_argument(
        "--ensure-default",
        action="store_true",
        help="build the embedded demo file only if no database is configured and the file is missing",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    from data_access.config import resolve_url
    from data_access.db import make_engine

    args = _arguments().parse_args(argv)
    if args.ensure_default:
        cfg = resolve_url()
        if not cfg.is_embedded_demo:
            print(f"service database configured ({cfg.source}); no demo ledger needed")
        elif ensure_demo_database(cfg.demo_path):
            print(f"demo ledger built: {cfg.demo_path}")
        elif refresh_stale_rollups(cfg.demo_path):
            print(f"demo ledger present: {cfg.demo_path}; its rollups were refreshed for this version")
        else:
            print(f"demo ledger present: {cfg.demo_path}")
        return 0
    url = args.url or resolve_url().url
    engine = make_engine(url)
    t0 = time.perf_counter()
    try:
        counts = build_demo(
            engine, args.scale, args.seed, include_new_area=args.with_new_area, log=lambda s: print(s, file=sys.stderr)
        )
    except RuntimeError as exc:
        print(f"demo ledger not written: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    total = sum(counts.values())
    print(f"demo ledger written at scale {args.scale}: {total:,} rows in {time.perf_counter() - t0:.1f} s")
    for name, n in sorted(counts.items()):
        print(f"  {name:20s} {n:>10,}")
    return 0


def ensure_demo_database(path) -> bool:
    """Build the embedded demo ledger at ``path`` if no file is there; True if built now.

    An existing file is never touched, whatever it holds: it may be someone's own ledger
    (``SERVICE_DEMO_DB`` pointed at it by mistake), and replacing it with synthetic data that
    is then served without sign-in would lose it and mislead. A file that lacks tables is
    reported by the schema check (an old demo file: delete it and it is built anew).

    Written to a temporary file first and moved into place without overwriting (a hard
    link), so a reader never sees a half-built ledger and two processes starting at once
    cannot replace each other's file.
    """
    import os
    import tempfile
    from pathlib import Path

    from data_access.db import make_engine

    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".demo-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    from data_access.rollups import refresh as refresh_rollups

    engine = make_engine(f"sqlite:///{tmp}")
    try:
        build_demo(engine)
        refresh_rollups(engine)  # served as a real ledger would be: from its rollups
    finally:
        engine.dispose()
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: move it, unless one appeared
        if path.exists():
            return False
        os.replace(tmp, path)
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


def refresh_stale_rollups(path) -> bool:
    """Refresh the rollups of the demo file at ``path`` when they no longer match the ledger
    or this version of the code (e.g. after an update that stores a new figure); True if
    refreshed. Only a file whose rollups were made here before is refreshed: the ledger's
    own tables are never written, and a file without rollups is left as it is."""
    from pathlib import Path

    from data_access import rollup_store
    from data_access.db import make_engine
    from data_access.rollups import refresh as refresh_rollups

    if not Path(path).exists():
        return False
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            state = rollup_store.status(conn)
        if state is None or state["fresh"] or not state["tracked"]:
            return False
        refresh_rollups(engine)
        return True
    finally:
        engine.dispose()
