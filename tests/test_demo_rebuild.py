"""The embedded demo ledger is built only where no file is; an existing file is never replaced."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from dashboard.data import clear_caches
from data_access.db import check_schema, make_engine
from data_access.demo import ensure_demo_database
from data_access.errors import SchemaError


def test_an_existing_file_with_a_table_missing_is_never_replaced(tmp_path, sqlite_demo_path, monkeypatch):
    """SERVICE_DEMO_DB pointed at an existing file that lacks a table: the file is left as it
    is (never swapped for the synthetic demo), and the dashboard names the missing table
    instead of serving anything without sign-in."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests import apptest_tools as tools

    old = tmp_path / "demo.sqlite"
    shutil.copy(sqlite_demo_path, old)
    engine = make_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE talent_activities"))
        conn.execute(sa.text("CREATE TABLE mine (note TEXT)"))  # the owner's own data
        conn.execute(sa.text("INSERT INTO mine VALUES ('keep me')"))
    engine.dispose()
    before = old.read_bytes()
    assert ensure_demo_database(old) is False
    clear_caches()
    st.cache_resource.clear()
    tools.use_demo_ledger(monkeypatch, f"sqlite:///{old}")
    at = AppTest.from_file(tools.APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.metric  # nothing served
    assert any("talent_activities" in e.value for e in at.error)  # the schema check names it
    assert old.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["demo.sqlite"]
    with pytest.raises(SchemaError):
        check_schema(make_engine(f"sqlite:///{old}"))
    clear_caches()
    st.cache_resource.clear()


def test_a_missing_file_is_built(tmp_path, monkeypatch):
    import data_access.demo as demo

    built = []

    def fake_build(engine):  # fast: a file, not a ledger
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE built (x INTEGER)"))
        built.append(engine.url)

    monkeypatch.setattr(demo, "build_demo", fake_build)
    monkeypatch.setattr("data_access.rollups.refresh", lambda engine: None)  # (no ledger to roll up)
    target = tmp_path / "sub" / "demo.sqlite"
    assert ensure_demo_database(target) is True and target.exists() and built
    assert [p.name for p in target.parent.iterdir()] == ["demo.sqlite"]  # no temporary file left
    assert ensure_demo_database(target) is False


def test_a_file_that_is_no_ledger_is_left_alone(tmp_path):
    other = tmp_path / "demo.sqlite"
    engine = make_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE unrelated (x INTEGER)"))
    engine.dispose()
    assert ensure_demo_database(other) is False  # the schema check will name what it lacks
    with make_engine(f"sqlite:///{other}").connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["unrelated"]
