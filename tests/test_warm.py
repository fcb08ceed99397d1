"""The server warms its common views itself (dashboard.warm, issue 22): after a start and
after the ledger changes, with nothing drawn for anyone, no audit row, and a token no other
process can present."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import subprocess
import sys
import time

from dashboard import navigation, warm
from data_access import audit
from data_access.db import make_engine
from tests.apptest_tools import access_file
from tests.browser import streamlit_server
from tests.conftest import ROOT

PASS_LINE = re.compile(r"dashboard\.warm: pass (\d+) warmed (\d+)/(\d+) views")


def test_targets_city_first_then_each_area():
    got = warm.targets(["", "contacts"], ["620102", "620103"])
    assert [(t.page, t.params) for t in got] == [
        ("", ()),
        ("contacts", ()),
        ("", (("area", "620102"),)),
        ("contacts", (("area", "620102"),)),
        ("", (("area", "620103"),)),
        ("contacts", (("area", "620103"),)),
    ]
    assert warm.targets(["", "contacts"], ["620102"], with_areas=False) == [warm.Target(""), warm.Target("contacts")]
    assert f"{warm.PARAM}={warm.TOKEN}" in got[0].query_string()
    with_districts = warm.targets([""], ["620102"], district_pages=["", "contacts"])
    assert [(t.page, t.params) for t in with_districts] == [
        ("", ()),
        ("", (("area", "620102"),)),
        ("", ((warm.AS_PARAM, "620102"),)),
        ("contacts", ((warm.AS_PARAM, "620102"),)),
    ]


def test_a_district_is_warmed_as_its_own_account():
    city = warm.user_for({})
    district = warm.user_for({warm.AS_PARAM: ["620122"]})
    assert city.role == "city" and city.scope.areas is None
    assert district.role == "district" and district.scope.areas == frozenset({"620122"})
    assert district.scope.key() != city.scope.key()
    assert city.source == district.source == "warm"


def test_only_this_process_token_warms():
    assert warm.is_warming({warm.PARAM: [warm.TOKEN]})
    for given in ([], [""], ["x"], [warm.TOKEN + "x"], [warm.TOKEN[:-1]]):
        assert not warm.is_warming({warm.PARAM: given})
    assert not warm.is_warming({})


def test_a_pass_steps_aside_while_others_run(monkeypatch):
    busy = iter([True, True, False, False, True, False])
    seen: list[str] = []
    monkeypatch.setattr(warm, "BUSY_WAIT_S", 0.0)
    monkeypatch.setattr(warm, "run_page", lambda port, target: seen.append(target.page) or target.page != "bad")
    waits = []

    def yield_to():
        waits.append(1)
        return next(busy)

    warm.warm_pass(1, [warm.Target("a"), warm.Target("bad"), warm.Target("c")], yield_to)
    assert seen == ["a", "bad", "c"]
    assert len(waits) == 6  # two waits before the first page, one before the third
    assert warm.REPORT.runs == 3 and warm.REPORT.failed == ["bad?"]


def _wait_for_pass(log, number: int, timeout_s: float) -> tuple[int, int]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for m in PASS_LINE.finditer(log.read_text(errors="replace")):
            if int(m.group(1)) == number:
                return int(m.group(2)), int(m.group(3))
        time.sleep(0.5)
    raise AssertionError(f"no warming pass {number} within {timeout_s} s:\n{log.read_text()[-3000:]}")


def test_the_server_warms_after_start_and_after_a_change(monkeypatch, tmp_path, sqlite_demo_path):
    """A configured (signed-in) server with warming on: the kick starts it, the first pass
    opens every page a city account sees without a failure, a change to the ledger starts a
    second pass, and neither the kick nor the warming leaves a row in the audit log."""
    db = tmp_path / "ledger.sqlite"
    shutil.copy(sqlite_demo_path, db)
    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    log = tmp_path / "server.log"
    env = {
        "DASHBOARD_WARM": "1",
        "DASHBOARD_WARM_AREAS": "0",  # city views only: the test's time
        "DASHBOARD_ACCESS_FILE": access_file(tmp_path),
        "AUDIT_DB_URL": audit_url,
    }
    with streamlit_server(f"sqlite:///{db}", demo=False, env=env, log_path=log) as base:
        port = int(base.rsplit(":", 1)[1])
        kicked = subprocess.run(
            [sys.executable, "-m", "dashboard.warm", "--kick", str(port)], cwd=ROOT, capture_output=True, timeout=120
        )
        assert kicked.returncode == 0, kicked.stderr.decode()
        warmed, total = _wait_for_pass(log, 1, 240)
        city_pages = len(navigation.specs(warm.USER))
        assert (warmed, total) == (city_pages, city_pages)

        with sqlite3.connect(db) as c:  # a change to the ledger: its fingerprint moves
            c.execute("DELETE FROM contacts WHERE id = (SELECT max(id) FROM contacts)")
        warmed, total = _wait_for_pass(log, 2, 240)
        assert (warmed, total) == (city_pages, city_pages)

    rows = []
    if (tmp_path / "audit.sqlite").exists():
        engine = make_engine(audit_url)
        rows = audit.fetch(engine, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        engine.dispose()
    assert len(rows) == 0, rows
    assert "Traceback" not in log.read_text(errors="replace")


def test_preload_loads_every_page_view_and_the_rollup_code_version():
    """The kick at start pays what the first leader's page would otherwise pay once per process."""
    import gc
    import inspect
    import sys
    from pathlib import Path

    from data_access import rollup_store

    views = {f"dashboard.{p.stem}" for p in (Path(__file__).parent.parent / "dashboard").glob("*_view.py")}
    source = inspect.getsource(warm.preload)
    assert all(f"        {name.rsplit('.', 1)[1]},\n" in source for name in views)  # each imported by name
    rollup_store.code_version.cache_clear()
    warm._preloaded.clear()
    warm.preload()
    assert views <= set(sys.modules) and "streamlit.emojis" in sys.modules
    assert rollup_store.code_version.cache_info().currsize == 1
    warm.preload()  # once per process
    assert rollup_store.code_version.cache_info().misses == 1
    gc.unfreeze()  # (the rest of the test session keeps its objects collectable)


