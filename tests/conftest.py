"""Fixtures: demo ledgers on SQLite and, where configured, on PostgreSQL and MariaDB/MySQL.

Each server suite creates a fresh database per run and drops it afterwards. Without
``TEST_POSTGRES_URL`` / ``TEST_MYSQL_URL`` (or without a reachable server) those suites are
skipped with the reason printed at the end; in CI (``CI=true``) that is a failure instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_access.db import make_engine
from data_access.demo import build_demo
from data_access.rollups import refresh as refresh_rollups

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
SERVER_VARS = {"postgresql": "TEST_POSTGRES_URL", "mysql": "TEST_MYSQL_URL"}
_NOT_RUN: dict[str, str] = {}


def unavailable(suite: str, reason: str) -> None:
    """Skip a suite that cannot run here, or fail in CI where it must run."""
    _NOT_RUN[suite] = reason
    if IN_CI:
        pytest.fail(f"{suite} suite must run in CI but cannot: {reason}", pytrace=False)
    pytest.skip(f"{suite} suite not run: {reason}")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _NOT_RUN:
        terminalreporter.section("suites not run on this machine")
        for suite, reason in sorted(_NOT_RUN.items()):
            terminalreporter.write_line(f"NOT RUN  {suite}: {reason}")


@pytest.fixture(scope="session")
def sqlite_demo_path(tmp_path_factory) -> Path:
    """One demo ledger file per test session, with its rollups (so the tests that compare
    figures with hand-written SQL check the rollup path; tests/test_rollups.py compares it
    with the raw path)."""
    path = tmp_path_factory.mktemp("ledger") / "demo.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    build_demo(engine)
    refresh_rollups(engine)
    engine.dispose()
    return path


def server_database(backend: str) -> Iterator[sa.Engine]:
    """Create a uniquely named database on the configured server, yield its engine, drop it."""
    var = SERVER_VARS[backend]
    server_url = os.environ.get(var, "").strip()
    if not server_url:
        unavailable(backend, f"{var} is not set")
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT", pool_pre_ping=False)
    name = f"svc_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                conn.execute(sa.text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
            else:
                conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        unavailable(
            backend,
            f"server at {make_url(server_url).render_as_string(hide_password=True)} is not reachable ({exc.orig})",
        )
    url = make_url(server_url).set(database=name)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            if backend == "postgresql":
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql", "mysql"])
def ledger(request, sqlite_demo_path) -> Iterator[sa.Engine]:
    """The demo ledger (scale 1) and its rollups on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{sqlite_demo_path}")
        yield engine
        engine.dispose()
        return
    gen = server_database(request.param)
    engine = next(gen)
    build_demo(engine)
    refresh_rollups(engine)
    yield engine
    gen.close()


@pytest.fixture
def conn(ledger) -> Iterator[sa.Connection]:
    with ledger.connect() as c:
        yield c


@pytest.fixture(autouse=True)
def _apptest_runs_the_entry_script(monkeypatch):
    """AppTest re-enters Streamlit's legacy "pages folder" mode on every run (our pages live
    in ``pages/``), and then re-runs only the page script after the first run. A running
    server leaves that mode for good at the first ``st.navigation`` call; make AppTest do
    the same, so every run executes the entry script as in the browser."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class NavigationOnly(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)
