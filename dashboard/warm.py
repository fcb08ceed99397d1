"""Warming: no leader meets a cold page.

After the server starts, and whenever the ledger's version (its fingerprint) changes, a
background thread of the server process opens the common views itself, as a browser would —
every page at city scope for the default period, then each district's view of every page,
then (on a configured ledger) every page as each district's own account sees it —
so their queries, the figures derived from them and the charts are cached before (or while)
the first leaders arrive. It speaks Streamlit's own websocket protocol to its own port, one
page at a time, and steps aside while anybody else's page is running: a leader's page is
never queued behind a warming run for longer than one run.

A warming session proves itself with a token made at process start that never leaves the
process (``warm_token=…`` in the session's query string); it reads as the city-wide account
:data:`USER`, draws nothing anyone sees and writes no audit rows (it is not a person's view).

Off unless ``DASHBOARD_WARM=1`` (``make run``, ``make serve`` and the systemd units set it;
tests and the benchmark choose). ``DASHBOARD_WARM_AREAS=0`` warms city views only.
"""

from __future__ import annotations

import gc
import hmac
import logging
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

ENV, ENV_AREAS = "DASHBOARD_WARM", "DASHBOARD_WARM_AREAS"
PARAM = "warm_token"
AS_PARAM = "warm_as"  # a district account's area: the run reads as that district's account
TOKEN = secrets.token_urlsafe(32)  # this process's only; never written anywhere
CHECK_EVERY_S = 10.0  # how often the ledger's version is compared (data.VERSION_TTL)
RUN_TIMEOUT_S = 300.0
MAX_RERUNS = 5  # a page that keeps rerunning is given up, not followed forever
BUSY_WAIT_S = 0.2  # while other sessions' pages run, look again after this long

_log = logging.getLogger(__name__)


def enabled() -> bool:
    return os.environ.get(ENV, "0") == "1"


def is_warming(params: dict[str, list[str]]) -> bool:
    """Whether a run belongs to this process's own warming session."""
    given = (params.get(PARAM) or [""])[0]
    return bool(given) and hmac.compare_digest(given.encode(), TOKEN.encode())


@dataclass(frozen=True)
class Target:
    page: str  # the page's URL path ("" for the overview at "/")
    params: tuple[tuple[str, str], ...] = ()

    def query_string(self) -> str:
        return urlencode([(PARAM, TOKEN), *self.params])


def targets(
    pages: Sequence[str], areas: Iterable[str], with_areas: bool = True, district_pages: Sequence[str] = ()
) -> list[Target]:
    """Every page at city scope first, then each area's view of every page, then (where
    district accounts exist) what each district's own account sees. A district account's
    results are cached under its own scope, never shared with a city account's view of the
    same area (a city-wide reference figure must not reach a district), so it is warmed
    as that account."""
    areas = list(areas)
    out = [Target(p) for p in pages]
    if with_areas:
        out += [Target(p, (("area", a),)) for a in areas for p in pages]
        out += [Target(p, ((AS_PARAM, a),)) for a in areas for p in district_pages]
    return out


@dataclass
class Report:
    """What the last warming pass did (read by the tests and the benchmark)."""

    version: str | None = None
    started: float | None = None
    finished: float | None = None
    runs: int = 0
    failed: list[str] = field(default_factory=list)
    passes: int = 0


REPORT = Report()