def test_preload_freezes_what_start_up_made():
    """Start-up's objects leave the collector's walks; what is made after stays collectable."""
    import gc
    import weakref

    class Cycle:
        pass

    try:
        gc.unfreeze()
        warm._preloaded.clear()
        warm.preload()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        later = Cycle()
        later.me = later
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None  # a cycle made after the freeze is still collected
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def _fresh_preload() -> None:
    from dashboard import data

    data._engine.clear()
    warm._preloaded.clear()
    try:
        warm.preload()
    finally:
        import gc

        gc.unfreeze()


def test_preload_opens_the_service_database_once(monkeypatch, sqlite_demo_path):
    """The driver, the pool's first connection and the schema check are paid at start: the
    first page then finds the engine ready, and only its own queries run."""
    import sqlalchemy as sa

    from dashboard import data

    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(sa.Engine, "before_cursor_execute", count)
    try:
        data._engine.clear()
        data.engine()
        assert statements, "opening the engine checks the schema"
        statements.clear()
        _fresh_preload()
        assert any("sqlite_master" in s.lower() for s in statements)  # preload checked the schema
        statements.clear()
        opened = data.engine()
        assert statements == []  # the first page finds it ready
        assert opened.pool.checkedin() >= 1  # a connection waits in the pool
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", count)
        data._engine.clear()


def test_preload_goes_on_when_the_database_cannot_be_reached(monkeypatch, caplog):
    """A database down at start is no error at start: logged, the rest preloaded, and the
    first page shows the Chinese message (tests/test_bad_input.py)."""
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    with caplog.at_level("WARNING", logger="dashboard.warm"):
        _fresh_preload()
    assert warm._preloaded.is_set()
    assert any("could not be opened at start" in r.getMessage() for r in caplog.records)


def test_preload_builds_no_demo_ledger(monkeypatch, tmp_path):
    """An embedded demo not built yet is left to the first page (its spinner says so)."""
    monkeypatch.delenv("SERVICE_DB_URL", raising=False)
    monkeypatch.setenv("SERVICE_DEMO_DB", str(tmp_path / "not-yet.sqlite"))
    _fresh_preload()
    assert not (tmp_path / "not-yet.sqlite").exists()
