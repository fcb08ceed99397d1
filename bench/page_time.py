"""Page time: cold and warm runs of every registered page through AppTest.

    python -m bench.page_time [--scale K] [--runs N] [--url URL]

Builds (once) a demo ledger of scale K in data/bench_k{K}.sqlite unless --url is given,
then times each page: a cold run (caches cleared, fresh session) and N warm runs (same
caches, fresh session each, as a second leader opening the page). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from data_access.db import make_engine
from data_access.demo import build_demo

ROOT = Path(__file__).resolve().parent.parent


def ledger_url(scale: int) -> str:
    path = ROOT / "data" / f"bench_k{scale}.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        t0 = time.perf_counter()
        engine = make_engine(f"sqlite:///{tmp}")
        build_demo(engine, scale=scale)
        engine.dispose()
        tmp.rename(path)
        print(f"built scale {scale} ledger in {time.perf_counter() - t0:.1f} s")
    return f"sqlite:///{path}"


def time_page(path: str, runs: int) -> tuple[float, list[float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def one() -> float:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        if path != "pages/overview.py":
            at.switch_page(path).run()
        elapsed = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"{path} raised: {at.exception[0].message}")
        return elapsed

    st.cache_data.clear()
    st.cache_resource.clear()
    cold = one()
    warm = [one() for _ in range(runs)]
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    from dashboard import navigation

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--url", help="an existing ledger instead of a demo build")
    args = ap.parse_args(argv)
    url = args.url or ledger_url(args.scale)
    os.environ.pop("SERVICE_DB_URL", None)
    os.environ["SERVICE_DEMO_DB"] = url.removeprefix("sqlite:///")  # served as the demo ledger (no sign-in)
    print(f"| page | cold (ms) | warm median (ms) | warm max (ms) |  — scale {args.scale}, {platform.node()}")
    print("|---|---:|---:|---:|")
    for spec in navigation.PAGES:
        cold, warm = time_page(spec.path, args.runs)
        print(f"| {spec.key} | {cold * 1000:.0f} | {statistics.median(warm) * 1000:.0f} | {max(warm) * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
