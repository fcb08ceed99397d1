"""Warming: what the first leader meets after a start and after the ledger changes.

    python -m bench.warm [--url sqlite:///PATH] [--pages overview,contacts,branches,money,districts]

Runs the same scenario twice on a copy of the ledger (a SQLite file; default the embedded
demo ledger), once with the server's warmer off and once with it on (``DASHBOARD_WARM=1``,
started by ``python -m dashboard.warm --kick``, as ``make run`` and ``make serve`` do):

1. *after start*: the server starts; with warming on, the bench waits for the warmer's first
   pass (the server's log line ``dashboard.warm: pass 1 …``), as the meeting's first leader
   arrives a minute after the server came up; then one session opens each page in turn.
2. *after a change*: one row of the ledger is deleted and the rollups are refreshed, as a
   load does (``python -m data_access.ledger_import load``); its fingerprint moves; the bench
   waits for the server to notice (``data.VERSION_TTL`` + the warmer's check, or the second
   pass with warming on), then one session opens each page in turn.

Each page's first session is timed over Streamlit's websocket as in bench/concurrency.py
(a single session, no other load); the server's CPU during that session is reported beside
it. Results replace the section between ``<!-- warm:start -->`` and ``<!-- warm:end -->``
in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.concurrency import (
    ROOT,
    batch,
    doc_section,
    ledger_label,
    machine,
    proc_cpu_s,
    server_env,
    streamlit_server,
    summarize,
)

DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- warm:start -->", "<!-- warm:end -->"
PASS_RE = re.compile(r"dashboard\.warm: pass (\d+) warmed (\d+)/(\d+) views in ([\d.]+) s")
DEFAULT_PAGES = "overview,contacts,branches,money,districts"
NOTICE_S = 22.0  # VERSION_TTL (10 s) + the warmer's check interval (10 s) + a margin


def wait_pass(log: Path, number: int, timeout_s: float = 900) -> tuple[int, int, float]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for m in PASS_RE.finditer(log.read_text(errors="replace")):
            if int(m.group(1)) == number:
                return int(m.group(2)), int(m.group(3)), float(m.group(4))
        time.sleep(0.5)
    raise RuntimeError(f"warming pass {number} not seen in {timeout_s:.0f} s")


def first_sessions(proc, port: int, pages: list[str]) -> list[dict]:
    rows = []
    for page in pages:
        cpu0 = proc_cpu_s(proc.pid)
        s = summarize(asyncio.run(batch(port, page, 1, False, 300)))
        rows.append({"page": page, "s": s["p50_s"], "cpu_s": proc_cpu_s(proc.pid) - cpu0, "errors": s["errors"]})
        print(f"  {page:<10} {s['p50_s'] * 1000:8,.0f} ms  cpu {rows[-1]['cpu_s'] * 1000:6,.0f} ms", file=sys.stderr)
    return rows


def scenario(ledger: Path, pages: list[str], warm: bool) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-warm-"))
    db = workdir / "ledger.sqlite"
    shutil.copy(ledger, db)
    env, _ = server_env(f"sqlite:///{db}", workdir)
    env["DASHBOARD_WARM"] = "1" if warm else "0"
    out: dict = {"warm": warm}
    with streamlit_server(env, workdir) as (proc, port):
        log = workdir / "server.log"
        t0 = time.monotonic()
        if warm:
            subprocess.run([sys.executable, "-m", "dashboard.warm", "--kick", str(port)], cwd=ROOT, check=True)
            done, total, took = wait_pass(log, 1)
            out["pass1"] = {"views": total, "warmed": done, "s": took, "cpu_s": proc_cpu_s(proc.pid)}
        print(f"warming {'on' if warm else 'off'}: after start ({time.monotonic() - t0:.0f} s)", file=sys.stderr)
        out["after_start"] = first_sessions(proc, port, pages)
        with sqlite3.connect(db) as c:  # a load: one row less, then the rollups refreshed
            c.execute("DELETE FROM contacts WHERE id = (SELECT max(id) FROM contacts)")
        subprocess.run([sys.executable, "-m", "data_access.rollups", "--url", f"sqlite:///{db}"], cwd=ROOT, check=True)
        changed = time.monotonic()
        if warm:
            done, total, took = wait_pass(log, 2)
            out["pass2"] = {"views": total, "warmed": done, "s": took}
        else:
            time.sleep(NOTICE_S)
        waited = time.monotonic() - changed
        print(f"warming {'on' if warm else 'off'}: after a change ({waited:.0f} s)", file=sys.stderr)
        out["after_change"] = first_sessions(proc, port, pages)
    return out


def render(result: dict) -> str:
    off, on = result["off"], result["on"]
    lines = [
        START,
        "## Warming (the first leader after a start or a change)",
        "",
        "`bench/warm.py`: one session opens each page in turn (nothing else running), on a copy of "
        "the ledger, with the server's warmer off and on (`DASHBOARD_WARM=1`, `dashboard/warm.py`). "
        "*after start*: with warming on, after the warmer's first pass; *after a change*: a row "
        "deleted from the ledger and the rollups refreshed (as a load does), then (warming on) after "
        "the second pass or (off) once the server has noticed. "
        "Server CPU: the server process's CPU during that one session.",
        "",
        "| moment | page | warming off: first session (ms) | server CPU (ms) "
        "| warming on: first session (ms) | server CPU (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for moment in ("after_start", "after_change"):
        for a, b in zip(off[moment], on[moment], strict=True):
            lines.append(
                f"| {moment.replace('_', ' ')} | {a['page']} | {a['s'] * 1000:,.0f} | {a['cpu_s'] * 1000:,.0f} "
                f"| {b['s'] * 1000:,.0f} | {b['cpu_s'] * 1000:,.0f} |"
            )
    p1, p2 = on["pass1"], on["pass2"]
    lines += [
        "",
        f"- {result['ledger']}, measured {result['date']} on {result['machine']}. The warmer's first pass "
        f"opened {p1['warmed']}/{p1['views']} views in {p1['s']:.1f} s (every page at city scope, then each "
        f"district's), the server's CPU from start to the end of that pass {p1['cpu_s']:.1f} s; after the "
        f"change, {p2['warmed']}/{p2['views']} views in {p2['s']:.1f} s. While a leader's page runs the warmer "
        "waits (it starts no page while another session's script is running).",
        "",
        END,
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    head, _, tail = doc_section(DOCS, START, END)
    DOCS.write_text(head + text + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="First sessions after a start and after a change, warming off and on.")
    ap.add_argument("--url", default=None, help="a SQLite ledger (copied); default the embedded demo ledger")
    ap.add_argument("--pages", default=DEFAULT_PAGES)
    ap.add_argument("--no-docs", action="store_true")
    args = ap.parse_args(argv)
    ledger = Path(args.url.removeprefix("sqlite:///")) if args.url else ROOT / "data" / "demo.sqlite"
    if not ledger.exists():
        subprocess.run([sys.executable, "-m", "data_access.demo", "--ensure-default"], cwd=ROOT, check=True)
    pages = args.pages.split(",")
    result = {
        "ledger": ledger_label(f"sqlite:///{ledger}"),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "off": scenario(ledger, pages, warm=False),
        "on": scenario(ledger, pages, warm=True),
    }
    text = render(result)
    print(text)
    if not args.no_docs:
        write_docs(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
