"""The first screen through AppTest: shown numbers equal independent computations."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import schema
from data_access.db import make_engine
from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


def run_app(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_first_screen_shows_true_figures(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = run_app(monkeypatch, url)
    assert not at.exception
    assert not at.error
    # Independent computation for the as-of year (2020) with plain SQL.
    end = dt.date(2021, 1, 1)
    alive = "entry_date < :end AND (death_date IS NULL OR death_date >= :end)"
    with make_engine(url).connect() as conn:
        counts = dict(
            conn.execute(
                sa.text(f"SELECT category, COUNT(*) FROM people WHERE {alive} GROUP BY category"), {"end": end}
            ).all()
        )
        before = dict(
            conn.execute(
                sa.text(f"SELECT category, COUNT(*) FROM people WHERE {alive} GROUP BY category"),
                {"end": dt.date(2020, 1, 1)},
            ).all()
        )
        branches = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM party_branches WHERE founded_on < :end "
                "AND (closed_on IS NULL OR closed_on >= :end)"
            ),
            {"end": end},
        ).scalar()
    shown = metrics(at)
    assert shown["离休干部"][0] == f"{counts['veteran']:,} 人"
    assert shown["退休干部"][0] == f"{counts['retiree']:,} 人"
    assert shown["遗属"][0] == f"{counts['survivor']:,} 人"
    assert shown["离休干部"][1] == f"同比 {counts['veteran'] - before['veteran']:+,} 人"
    assert shown["离退休干部党支部"][0] == f"{branches:,} 个"
    assert shown["重点对象联系覆盖率"][1] == "▼ 未达标：还差 3 人"
    assert shown["特困帮扶"] == ("182 人", "45.00 万元")
    assert shown["慰问品（实物）"][0] == "3.50 万元"
    assert any("数据截至 2020-12-31" in c.value for c in at.caption)
    # Every headline figure carries its definition (口径) as help text.
    assert all(m.help for m in at.metric)


def test_empty_database_gives_a_message(monkeypatch, tmp_path):
    path = tmp_path / "empty.sqlite"
    schema.Base.metadata.create_all(make_engine(f"sqlite:///{path}"))
    at = run_app(monkeypatch, f"sqlite:///{path}")
    assert not at.exception
    assert "还没有任何业务记录" in at.error[0].value


def test_missing_tables_give_a_message(monkeypatch, tmp_path):
    at = run_app(monkeypatch, f"sqlite:///{tmp_path / 'blank.sqlite'}")
    assert not at.exception
    assert "缺少必需的表" in at.error[0].value


def test_unreachable_server_gives_a_message(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = run_app(monkeypatch, f"postgresql+psycopg://u:pw@127.0.0.1:{port}/ledger")
    assert not at.exception
    assert "无法连接服务数据库" in at.error[0].value


@pytest.fixture(autouse=True)
def _clear_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
