"""The benchmark the project keeps: page time from a city to a province.

    python -m bench.run [--scales 1,5,20] [--backends sqlite,postgresql] [--pg-url URL]

For each backend and scale (a subprocess each, so peak memory is per run) it builds the
demo ledger once (kept in data/bench_k{K}.sqlite, or a database bench_k{K} on the
PostgreSQL server), then for every page times:

- cold: caches cleared, a fresh session runs the whole page script (AppTest);
- warm: the same page again in a fresh session with the caches filled;
- raw SQL: the statements the cold run issued, replayed directly on one connection (the
  floor a page cannot go below);
- naive: the overview's headline figures computed the way most tutorials do it, by loading
  the tables into pandas (overview only);

and records the peak memory of the process. The rollups are refreshed first when they do
not match the ledger (the time is reported), so pages run as they do in production; set
SERVICE_ROLLUPS=off to measure the raw path. Results go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PAGES = (
    "overview",
    "contacts",
    "branches",
    "money",
    "districts",
    "groups",
    "services",
    "talent",
    "suggestions",
    "briefing",
)


# ---------------------------------------------------------------------------- one run (child process)


def _rollups(url: str) -> float | None:
    """Refresh the rollups unless they are fresh already; seconds taken, or None if cached."""
    from data_access import rollups
    from data_access.db import make_engine
    from data_access.rollup_store import status

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            record = status(conn)
        if record is not None and record["fresh"]:
            return None
        return rollups.refresh(engine)["seconds"]
    finally:
        engine.dispose()


def _ledger(backend: str, scale: int, pg_url: str) -> tuple[str, float | None]:
    import sqlalchemy as sa

    from data_access.db import make_engine
    from data_access.demo import build_demo

    t0 = time.perf_counter()
    if backend == "sqlite":
        path = ROOT / "data" / f"bench_k{scale}.sqlite"
        if path.exists():
            return f"sqlite:///{path}", None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{tmp}")
        build_demo(engine, scale=scale)
        engine.dispose()
        tmp.rename(path)
        return f"sqlite:///{path}", time.perf_counter() - t0
    name = f"bench_k{scale}"
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    built = None
    if "people" not in sa.inspect(engine).get_table_names():
        build_demo(engine, scale=scale)  # ends with ANALYZE on PostgreSQL
        built = time.perf_counter() - t0
    engine.dispose()
    return url, built


def _capture(engine):
    """Record every statement (and its own execution time) an engine runs."""
    from sqlalchemy import event

    seen: list[tuple[str, object, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["_bench_t0"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters, time.perf_counter() - conn.info.pop("_bench_t0", time.perf_counter())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    return seen


def _replay(url: str, statements) -> float:
    """Run the captured statements again, directly on one connection (best of two)."""
    from data_access.db import make_engine

    engine = make_engine(url)
    best = float("inf")
    for _ in range(2):
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            t0 = time.perf_counter()
            for statement, params, _ in statements:
                cur = raw.cursor()
                cur.execute(statement, params) if params else cur.execute(statement)
                if cur.description is not None:  # (SAVEPOINT / RELEASE return no rows)
                    cur.fetchall()
                cur.close()
            best = min(best, time.perf_counter() - t0)
    engine.dispose()
    return best


def _naive(url: str) -> float:
    """The overview's headline counts the tutorial way: whole tables into pandas."""
    import pandas as pd

    from data_access.db import make_engine

    engine = make_engine(url)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        people = pd.read_sql_table("people", conn)
        contacts_df = pd.read_sql_table("contacts", conn)
        branches = pd.read_sql_table("party_branches", conn)
        pay = pd.read_sql_table("disbursements", conn)
    end = pd.Timestamp("2021-01-01")
    alive = people[
        (pd.to_datetime(people["entry_date"]) < end)
        & (people["death_date"].isna() | (pd.to_datetime(people["death_date"]) >= end))
    ]
    since = pd.Timestamp("2020-01-01")
    reached = set(contacts_df.loc[pd.to_datetime(contacts_df["contact_date"]) >= since, "person_id"])
    aid = pay[(pay["category"] == "hardship_aid") & (pd.to_datetime(pay["paid_on"]) >= since)]
    figures = (
        alive.groupby("category").size(),
        alive["id"].isin(reached).mean(),
        int(branches["closed_on"].isna().sum()),
        aid["person_id"].nunique(),
    )
    assert len(figures) == 4
    elapsed = time.perf_counter() - t0
    engine.dispose()
    return elapsed


