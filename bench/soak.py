"""Soak: 1,000 page runs on one ``streamlit run`` process, resident memory sampled.

    python -m bench.soak [--runs 1000] [--every 50] [--parallel 2] [--url DBURL]

Starts one server with ``runner.postScriptGC`` off (the project's setting,
``.streamlit/config.toml``) and then another with it on, and on each opens ``--runs`` page
views over Streamlit's websocket as a browser does (``bench.concurrency``'s sessions), a few
at a time, cycling through every page (the meeting screen included) at city scope and for
each area, so that the caches fill and are then reused. ``VmRSS`` of the server is sampled
after every ``--every`` runs. The curves go into docs/performance.md between
``<!-- soak:start -->`` and ``<!-- soak:end -->``, side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import concurrency as cc

START, END = "<!-- soak:start -->", "<!-- soak:end -->"
DATA_RE = re.compile(r"<!-- soak-run (\{.*?\}) -->")


async def _views(port: int, views: list[tuple[str, str]], timeout: float) -> list[cc.Session]:
    gate = cc.Gate(len(views))
    return list(await asyncio.gather(*(cc.one_session(port, p, False, timeout, gate, q) for p, q in views)))


async def _kick(port: int, timeout: float) -> None:
    """The start-up kick ``make run`` and ``make serve`` send (``python -m dashboard.warm --kick``):
    a foreign warming token, whose run preloads and stops."""
    async with cc.stream(port, timeout) as ws:
        await ws.send(cc.rerun_msg("overview", query="warm_token=bench-kick"))
        await cc.read_run(ws, cc.Session("kick"))


def soak(url: str | None, runs: int, every: int, parallel: int, gc_on: bool, timeout: float) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    env, _ = cc.server_env(url, workdir)
    env.pop("DASHBOARD_WARM", None)
    views = cc.mixed_views(url, 10_000)
    samples, failed, errors = [], 0, set()
    gc_flag = ["--runner.postScriptGC", "true" if gc_on else "false"]  # (the config file wins over env)
    with cc.streamlit_server(env, workdir, extra_args=gc_flag) as (proc, port):
        asyncio.run(_kick(port, timeout))  # as make run / make serve start it (warm.preload, gc.freeze)
        cpu0, t0 = cc.proc_cpu_s(proc.pid), time.perf_counter()
        samples.append({"runs": 0, "rss_mb": cc.proc_status(proc.pid, "VmRSS"), "s": 0.0})
        done = 0
        while done < runs:
            chunk = views[done : done + min(parallel, runs - done)]
            for s in asyncio.run(_views(port, chunk, timeout)):
                if not s.ok:
                    failed += 1
                    errors.add((s.error or "?")[:120])
            done += len(chunk)
            if done % every == 0 or done == runs:
                samples.append(
                    {
                        "runs": done,
                        "rss_mb": cc.proc_status(proc.pid, "VmRSS"),
                        "s": time.perf_counter() - t0,
                    }
                )
                print(
                    f"gc {'on ' if gc_on else 'off'} {done:>5} runs  RSS {samples[-1]['rss_mb']:,.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
        cpu = cc.proc_cpu_s(proc.pid) - cpu0
        peak = cc.proc_status(proc.pid, "VmHWM")
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        "gc": gc_on,
        "runs": runs,
        "failed": failed,
        "errors": sorted(errors),
        "cpu_per_run_ms": cpu * 1000 / runs,
        "wall_s": samples[-1]["s"],
        "peak_rss_mb": peak,
        "samples": samples,
    }


def render(result: dict) -> str:
    off, on = result["off"], result["on"]
    lines = [
        START,
        f"## Soak: memory over {off['runs']:,} page runs",
        "",
        "One `streamlit run` process after the start-up kick `make run` sends (preload, `gc.freeze()`), "
        "page views opened over the websocket "
        f"{result['parallel']} at a time, cycling through every page (meeting screen included) at city "
        "scope and for each area (`bench/soak.py`); the server's `VmRSS` after every "
        f"{result['every']} runs. Left: `runner.postScriptGC = false` (the project's setting); right: "
        "Streamlit's default, a full `gc.collect()` after every run. Same ledger, same views, same run.",
        "",
        "| page runs | RSS, post-run GC off (MB) | RSS, post-run GC on (MB) |",
        "|---:|---:|---:|",
    ]
    for a, b in zip(off["samples"], on["samples"], strict=False):
        lines.append(f"| {a['runs']:,} | {a['rss_mb']:,.0f} | {b['rss_mb']:,.0f} |")
    lines.append("")

    def tail(side: dict) -> str:
        s = side["samples"]
        half = next((x for x in s if x["runs"] >= side["runs"] // 2), s[-1])
        return (
            f"RSS {half['rss_mb']:,.0f} MB at run {half['runs']:,} → {s[-1]['rss_mb']:,.0f} MB at run "
            f"{s[-1]['runs']:,} (peak {side['peak_rss_mb']:,.0f} MB), server CPU {side['cpu_per_run_ms']:,.0f} ms "
            f"per run, {side['wall_s']:,.0f} s in all, {side['failed']} failed"
        )

    lines.append(
        f"- measured {result['date']} on {result['machine']} (shared with other work), ledger "
        f"{result['ledger']}, app {result['app']}; `{result['command']}`."
    )
    lines.append(f"- post-run GC off: {tail(off)}.")
    lines.append(f"- post-run GC on: {tail(on)}.")
    lines.append("")
    lines.append(f"<!-- soak-run {json.dumps(result, ensure_ascii=False)} -->")
    lines.append(END)
    return "\n".join(lines)


def write_docs(path: Path, result: dict) -> None:
    head, _, tail = cc.doc_section(path, START, END)
    path.write_text(head + render(result) + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Resident memory over many page runs, post-run GC off and on.")
    ap.add_argument("--url", help="ledger URL (default: the embedded demo)")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--parallel", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--docs", default=str(cc.DOCS), help="markdown file to update ('' for none)")
    args = ap.parse_args(argv)
    if args.url is None:
        subprocess.run([sys.executable, "-m", "data_access.demo", "--ensure-default"], cwd=cc.ROOT, check=True)
    shown = list(argv if argv is not None else sys.argv[1:])
    if "--docs" in shown and shown.index("--docs") + 1 < len(shown):
        i = shown.index("--docs")
        del shown[i : i + 2]
    result = {
        "command": ("python -m bench.soak " + " ".join(shown)).strip(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": cc.machine(),
        "ledger": cc.ledger_label(args.url),
        "app": cc.app_label(cc.ROOT),
        "parallel": args.parallel,
        "every": args.every,
        "load_before": os.getloadavg()[0],
        "off": soak(args.url, args.runs, args.every, args.parallel, False, args.timeout),
        "on": soak(args.url, args.runs, args.every, args.parallel, True, args.timeout),
    }
    if args.docs:
        write_docs(Path(args.docs), result)
    print(json.dumps({k: v for k, v in result.items() if k not in ("off", "on")}, ensure_ascii=False), file=sys.stderr)
    return 1 if result["off"]["failed"] or result["on"]["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