def run_page(port: int, target: Target, timeout: float = RUN_TIMEOUT_S) -> bool:
    """Open one page over the websocket as a browser tab would and wait for its run to end."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    msg = BackMsg()
    msg.rerun_script.query_string = target.query_string()
    msg.rerun_script.page_name = target.page
    msg.rerun_script.widget_states.SetInParent()
    deadline, reruns = time.monotonic() + timeout, 0
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=timeout,
        close_timeout=2,
    ) as ws:
        ws.send(msg.SerializeToString())
        while time.monotonic() < deadline:
            out = ForwardMsg()
            out.ParseFromString(ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if out.WhichOneof("type") == "script_finished":
                if out.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return True
                reruns += 1
                if out.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN or reruns > MAX_RERUNS:
                    return False
    return False


def others_running() -> bool:
    """Whether any session's script is running right now (the warmer's own included)."""
    from streamlit.runtime import get_instance

    try:
        mgr = get_instance()._session_mgr
        return any(s.session._state.name == "APP_IS_RUNNING" for s in mgr.list_active_sessions())
    except Exception:  # noqa: BLE001 - an internal Streamlit change: warm without yielding
        return False


def warm_pass(port: int, todo: Sequence[Target], yield_to: Callable[[], bool] = others_running) -> None:
    REPORT.started, REPORT.finished, REPORT.runs, REPORT.failed = time.time(), None, 0, []
    for target in todo:
        while yield_to():  # a leader's page first
            time.sleep(BUSY_WAIT_S)
        try:
            ok = run_page(port, target)
        except Exception as exc:  # noqa: BLE001 - a failed warm run is logged, never raised
            _log.warning("warming %s failed: %s", target, exc)
            ok = False
        REPORT.runs += 1
        if not ok:
            REPORT.failed.append(f"{target.page or 'overview'}?{urlencode(target.params)}")
    REPORT.finished = time.time()
    REPORT.passes += 1
    # One line in the server's log per pass (what the benchmark waits for).
    print(
        f"dashboard.warm: pass {REPORT.passes} warmed {REPORT.runs - len(REPORT.failed)}/{REPORT.runs} views"
        f" in {REPORT.finished - REPORT.started:.1f} s (ledger {REPORT.version})",
        file=sys.stderr,
        flush=True,
    )


def loop(port: int, version: Callable[[], str], todo: Callable[[], Sequence[Target]]) -> None:
    """Warm now, then again each time the ledger's version changes."""
    warmed = None
    while True:
        try:
            now = version()
            if now != warmed:
                REPORT.version = now
                warm_pass(port, todo())
                warmed = now
        except Exception as exc:  # noqa: BLE001 - the database away: try again later
            _log.warning("warming skipped: %s", exc)
        time.sleep(CHECK_EVERY_S)


_started = threading.Lock()
_thread: threading.Thread | None = None


def _user(area: str | None = None):
    from dashboard import auth, labels

    if area:
        return auth.User(f"warmer:{area}", labels.WARM_USER, "district", area=area, source="warm")
    return auth.User("warmer", labels.WARM_USER, "city", source="warm")


def user_for(params: dict[str, list[str]]):
    """The account a warming run reads as: the city-wide one, or a district's (``warm_as``)."""
    return _user((params.get(AS_PARAM) or [""])[0] or None)


def __getattr__(name: str):
    if name == "USER":  # the account a warming run reads as (built on first use: no import loop)
        return _user()
    raise AttributeError(name)


_preloaded = threading.Event()


def preload() -> None:
    """What any first page would otherwise pay once per process, paid at start instead: the
    page views' modules, the rollup code's version (a digest of the rollup builder's sources,
    which the ledger's version includes: ≈ 200 ms of parsing), the libraries Streamlit and
    the views load on first use, and the service database's driver, first connection and
    schema check; then freezes what start-up made out of the garbage
    collector's walks. Called by the kick ``make run`` and ``make serve`` send at
    start (and by the warmer); idempotent. Figures: docs/performance.md, *Cold pages*."""
    if _preloaded.is_set():
        return
    import streamlit.emojis  # noqa: F401 - loaded by the first segmented control otherwise

    from dashboard import (  # noqa: F401 - every page's view (tests/test_warm.py checks all are here)
        audit_view,
        branches_view,
        briefing_view,
        contacts_view,
        districts_view,
        groups_view,
        money_view,
        overview_view,
        screen_view,
        services_view,
        suggestions_view,
        talent_view,
    )
    from data_access import rollup_store

    rollup_store.code_version()
    _first_figure()
    _first_connection()
    # What start-up made (modules, classes, the libraries' tables: ~1M objects that live as
    # long as the process) leaves the cyclic collector's view. Each full collection walked
    # them all: 100-260 ms each, several in a cold page's run at K=20 (issue 22; gc.callbacks
    # timing). Only start-up's objects are frozen; what pages make later is collected as before.
    gc.collect()
    gc.freeze()
    _preloaded.set()


