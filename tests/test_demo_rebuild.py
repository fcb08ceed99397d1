"""The embedded demo ledger is rebuilt when a table joined the schema after it was written."""

from __future__ import annotations

import shutil

import sqlalchemy as sa

from data_access.db import check_schema, make_engine
from data_access.demo import ensure_demo_database


def test_an_old_demo_file_without_a_new_table_is_rebuilt(tmp_path, sqlite_demo_path):
    old = tmp_path / "demo.sqlite"
    shutil.copy(sqlite_demo_path, old)
    engine = make_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE talent_activities"))  # as written before the table existed
    engine.dispose()
    assert ensure_demo_database(old) is True
    engine = make_engine(f"sqlite:///{old}")
    check_schema(engine)  # every table is there again
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM talent_activities")).scalar() > 0
    engine.dispose()
    assert [p.name for p in tmp_path.iterdir()] == ["demo.sqlite"]  # no temporary file left
    assert ensure_demo_database(old) is False  # complete now: left alone


def test_a_file_that_is_no_ledger_is_left_alone(tmp_path):
    other = tmp_path / "demo.sqlite"
    engine = make_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE unrelated (x INTEGER)"))
    engine.dispose()
    assert ensure_demo_database(other) is False  # the schema check will name what it lacks
    with make_engine(f"sqlite:///{other}").connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["unrelated"]