_WARMED: list[str] = []


def _page_runs(url: str, backend: str, page: str, warm_runs: int = 3) -> dict:
    import streamlit as st
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test

    from dashboard import auth, data
    from dashboard.labels import PAGE_TITLES

    class NavigationOnly(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    patched = {"PagesManager": app_test.PagesManager, "ScriptCache": app_test.ScriptCache}
    app_test.PagesManager = NavigationOnly
    # AppTest scans every installed package for components on each new AppTest (≈ 0.25 s);
    # a server does that once at start-up, so the harness does it once too.
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    # A server compiles each script once and keeps the bytecode; AppTest recompiles it
    # on every run unless its script cache is shared.
    scripts = ScriptCache()
    app_test.ScriptCache = lambda: scripts

    def session() -> float:
        """One leader opening the page's address: a single run of the entry script and the
        page, as a browser's first request is. Signed in beforehand (the sign-in form and
        its password check are not the page's cost)."""
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=1800)
        at._bidi_component_manager = components
        if backend != "sqlite":
            at.session_state[auth._USER] = auth.User("bench", "bench", "city")
            at.session_state[auth._SEEN] = time.time()
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        t0 = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].message}")
        if not at.title or at.title[0].value != PAGE_TITLES[page]:
            raise RuntimeError(f"{page}: the run drew {[t.value for t in at.title]}, not the page")
        return elapsed

    try:
        if not _WARMED:  # the process's first page loads plotly, pandas' styler &c.: not the page's cost
            session()
            _WARMED.append(page)
        data.clear_caches()  # st.cache_data and the in-process result cache (data.RESULTS)
        st.cache_resource.clear()
        engine = data.engine()
        seen = _capture(engine)
        cold = session()
        sql_in_page = sum(t for _, _, t in seen)
        statements = list(seen)
        warm = [session() for _ in range(warm_runs)]
    finally:  # the harness's shortcuts end with the benchmark (the tests run it too)
        for name, value in patched.items():
            setattr(app_test, name, value)
    return {
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "statements": len(statements),
        "sql_in_page_s": sql_in_page,
        "raw_sql_s": _replay(url, statements),
    }


def child(backend: str, scale: int, pg_url: str, out: Path) -> None:
    url, built = _ledger(backend, scale, pg_url)
    refreshed = _rollups(url)
    if backend == "sqlite":
        os.environ.pop("SERVICE_DB_URL", None)
        os.environ["SERVICE_DEMO_DB"] = url.removeprefix("sqlite:///")
    else:
        from dashboard.passwords import hash_password

        access = Path(tempfile.mkdtemp()) / "access.toml"
        access.write_text(
            f'[access]\nmode = "local"\n[[access.accounts]]\nusername = "bench"\n'
            f'password_hash = "{hash_password("bench")}"\nrole = "city"\n',
            encoding="utf-8",
        )
        os.environ["DASHBOARD_ACCESS_FILE"] = str(access)
        os.environ["SERVICE_DB_URL"] = url
        os.environ["AUDIT_DB_URL"] = f"sqlite:///{access.parent / 'audit.sqlite'}"
    result = {"backend": backend, "scale": scale, "build_s": built, "rollup_s": refreshed, "pages": {}}
    for page in os.environ.get("BENCH_PAGES", ",".join(PAGES)).split(","):
        result["pages"][page] = _page_runs(url, backend, page)
        print(f"  {backend} K={scale} {page}: {json.dumps(result['pages'][page])}", file=sys.stderr, flush=True)
    # The dashboard's own peak, before the naive baseline loads whole tables.
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["naive_overview_s"] = _naive(url) if not os.environ.get("BENCH_SKIP_NAIVE") else float("nan")
    out.write_text(json.dumps(result), encoding="utf-8")


# ---------------------------------------------------------------------------- report


