"""Concurrency: N simultaneous sessions opening a page on one ``streamlit run`` server.

    python -m bench.concurrency [--url DBURL] [--sessions 20] [--rounds 2] [--pages overview,contacts]

Starts one ``streamlit run streamlit_app.py`` on a free 127.0.0.1 port against the ledger
at ``--url`` (default: ``data/bench_k1.sqlite`` if present, else the embedded demo ledger).
A SQLite file is served as the embedded demo ledger (demo mode, no sign-in); any other URL
is a configured service database, opened with a throw-away local account.

Each session speaks Streamlit's own websocket protocol, as the browser does, without a
browser: it connects to ``/_stcore/stream``, sends a ``BackMsg.rerun_script`` whose
``ClientState.page_name`` is the page's URL path (what the frontend sends for ``/contacts``)
and reads ``ForwardMsg``s until ``script_finished`` = ``FINISHED_SUCCESSFULLY``. On a
configured database it first fills in and submits the sign-in form (the form's widget
states and the submit trigger in one rerun, as the browser sends them); its time counts.
The latency of a session is from opening the connection to that message. A session counts
as rendered only if the run drew the page's own title (``st.title``) and no exception or
error element; every session stays connected until the whole batch is done.

Round 1 is cold (a fresh server, nothing warmed; the pages run one after the other, so a
later page finds the entry script's shared caches filled); rounds 2..N are warm (caches
filled). Peak RSS is the server process's ``VmHWM``. Results replace the section between
``<!-- concurrency:start -->`` and ``<!-- concurrency:end -->`` in docs/performance.md,
one table row per ledger (a rerun on the same ledger replaces its rows; a hand-written
``<!-- notes -->`` … ``<!-- /notes -->`` block inside the section is kept).

``--app-dir`` runs the app from another folder, e.g. ``git archive HEAD | tar -x -C DIR``
to measure the committed code while the work tree is being edited. ``--sign-in`` serves a
SQLite file as a configured database (sign-in required) instead of the demo ledger. Note
that in demo mode the app itself may (re)build the file named by ``SERVICE_DEMO_DB``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
K1 = ROOT / "data" / "bench_k1.sqlite"
START, END = "<!-- concurrency:start -->", "<!-- concurrency:end -->"
DATA_RE = re.compile(r"<!-- concurrency-run (\{.*?\}) -->")
NOTES_RE = re.compile(r"<!-- notes -->\n.*?<!-- /notes -->\n", re.S)  # hand-written, kept on rewrite
BENCH_USER, BENCH_PASSWORD = "bench", "bench"
# The page's own st.title, as drawn by dashboard.components.page_header.
TITLES = {"overview": "总览", "contacts": "联系覆盖"}


# ---------------------------------------------------------------------------- the server


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int, key: str) -> float:
    """A ``/proc/<pid>/status`` size field (``VmHWM``, ``VmRSS``) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_env(url: str | None, workdir: Path, force_sign_in: bool = False) -> tuple[dict, bool]:
    """The server's environment, and whether sessions must sign in."""
    drop = ("SERVICE_DB_URL", "SERVICE_DEMO_DB", "DASHBOARD_ACCESS_FILE", "AUDIT_DB_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["AUDIT_DB_URL"] = f"sqlite:///{workdir / 'audit.sqlite'}"  # never the ledger, never data/
    if url is None:
        return env, False  # the embedded demo ledger (data/demo.sqlite)
    if url.startswith("sqlite:///") and not force_sign_in:
        env["SERVICE_DEMO_DB"] = url.removeprefix("sqlite:///")
        return env, False
    sys.path.insert(0, str(ROOT))
    from dashboard.passwords import hash_password

    access = workdir / "access.toml"
    access.write_text(
        f'[access]\nmode = "local"\n[[access.accounts]]\nusername = "{BENCH_USER}"\n'
        f'password_hash = "{hash_password(BENCH_PASSWORD)}"\nrole = "city"\n',
        encoding="utf-8",
    )
    env["DASHBOARD_ACCESS_FILE"] = str(access)
    env["SERVICE_DB_URL"] = url
    return env, True


def app_label(app_dir: Path) -> str:
    """Which code the server ran: the work tree's commit (and whether it had edits), or a folder."""
    if app_dir.resolve() != ROOT:
        return f"`{app_dir}`"
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "work tree"
    return f"work tree at {sha.stdout.strip()}" + (" with uncommitted changes" if dirty.stdout.strip() else "")


@contextmanager
def streamlit_server(
    env: dict, workdir: Path, app_dir: Path = ROOT, timeout_s: float = 120, extra_args: list[str] | None = None
):
    """``streamlit run`` on a free 127.0.0.1 port; yields (process, port)."""
    port = free_port()
    cmd = [
        *(sys.executable, "-m", "streamlit", "run", str(app_dir / "streamlit_app.py")),
        *("--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"),
        *("--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"),
        *(extra_args or []),
    ]
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{(workdir / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# ---------------------------------------------------------------------------- one session


@dataclass
class Session:
    page: str
    ok: bool = False
    error: str | None = None
    connect_s: float = float("nan")  # websocket handshake
    signin_s: float = 0.0  # connection to the sign-in form submitted (configured databases)
    total_s: float = float("nan")  # connection opened to the page's script_finished
    page_s: float = float("nan")  # the same page run again in the open, signed-in session
    messages: int = 0
    deltas: int = 0  # elements and blocks of the page's final run
    bytes: int = 0
    title_seen: bool = False
    exceptions: list[str] = field(default_factory=list)


class Run:
    """What one script run sent, from its ``new_session`` message to ``script_finished``."""

    def __init__(self) -> None:
        self.deltas = 0
        self.headings: list[str] = []
        self.problems: list[str] = []
        self.text_inputs: dict[str, str] = {}  # user key -> widget id
        self.submit: str | None = None
        self.not_found = False
        self.screen = False  # the meeting screen drew its display (it has no st.title)

    def add(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.__init__()
        elif kind == "page_not_found":
            self.not_found = True
        elif kind == "delta":
            self.deltas += 1
            if msg.delta.WhichOneof("type") != "new_element":
                return
            el = msg.delta.new_element
            what = el.WhichOneof("type")
            if what == "heading":
                self.headings.append(el.heading.body)
            elif what == "exception":
                self.problems.append(f"exception: {el.exception.type} {el.exception.message}"[:300])
            elif what == "alert" and el.alert.format == el.alert.ERROR:
                self.problems.append(f"error: {el.alert.body}"[:300])
            elif what == "html" and 'id="meeting-screen"' in el.html.body:
                self.screen = True
            elif what == "text_input":
                self.text_inputs[el.text_input.id.rsplit("-", 1)[-1]] = el.text_input.id
            elif what == "button" and el.button.is_form_submitter:
                self.submit = el.button.id


def rerun_msg(page: str, widgets: dict | None = None, query: str = "") -> bytes:
    """The ``rerun_script`` BackMsg the frontend sends on opening ``/<page>?<query>``."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query
    cs.page_name = "" if page == "overview" else page  # the default page is "/"
    cs.widget_states.SetInParent()
    for widget_id, value in (widgets or {}).items():
        w = cs.widget_states.widgets.add()
        w.id = widget_id
        if value is True:
            w.trigger_value = True
        else:
            w.string_value = value
    return msg.SerializeToString()


async def read_run(ws, s: Session) -> Run:
    """Read ForwardMsgs until a run finishes successfully; that run's contents."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    run = Run()
    while True:
        data = await ws.recv(decode=False)
        s.messages += 1
        s.bytes += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        run.add(msg)
        if msg.WhichOneof("type") == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return run
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("script compile error")
            # FINISHED_EARLY_FOR_RERUN (st.rerun): the next run follows on the same socket.


class Gate:
    """Every session of a batch stays connected (as a browser tab would) until all have a result.

    ``on_done`` runs once, when the last session arrives (the round reads the server's CPU there)."""

    def __init__(self, n: int, on_done: Callable[[], None] | None = None) -> None:
        self.n = n
        self.arrived: set[int] = set()
        self.done = asyncio.Event()
        self.on_done = on_done

    def arrive(self, s: Session) -> None:
        self.arrived.add(id(s))
        if len(self.arrived) >= self.n and not self.done.is_set():
            if self.on_done is not None:
                self.on_done()
            self.done.set()


async def run_again(ws, s: Session, page: str, query: str, mid: Gate) -> None:
    """Once every session of the batch has its page, open the same page again on the same
    socket (as a signed-in leader clicks it in the menu): a page run without opening a session
    or signing in. Its time is ``page_s``; the round reads the server's CPU around these runs."""
    mid.arrive(s)
    await mid.done.wait()
    if not s.ok:
        return
    t1 = time.perf_counter()
    await ws.send(rerun_msg(page, query=query))
    run = await read_run(ws, s)
    s.page_s = time.perf_counter() - t1
    if run.problems:
        s.ok, s.error = False, "page run again: " + run.problems[0]


def stream(port: int, timeout: float):
    """A websocket to the server's ``/_stcore/stream``, as the browser opens it."""
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    return connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        open_timeout=timeout,
        ping_interval=None,  # a CPU-starved server must not drop us for a late pong
        close_timeout=5,
    )


async def one_session(
    port: int, page: str, sign_in: bool, timeout: float, gate: Gate, query: str = "", mid: Gate | None = None
) -> Session:
    s = Session(page + (f"?{query}" if query else ""))
    t0 = time.perf_counter()
    try:
        async with stream(port, timeout) as ws:
            s.connect_s = time.perf_counter() - t0
            try:
                async with asyncio.timeout(timeout):
                    await ws.send(rerun_msg(page, query=query))
                    run = await read_run(ws, s)
                    if sign_in:
                        if "signin_username" not in run.text_inputs or run.submit is None:
                            raise RuntimeError(f"no sign-in form (headings {run.headings[:3]})")
                        widgets = {
                            run.text_inputs["signin_username"]: BENCH_USER,
                            run.text_inputs["signin_password"]: BENCH_PASSWORD,
                            run.submit: True,
                        }
                        s.signin_s = time.perf_counter() - t0
                        await ws.send(rerun_msg(page, widgets, query))
                        run = await read_run(ws, s)
                    s.total_s = time.perf_counter() - t0
                s.deltas = run.deltas
                if page == "screen":
                    s.title_seen = run.screen
                else:
                    s.title_seen = TITLES[page] in run.headings if page in TITLES else bool(run.headings)
                s.exceptions = run.problems
                if run.not_found:
                    s.error = "page not found"
                elif run.problems:
                    s.error = run.problems[0]
                elif not s.title_seen:
                    s.error = f"page title {TITLES.get(page)!r} not drawn (headings {run.headings[:3]})"
                s.ok = s.error is None
                if mid is not None:
                    async with asyncio.timeout(timeout):
                        await run_again(ws, s, page, query, mid)
            except Exception as exc:  # noqa: BLE001 - a failed session is a result, not a crash
                s.error = f"{type(exc).__name__}: {exc}"[:300]
                s.ok = False
            finally:
                if mid is not None:
                    mid.arrive(s)
                gate.arrive(s)
                await gate.done.wait()
    except Exception as exc:  # noqa: BLE001 - could not connect
        s.error = s.error or f"{type(exc).__name__}: {exc}"[:300]
        s.ok = False
    finally:
        if mid is not None:
            mid.arrive(s)
        gate.arrive(s)
    return s


async def batch(port: int, page: str, n: int, sign_in: bool, timeout: float, mid: Gate | None = None) -> list[Session]:
    gate = Gate(n)
    return list(await asyncio.gather(*(one_session(port, page, sign_in, timeout, gate, "", mid) for _ in range(n))))


async def mixed_batch(
    port: int, views: list[tuple[str, str]], sign_in: bool, timeout: float, mid: Gate | None = None
) -> list[Session]:
    """One session per (page, query string), all at once."""
    gate = Gate(len(views))
    return list(
        await asyncio.gather(*(one_session(port, page, sign_in, timeout, gate, query, mid) for page, query in views))
    )


ALL_PAGES = ("overview", "contacts", "branches", "money", "districts", "groups", "services", "talent", "suggestions")


def mixed_views(url: str | None, n: int, seed: int = 22) -> list[tuple[str, str]]:
    """``n`` views spread over every page (the meeting screen included) and every scope (the
    city and each area), in a fixed shuffled order so that two runs open the same views."""
    import random

    sys.path.insert(0, str(ROOT))
    from data_access.db import make_engine
    from data_access.reference import fetch_areas

    engine = make_engine(url or f"sqlite:///{ROOT / 'data' / 'demo.sqlite'}")
    try:
        with engine.connect() as conn:
            codes = fetch_areas(conn)["code"].tolist()
    finally:
        engine.dispose()
    combos = [(p, "") for p in (*ALL_PAGES, "screen")]
    combos += [(p, f"area={c}") for c in codes for p in (*ALL_PAGES, "screen")]
    random.Random(seed).shuffle(combos)
    return [combos[i % len(combos)] for i in range(n)]


# ---------------------------------------------------------------------------- statistics and report


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = q * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summarize(sessions: list[Session]) -> dict:
    times = [s.total_s for s in sessions if s.ok]
    errors = sorted({s.error for s in sessions if not s.ok and s.error})
    return {
        "sessions": len(sessions),
        "ok": len(times),
        "p50_s": quantile(times, 0.5),
        "p95_s": quantile(times, 0.95),
        "max_s": max(times) if times else float("nan"),
        "min_s": min(times) if times else float("nan"),
        "signin_p50_s": quantile([s.signin_s for s in sessions if s.ok], 0.5),
        "page_p50_s": quantile([s.page_s for s in sessions if s.ok and s.page_s == s.page_s], 0.5),
        "page_p95_s": quantile([s.page_s for s in sessions if s.ok and s.page_s == s.page_s], 0.95),
        "deltas": sorted({s.deltas for s in sessions if s.ok}),
        "errors": errors,
    }


def server_errors(log: str) -> dict[str, int]:
    """The last line of each traceback in the server's log (what a redacted exception was)."""
    counts: dict[str, int] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if not re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b", line):
            continue
        after = next((x for x in lines[i + 1 :] if x.strip()), "")
        if after.startswith(("The above exception", "During handling")):
            continue  # a cause; the traceback's own last line follows
        counts[line[:200]] = counts.get(line[:200], 0) + 1
    return counts


def ledger_label(url: str | None) -> str:
    if url is None:
        return "embedded demo (data/demo.sqlite)"
    from sqlalchemy.engine import make_url

    u = make_url(url)
    name = u.database or ""
    scale = re.search(r"bench_k(\d+)", name)
    k = f"K={scale.group(1)} " if scale else ""
    if u.get_backend_name() == "sqlite":
        path = Path(name)
        try:
            path = path.resolve().relative_to(ROOT)
        except ValueError:
            pass
        return f"sqlite {k}(`{path}`)"
    return f"{u.get_backend_name()} {k}(`{name}`)"


def machine() -> str:
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return f"`{platform.node()}`, nproc {os.cpu_count()}, RAM {int(mem) / 1024**2:.0f} GiB"


def page_run_cells(row: dict) -> str:
    """The second run's p95 and CPU per session ("—" for runs measured before it existed)."""
    cpu, p95 = row.get("page_run_cpu_s", float("nan")), row.get("page_p95_s", float("nan"))
    if cpu != cpu or p95 != p95:
        return "— | —"
    return f"{p95 * 1000:,.0f} | {cpu * 1000 / max(row['ok'], 1):,.0f}"


def render(runs: list[dict], notes: str = "") -> str:
    lines = [
        START,
        "## Concurrency",
        "",
        "Simultaneous sessions opening a page on one `streamlit run` server (`bench/concurrency.py`). "
        "Each session speaks Streamlit's websocket protocol as the browser does, without a browser: "
        "it connects to `/_stcore/stream`, asks for the page's URL path (`BackMsg.rerun_script`) and "
        "reads `ForwardMsg`s until `script_finished`; the time is from opening the connection to that "
        "message, so it includes queueing behind the other sessions but not the browser's own drawing. "
        "A session counts only if the run drew the page's title and no exception or error element. "
        "On a configured database (PostgreSQL) each session signs in first (form drawn, submitted, "
        "scrypt check), included in the time. Every session's script runs in the one server process "
        "(a thread each, sharing one interpreter lock), so CPU per session bounds the throughput. "
        "*cold*: the first round on a fresh server, pages one after the other (contacts "
        "finds the entry script's shared caches filled by the overview round); *warm*: new sessions "
        "with the caches filled. Peak RSS: the server process's `VmHWM` at the end of the round "
        "(cumulative). Server CPU per session: the server's CPU time while the sessions open "
        "(sign-in and the first page run) ÷ sessions. *Page run again*: once every session has its "
        "page, each opens the same page again on its socket, as a signed-in leader clicks it in the "
        "menu; its CPU ÷ sessions is the cost of a page run alone, without opening a session or "
        "signing in (the difference between the two CPU columns is what opening and signing in cost).",
        "",
        "| ledger | round | page | sessions | ok | min (ms) | p50 (ms) | p95 (ms) | max (ms) "
        "| server CPU per session (ms) | page run again: p95 (ms) | CPU per page run (ms) | peak RSS (MB) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        for row in r["rows"]:
            ms = [row.get(k, float("nan")) * 1000 for k in ("min_s", "p50_s", "p95_s", "max_s")]
            cpu = row["server_cpu_s"] * 1000 / max(row["sessions"], 1)
            lines.append(
                f"| {r['ledger']} | {row['round']} | {row['page']} | {row['sessions']} | {row['ok']} | "
                + " | ".join(f"{v:,.0f}" for v in ms)
                + f" | {cpu:,.0f} | {page_run_cells(row)} | {row['peak_rss_mb']:,.0f} |"
            )
    lines.append("")
    for r in runs:
        failed = sum(row["sessions"] - row["ok"] for row in r["rows"])
        errors = sorted({e[:120] for row in r["rows"] for e in row["errors"]})
        logged = "; ".join(f"{n} × `{line}`" for line, n in r.get("server_errors", {}).items())
        loads = [row.get("load_before", float("nan")) for row in r["rows"]]
        lines.append(
            f"- {r['ledger']}: measured {r['date']} on {r['machine']}, streamlit {r['streamlit']}, "
            f"app {r.get('app', '?')}; "
            f"`{r['command']}`; server RSS after start {r['start_rss_mb']:,.0f} MB, peak {r['peak_rss_mb']:,.0f} MB; "
            f"1-min load average before the batches {min(loads):.1f}–{max(loads):.1f}; "
            + (f"{failed} failed sessions: {'; '.join(errors)}" if failed else "no failed sessions")
            + (f"; the server logged {logged}" if logged else "")
            + "."
        )
    lines.append("")
    if notes:
        lines.append(notes.rstrip("\n"))
        lines.append("")
    for r in runs:  # the raw figures, so a rerun on one ledger keeps the others' rows
        lines.append(f"<!-- concurrency-run {json.dumps(r, ensure_ascii=False)} -->")
    lines.append(END)
    return "\n".join(lines)


def doc_section(path: Path, start: str, end: str) -> tuple[str, str, str]:
    """A generated section of a markdown file: (text before ``start``, the section's old
    content, text after ``end``); a file without the section gets it appended at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        old, tail = rest.split(end, 1)
        return head, old, tail
    return text.rstrip("\n") + "\n\n", "", "\n"


def write_docs(path: Path, result: dict) -> None:
    head, old, tail = doc_section(path, START, END)
    runs = [json.loads(m) for m in DATA_RE.findall(old)]
    runs = [r for r in runs if r["ledger"] != result["ledger"]] + [result]
    notes = NOTES_RE.search(old)
    path.write_text(head + render(runs, notes.group(0) if notes else "") + tail, encoding="utf-8")


# ---------------------------------------------------------------------------- main


@dataclass
class Served:
    """Where sessions connect, and the processes that serve them (CPU and memory)."""

    port: int
    pids: Callable[[], list[int]]
    logs: list[Path]


@contextmanager
def one_process(env: dict, workdir: Path, app_dir: Path = ROOT):
    with streamlit_server(env, workdir, app_dir) as (proc, port):
        yield Served(port, lambda: [proc.pid], [workdir / "server.log"])


def free_block(n: int) -> int:
    """The first of ``n`` consecutive free ports on 127.0.0.1."""
    import random
    import socket

    for _ in range(200):
        first = random.randint(20_000, 60_000 - n)
        try:
            for p in range(first, first + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return first
    raise RuntimeError("no block of free ports")


@contextmanager
def behind_proxy(
    env: dict,
    workdir: Path,
    replicas: int,
    app_dir: Path = ROOT,
    timeout_s: float = 180,
    front: int | None = None,
    first: int | None = None,
    extra: list[str] | None = None,
):
    """``deploy/serve.py`` (``make serve``) with ``replicas`` processes on free ports, warming
    off (the cold round must be cold); yields :class:`Served` on the proxy's port."""
    import secrets
    import signal

    sys.path.insert(0, str(ROOT))
    from deploy.serve import server_states

    front = front or free_port()
    first = first or free_block(replicas)
    run_dir = workdir / "serve"
    env = {k: v for k, v in env.items() if k != "DASHBOARD_WARM"}
    env.setdefault("DASHBOARD_COOKIE_SECRET", secrets.token_urlsafe(32))
    cmd = [
        *(sys.executable, str(app_dir / "deploy" / "serve.py"), "--replicas", str(replicas)),
        *("--port", str(front), "--bind", "127.0.0.1", "--replica-port", str(first)),
        *("--run-dir", str(run_dir), "--no-warm", "--check-inter", "1s", *(extra or [])),
    ]
    log = (workdir / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)

    def pids() -> list[int]:
        try:
            info = json.loads((run_dir / "replicas.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [r["pid"] for r in info["replicas"]]

    try:
        deadline = time.monotonic() + timeout_s
        while True:
            states = server_states(run_dir) if (run_dir / "haproxy.sock").exists() else {}
            if len(states) == replicas and all(s == "UP" for s in states.values()):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (workdir / "serve.log").read_text()[-3000:]
                raise RuntimeError(f"make serve did not start ({states}):\n{tail}")
            time.sleep(0.3)
        yield Served(front, pids, [workdir / "serve.log", *sorted(run_dir.glob("replica*.log"))])
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += proc_cpu_s(pid)
        except OSError:
            pass
    return total


def _mem(pids: list[int], key: str) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += proc_status(pid, key)
        except OSError:
            pass
    return total


def measure(
    url: str | None,
    sessions: int,
    rounds: int,
    pages: list[str],
    timeout: float,
    command: str,
    force_sign_in: bool = False,
    app_dir: Path = ROOT,
    replicas: int = 0,
    big: int = 0,
    mixed: int = 0,
    page_runs: bool = True,
) -> dict:
    """The rounds on one process (``replicas`` 0) or behind the proxy with ``replicas``
    processes: cold and warm rounds of ``sessions`` per page, then (if asked) ``big``
    sessions on the first page at once and a ``mixed`` round over every page and area."""
    import streamlit

    workdir = Path(tempfile.mkdtemp(prefix="bench-concurrency-"))
    env, sign_in = server_env(url, workdir, force_sign_in)
    env.pop("DASHBOARD_WARM", None)  # the cold round must meet cold pages
    rows = []
    served_cm = behind_proxy(env, workdir, replicas, app_dir) if replicas else one_process(env, workdir, app_dir)
    with served_cm as served:
        start_rss = _mem(served.pids(), "VmRSS")

        def one_round(label: str, page: str, n: int, make) -> None:
            """``make(mid)`` is the round's coroutine; ``mid`` is passed when each session
            opens its page a second time (its CPU is the page run's, without the sign-in)."""
            load = os.getloadavg()[0]  # other work on the machine competes for the same cores
            pids = served.pids()
            cpu0, t0 = _cpu(pids), time.perf_counter()
            at_mid: list[float] = []
            mid = Gate(n, lambda: at_mid.append(_cpu(pids))) if page_runs else None

            async def go():
                return await make(mid)

            results = asyncio.run(go())
            wall = time.perf_counter() - t0
            cpu_end = _cpu(pids)
            first = (at_mid[0] if at_mid else cpu_end) - cpu0
            row = {
                "round": label,
                "page": page,
                **summarize(results),
                "wall_s": wall,
                "load_before": load,
                "server_cpu_s": first,  # opening the sessions: sign-in and the first page run
                "page_run_cpu_s": (cpu_end - at_mid[0]) if at_mid else float("nan"),
                "peak_rss_mb": _mem(served.pids(), "VmHWM"),
                "sessions_detail": [asdict(s) for s in results],
            }
            rows.append(row)
            print(
                f"{'proxy×' + str(replicas) if replicas else 'one':>8} {label:>6} {page:<9} ok {row['ok']}/{n}  "
                f"p50 {row['p50_s'] * 1000:,.0f} ms  p95 {row['p95_s'] * 1000:,.0f} ms  "
                f"max {row['max_s'] * 1000:,.0f} ms  cpu {row['server_cpu_s']:.2f} s  "
                f"page run cpu {row['page_run_cpu_s'] * 1000 / n:,.0f} ms/session  "
                f"VmHWM {row['peak_rss_mb']:,.0f} MB  deltas {row['deltas']}"
                + (f"  errors {row['errors']}" if row["errors"] else ""),
                file=sys.stderr,
                flush=True,
            )

        for rnd in range(1, rounds + 1):
            label = "cold" if rnd == 1 else "warm" if rounds == 2 else f"warm {rnd - 1}"
            for page in pages:
                one_round(
                    label, page, sessions, lambda mid, p=page: batch(served.port, p, sessions, sign_in, timeout, mid)
                )
        if big:
            one_round("warm", pages[0], big, lambda mid: batch(served.port, pages[0], big, sign_in, timeout, mid))
        if mixed:
            views = mixed_views(url, mixed)
            one_round("mixed", "all", mixed, lambda mid: mixed_batch(served.port, views, sign_in, timeout, mid))
        peak = _mem(served.pids(), "VmHWM")
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in served.logs if p.exists())
    return {
        "ledger": ledger_label(url) + (" (signed in)" if sign_in and url and url.startswith("sqlite") else ""),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "streamlit": streamlit.__version__,
        "app": app_label(app_dir),
        "command": command,
        "sessions": sessions,
        "sign_in": sign_in,
        "replicas": replicas,
        "start_rss_mb": start_rss,
        "peak_rss_mb": peak,
        "server_errors": server_errors(log),
        "workdir": str(workdir),
        "rows": [{k: v for k, v in r.items() if k != "sessions_detail"} for r in rows],
        "detail": rows,
    }


COLD_PAGES = (*ALL_PAGES, "briefing", "screen")


async def _page_by_page(port: int, pages: list[str], sign_in: bool, timeout: float, cpu: Callable[[], float]) -> dict:
    """One leader on a fresh server: the start-up imports (the kick ``make run`` sends: the entry
    script's imports, then a stop), then every page in turn on one socket, each cold; then the
    first page again in a new session (warm) and once more on its socket, which tells what
    opening a session and signing in cost. CPU seconds of the server for each step."""

    async def step(ws, s, page, widgets=None, query=""):
        c0, t0 = cpu(), time.perf_counter()
        await ws.send(rerun_msg(page, widgets, query))
        run = await read_run(ws, s)
        return run, cpu() - c0, time.perf_counter() - t0

    out: dict = {"pages": []}
    s = Session("kick")
    async with asyncio.timeout(timeout):
        c0 = cpu()
        async with stream(port, timeout) as ws:  # the kick: a foreign warming token stops after the imports
            await ws.send(rerun_msg(pages[0], query="warm_token=bench-kick"))
            await read_run(ws, s)
        out["imports_cpu_s"] = cpu() - c0

        async def sign_in_on(ws, page):
            run, c, _ = await step(ws, s, page)
            if not sign_in:
                return run, c
            widgets = {
                run.text_inputs["signin_username"]: BENCH_USER,
                run.text_inputs["signin_password"]: BENCH_PASSWORD,
                run.submit: True,
            }
            run2, c2, _ = await step(ws, s, page, widgets)
            return run2, c + c2

        async with stream(port, timeout) as ws:
            for i, page in enumerate(pages):
                if i == 0:
                    t0 = time.perf_counter()
                    run, c = await sign_in_on(ws, page)
                    wall = time.perf_counter() - t0
                else:
                    run, c, wall = await step(ws, s, page)
                out["pages"].append(
                    {"page": page, "cpu_s": c, "wall_s": wall, "problems": run.problems[:3], "deltas": run.deltas}
                )
        async with stream(port, timeout) as ws:  # the first page warm, in a new session, then again
            _, first = await sign_in_on(ws, pages[0])
            _, again, _ = await step(ws, s, pages[0])
        out["open_cpu_s"] = first - again  # opening a session (and signing in) beyond a page run
        out["warm_first_cpu_s"] = again
    return out


def cold_pages(url: str | None, pages: list[str], timeout: float, command: str, app_dir: Path = ROOT) -> dict:
    """``--cold-pages``: the cold CPU of every page for one leader on a fresh server."""
    import streamlit

    workdir = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    env, sign_in = server_env(url, workdir)
    env.pop("DASHBOARD_WARM", None)
    with one_process(env, workdir, app_dir) as served:
        pids = served.pids()
        started = _cpu(pids)
        result = asyncio.run(_page_by_page(served.port, pages, sign_in, timeout, lambda: _cpu(pids)))
        peak = _mem(pids, "VmHWM")
    shutil.rmtree(workdir, ignore_errors=True)
    first = result["pages"][0]
    first["cpu_without_sign_in_s"] = first["cpu_s"] - result["open_cpu_s"]
    return {
        "ledger": ledger_label(url),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "streamlit": streamlit.__version__,
        "app": app_label(app_dir),
        "command": command,
        "sign_in": sign_in,
        "load_before": os.getloadavg()[0],
        "server_start_cpu_s": started,
        "peak_rss_mb": peak,
        **result,
    }


def render_cold(r: dict) -> str:
    ok = all(not p["problems"] for p in r["pages"])
    lines = [
        f"{r['ledger']}, measured {r['date']} on {r['machine']}, app {r['app']}; `{r['command']}`"
        f"{' (every session signs in)' if r['sign_in'] else ''}; load before {r['load_before']:.1f}; "
        f"server start {r['server_start_cpu_s'] * 1000:,.0f} ms of CPU, start-up imports (the kick) "
        f"{r['imports_cpu_s'] * 1000:,.0f} ms; opening a session"
        f"{' and signing in' if r['sign_in'] else ''} {r['open_cpu_s'] * 1000:,.0f} ms beyond a page run"
        + ("" if ok else "; **a page drew an error**"),
        "",
        "| page | cold CPU (ms) | cold wall (ms) | elements |",
        "|---|---:|---:|---:|",
    ]
    for i, p in enumerate(r["pages"]):
        cpu = p.get("cpu_without_sign_in_s", p["cpu_s"]) if i == 0 else p["cpu_s"]
        note = " (the first page; without opening the session)" if i == 0 else ""
        lines.append(f"| {p['page']}{note} | {cpu * 1000:,.0f} | {p['wall_s'] * 1000:,.0f} | {p['deltas']} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- one process vs the proxy

PSTART, PEND = "<!-- concurrency-proxy:start -->", "<!-- concurrency-proxy:end -->"
PDATA_RE = re.compile(r"<!-- concurrency-proxy-run (\{.*?\}) -->")


def render_proxy(runs: list[dict], notes: str = "") -> str:
    lines = [
        PSTART,
        "## Through the proxy (`make serve`)",
        "",
        "The same rounds, in the same run, on one `streamlit run` process and on `make serve`'s shape "
        "(`deploy/serve.py`: N replicas behind HAProxy, sessions balanced by least connections, warming "
        "off so that the cold round is cold). Sessions connect to the proxy's port as a browser's "
        "websocket does. *cold*: the first round after start; *warm*: caches filled; the 50-session "
        "round opens the overview warm; *mixed*: sessions spread over every page (meeting screen "
        "included) and every scope (city and each area) at once — most of its views are opened for "
        "the first time, so it is partly cold. Server CPU: all replicas together ÷ sessions; peak RSS: "
        "the sum of the replicas' `VmHWM`. *Again*: each session then opens the same page a second "
        "time on its socket (a signed-in leader's next page run, no sign-in): its p95 and CPU ÷ sessions.",
        "",
        "| ledger | round | page | sessions | one process: ok | p50 (ms) | p95 (ms) | CPU/session (ms) "
        "| again: p95 (ms) | CPU/page run (ms) "
        "| proxy: replicas | ok | p50 (ms) | p95 (ms) | CPU/session (ms) | again: p95 (ms) | CPU/page run (ms) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        one, prox = r["one"], r["proxy"]
        for a, b in zip(one["rows"], prox["rows"], strict=True):

            def cells(row: dict) -> str:
                cpu = row["server_cpu_s"] * 1000 / max(row["sessions"], 1)
                return (
                    f"{row['ok']} | {row['p50_s'] * 1000:,.0f} | {row['p95_s'] * 1000:,.0f} | {cpu:,.0f} "
                    f"| {page_run_cells(row)}"
                )

            lines.append(
                f"| {one['ledger']} | {a['round']} | {a['page']} | {a['sessions']} | {cells(a)} "
                f"| {prox['replicas']} | {cells(b)} |"
            )
        signed = prox["rows"] if prox["sign_in"] else []
        signin = ", ".join(f"{row['round']} {row['page']} {row['signin_p50_s'] * 1000:,.0f} ms" for row in signed)
        lines.append("")
        loads = [row.get("load_before", float("nan")) for side in (one, prox) for row in side["rows"]]
        lines.append(
            f"- {one['ledger']}: measured {prox['date']} on {prox['machine']} (shared with other work: "
            f"1-min load average before the rounds {min(loads):.1f}–{max(loads):.1f}), streamlit "
            f"{prox['streamlit']}, app {prox['app']}; `{r['command']}`; peak RSS one process "
            f"{one['peak_rss_mb']:,.0f} MB, {prox['replicas']} replicas {prox['peak_rss_mb']:,.0f} MB in all"
            + (f"; sign-in (form drawn to submitted, p50, proxy): {signin}" if signin else "")
            + "."
        )
        lines.append("")
    if notes:
        lines.append(notes.rstrip("\n"))
        lines.append("")
    for r in runs:
        lines.append(f"<!-- concurrency-proxy-run {json.dumps(r, ensure_ascii=False)} -->")
    lines.append(PEND)
    return "\n".join(lines)


def write_proxy_docs(path: Path, result: dict) -> None:
    head, old, tail = doc_section(path, PSTART, PEND)
    runs = [json.loads(m) for m in PDATA_RE.findall(old)]
    runs = [r for r in runs if r["one"]["ledger"] != result["one"]["ledger"]] + [result]
    notes = NOTES_RE.search(old)
    path.write_text(head + render_proxy(runs, notes.group(0) if notes else "") + tail, encoding="utf-8")


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Page latency under N simultaneous sessions on one server.")
    ap.add_argument("--url", help="ledger URL (default: data/bench_k1.sqlite if present, else the embedded demo)")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2, help="1 cold round, then warm rounds")
    ap.add_argument("--pages", default="overview,contacts")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per session")
    ap.add_argument("--docs", default=str(DOCS), help="markdown file to update ('' for none)")
    ap.add_argument("--json", help="also write the full results (every session) here")
    ap.add_argument("--sign-in", action="store_true", help="serve a SQLite URL as a configured database too")
    ap.add_argument(
        "--proxy",
        type=int,
        default=0,
        metavar="N",
        help="also run every round through make serve's shape with N replicas and report both side by side",
    )
    ap.add_argument("--big", type=int, default=None, help="then this many sessions at once (default 50 with --proxy)")
    ap.add_argument("--mixed", type=int, default=None, help="then a round over all pages and areas (50 with --proxy)")
    ap.add_argument(
        "--app-dir",
        default=str(ROOT),
        help="run streamlit_app.py from this folder, e.g. a `git archive` export of a commit (default: this tree)",
    )
    ap.add_argument(
        "--cold-pages",
        action="store_true",
        help="instead: one leader opens every page in turn on a fresh server (cold CPU per page, imports apart)",
    )
    args = ap.parse_args(argv)
    url = args.url
    if url is None and K1.exists():
        url = f"sqlite:///{K1}"
    elif url is None:
        subprocess.run([sys.executable, "-m", "data_access.demo", "--ensure-default"], cwd=ROOT, check=True)
    shown = [a for a in (argv if argv is not None else sys.argv[1:])]
    for option in ("--json", "--docs"):  # where results go is not part of the measurement
        if option in shown and shown.index(option) + 1 < len(shown):
            i = shown.index(option)
            del shown[i : i + 2]
    command = "python -m bench.concurrency " + " ".join(shown)
    pages, app_dir = args.pages.split(","), Path(args.app_dir).resolve()
    if args.cold_pages:
        shown_pages = COLD_PAGES if args.pages == ap.get_default("pages") else pages
        cold = cold_pages(url, list(shown_pages), args.timeout, command.strip(), app_dir)
        if args.json:
            Path(args.json).write_text(json.dumps(cold, ensure_ascii=False, indent=1), encoding="utf-8")
        print(render_cold(cold))
        return 1 if any(p["problems"] for p in cold["pages"]) else 0
    big = args.big if args.big is not None else (50 if args.proxy else 0)
    mixed = args.mixed if args.mixed is not None else (50 if args.proxy else 0)
    common = (url, args.sessions, args.rounds, pages, args.timeout, command.strip(), args.sign_in, app_dir)
    if args.proxy:
        one = measure(*common, replicas=0, big=big, mixed=mixed)
        prox = measure(*common, replicas=args.proxy, big=big, mixed=mixed)
        sides = [one, prox]
        result = {"command": command.strip(), "one": one, "proxy": prox}
    else:
        result = measure(*common, big=big, mixed=mixed)
        sides = [result]
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    failed, workdirs = 0, []
    for side in sides:
        detail = side.pop("detail")
        workdirs.append(side.pop("workdir"))
        failed += sum(r["sessions"] - r["ok"] for r in detail)
    if args.docs:
        (write_proxy_docs if args.proxy else write_docs)(Path(args.docs), result)
    if failed:
        print(f"server logs and audit files kept in {', '.join(workdirs)}", file=sys.stderr)
    else:
        for w in workdirs:
            shutil.rmtree(w, ignore_errors=True)
    for side in sides:
        print(json.dumps({k: v for k, v in side.items() if k != "rows"}, ensure_ascii=False), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