def _first_connection() -> None:
    """Open the service database once, as the first page would: import its driver and
    SQLAlchemy dialect (≈ 60 ms of psycopg and the PostgreSQL dialect on first use, py-spy of
    a cold K=20 总览, issue 22), make the pool's first connection (the dialect asks the server
    for its version and settings) and check the schema — what a process pays once. The
    figures themselves, and the reference data every page reads (数据截至, the areas, the
    ledger's version, cached for minutes or seconds), are left to the pages and the warmer.
    Nothing is built: an embedded demo not built yet is left to the first page's spinner. A
    database that cannot be read now is not an error here (it is logged); the first page
    says so in Chinese."""
    from dashboard import data
    from data_access.errors import DataAccessError

    try:
        cfg = data.config()
        if cfg.is_embedded_demo and not cfg.demo_path.exists():
            return
        data.engine()
    except DataAccessError as exc:
        _log.warning("warm.preload: the service database could not be opened at start: %s", exc)


def _first_figure() -> None:
    """Build and encode one throw-away figure with the traces and layout parts the charts use:
    plotly imports each property's validator on first use, ≈ 50 ms of the first chart a
    process draws (py-spy of a cold 总览 at K=20, issue 22)."""
    import plotly.graph_objects as go

    fig = go.Figure(
        [
            go.Bar(
                x=["a"],
                y=[1.0],
                text=["1"],
                textposition="none",
                marker_color=["#000000"],
                customdata=["a"],
                hovertemplate="%{y}",
                showlegend=False,
                orientation="v",
            ),
            go.Scatter(x=["a"], y=[1.0], mode="lines+markers+text", line={"dash": "dash"}, name="a"),
            go.Histogram(x=[1.0]),
        ]
    )
    fig.add_hline(y=1.0, line_dash="dash", line_color="#000000", line_width=2)
    fig.add_vline(x=0, line_dash="dash", line_color="#000000", line_width=2)
    fig.add_annotation(text="a", x=0, y=1.0, showarrow=False)
    fig.update_layout(
        title={"text": "a"},
        height=300,
        margin={"t": 10},
        legend={"orientation": "h"},
        hoverlabel={"align": "left"},
        xaxis={"tickangle": -40},
        yaxis={"tickformat": ".0%", "range": [0, 1]},
        bargap=0.3,
    )
    fig.to_json()


def start_once(port: int) -> bool:
    """From the entry script: warm this server's common views in the background (when
    :func:`enabled`): every page a city account sees, at the default period, then each area."""
    if not enabled():
        return False
    from dashboard import data, navigation

    def paths(user) -> list[str]:
        return ["" if spec.key == navigation.DEFAULT else spec.key for spec in navigation.specs(user)]

    def todo() -> list[Target]:
        codes = data.areas()["code"].tolist()
        # The embedded demo has no district accounts; a configured ledger may.
        districts = [] if data.config().is_embedded_demo or not codes else paths(_user(codes[0]))
        return targets(paths(_user()), codes, os.environ.get(ENV_AREAS, "1") == "1", districts)

    return start(int(port), data.ledger_version, todo)


def start(port: int, version: Callable[[], str], todo: Callable[[], Sequence[Target]]) -> bool:
    """Start the warming thread once per process (when :func:`enabled`)."""
    global _thread
    if not enabled():
        return False
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=loop, args=(port, version, todo), name="dashboard-warm", daemon=True)
            _thread.start()
    return True


def kick(port: int, timeout: float = 120.0) -> bool:
    """Wait for a freshly started server to answer, then open its first page once, so that
    its entry script runs and starts the warmer before any leader arrives (``make run`` and
    ``make serve`` run this beside each server). The kick carries this process's token, which
    the server does not know: its run loads what a first page would otherwise pay for once
    (:func:`preload`) and stops, drawing nothing and writing no audit."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode() == "ok":
                    break
        except OSError:
            time.sleep(0.5)
    else:
        return False
    try:
        run_page(port, Target(""), timeout=max(deadline - time.monotonic(), 10.0))
    except Exception as exc:  # noqa: BLE001 - the server answers health but not the page: say so
        print(f"dashboard.warm: could not open the first page: {exc}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Start a dashboard server's warmer (python -m dashboard.warm --kick PORT)")
    ap.add_argument("--kick", type=int, required=True, metavar="PORT")
    ap.add_argument("--timeout", type=float, default=120.0)
    sys.exit(0 if kick(ap.parse_args().kick, ap.parse_args().timeout) else 1)