def report(results: list[dict], command: str) -> str:
    import pandas as pd
    import sqlalchemy
    import streamlit

    lines = [
        "# Performance",
        "",
        f"Measured {dt.date.today().isoformat()} on `{platform.node()}` ({platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores), Python {platform.python_version()}, streamlit {streamlit.__version__}, "
        f"pandas {pd.__version__}, SQLAlchemy {sqlalchemy.__version__}.",
        "",
        f"Command: `{command}`",
        "",
        "Times in milliseconds. Peak RSS is the page-running process before the naive baseline "
        "runs. *cold*: caches cleared, a fresh session opens the page's own address (one run of "
        "the entry script and the page, AppTest, signed in beforehand); *warm*: the same in a "
        "fresh session with the caches filled (median of three); *raw SQL*: the statements the "
        "cold run issued, replayed directly; *cold ÷ SQL*: target ≤ 1.5. Rollups current.",
        "",
        "| backend | K | page | cold | warm | raw SQL | cold ÷ SQL | statements |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for page, p in r["pages"].items():
            ratio = p["cold_s"] / p["raw_sql_s"] if p["raw_sql_s"] else float("nan")
            lines.append(
                f"| {r['backend']} | {r['scale']} | {page} | {p['cold_s'] * 1000:,.0f} | {p['warm_s'] * 1000:,.0f} | "
                f"{p['raw_sql_s'] * 1000:,.0f} | {ratio:.2f} | {p['statements']} |"
            )
    lines += [
        "",
        "| backend | K | build (s) | rollup refresh (s) | naive overview (ms) | overview cold (ms) | naive ÷ cold "
        "| peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cold = r["pages"]["overview"]["cold_s"]
        build = "cached" if r["build_s"] is None else f"{r['build_s']:,.0f}"
        refresh = "cached" if r.get("rollup_s") is None else f"{r['rollup_s']:,.0f}"
        lines.append(
            f"| {r['backend']} | {r['scale']} | {build} | {refresh} | {r['naive_overview_s'] * 1000:,.0f} | "
            f"{cold * 1000:,.0f} | {r['naive_overview_s'] / cold:.1f} | {r['peak_rss_mb']:,.0f} |"
        )
    return "\n".join(lines) + "\n"


KEPT = (
    ("<!-- analysis:start -->", "<!-- analysis:end -->"),  # the written reading of a run (dated)
    ("<!-- concurrency:start -->", "<!-- concurrency:end -->"),  # bench.concurrency's section
    ("<!-- ledger-import:start -->", "<!-- ledger-import:end -->"),  # bench.ledger_import's section
)


def _keep_sections(old: str, new: str) -> str:
    """Sections written between markers (the analysis, the concurrency run, the ledger
    import) survive a rewrite."""
    for start, end in KEPT:
        if start in old and end in old:
            block = old[old.index(start) : old.index(end) + len(end)]
            new = new.rstrip("\n") + "\n\n" + block + "\n"
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark page time across ledger scales.")
    ap.add_argument("--scales", default="1,5,20")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg-url", default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG))
    ap.add_argument("--runs", help="explicit backend:scale pairs instead of the product, e.g. sqlite:1,postgresql:20")
    ap.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    ap.add_argument("--child", nargs=3, metavar=("BACKEND", "SCALE", "JSON"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.pg_url, Path(args.child[2]))
        return 0
    results = []
    if args.runs:
        runs = [(b, int(k)) for b, k in (pair.split(":") for pair in args.runs.split(","))]
    else:
        runs = [(b, int(k)) for b in args.backends.split(",") for k in args.scales.split(",")]
    for backend, scale in runs:
        out = Path(tempfile.mkstemp(suffix=".json")[1])
        print(f"{backend} K={scale} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "bench.run", "--pg-url", args.pg_url, "--child", backend, str(scale), str(out)],
            cwd=ROOT,
            check=True,
        )
        results.append(json.loads(out.read_text(encoding="utf-8")))
    text = report(results, "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]))
    out_path = Path(args.out)
    previous = out_path.read_text(encoding="utf-8") if out_path.exists() else ""
    out_path.write_text(_keep_sections(previous, text), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
