"""The app through AppTest: every registered page, with several filter combinations, shows
numbers equal to values computed independently from the database with plain SQL.

AppTest re-runs only the page script after the first run of an ``st.navigation`` app, so
every scenario starts a fresh AppTest (a fresh session), set up through the URL — which is
also how a pasted link arrives.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import labels, navigation
from dashboard.data import clear_caches
from data_access import schema
from data_access.db import make_engine
from tests import apptest_tools as tools
from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")
ALIVE = "p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)"


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()
    yield


def run_app(monkeypatch, url: str, params: dict | None = None) -> AppTest:
    tools.use_demo_ledger(monkeypatch, url)
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return tools.metrics(at)


def independent(url: str, year: int, areas: list[str] | None, categories: list[str] | None) -> dict:
    """The overview's headline figures, computed with hand-written SQL."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    where = [ALIVE]
    params: dict = {"start": start, "end": end}
    if areas:
        where.append("p.area_code IN :areas")
        params["areas"] = tuple(areas)
    if categories:
        where.append("p.category IN :cats")
        params["cats"] = tuple(categories)
    cond = " AND ".join(where)
    bind = [sa.bindparam("areas", expanding=True)] if areas else []
    bind += [sa.bindparam("cats", expanding=True)] if categories else []

    def q(sql):
        return sa.text(sql).bindparams(*[b for b in bind if b.key in sql])

    with make_engine(url).connect() as c:
        counts = dict(
            c.execute(q(f"SELECT p.category, COUNT(*) FROM people p WHERE {cond} GROUP BY p.category"), params).all()
        )
        reached = c.execute(
            q(f"""SELECT COUNT(*) FROM people p WHERE {cond} AND EXISTS (SELECT 1 FROM contacts c
            WHERE c.person_id = p.id AND c.contact_date >= :start AND c.contact_date < :end)"""),
            params,
        ).scalar()
        area_cond = "AND b.area_code IN :areas" if areas else ""
        branches = c.execute(
            q(f"""SELECT COUNT(*) FROM party_branches b WHERE b.founded_on < :end
            AND (b.closed_on IS NULL OR b.closed_on >= :end) {area_cond}"""),
            params,
        ).scalar()
        pcond = " AND ".join(w for w in where[1:]) or "1 = 1"
        aid = c.execute(
            q(f"""SELECT COUNT(DISTINCT d.person_id), COALESCE(SUM(d.amount), 0) FROM disbursements d
            JOIN people p ON p.id = d.person_id WHERE d.category = 'hardship_aid' AND d.form = 'cash'
            AND d.paid_on >= :start AND d.paid_on < :end AND {pcond}"""),
            params,
        ).one()
    total = sum(counts.values())
    return {
        "counts": counts,
        "reached": reached,
        "coverage": reached / total,
        "branches": branches,
        "aid": (aid[0], float(aid[1])),
    }


SCENARIOS = [
    pytest.param({}, 2020, None, None, id="default"),
    pytest.param({"area": ["620102"]}, 2020, ["620102"], None, id="one-area"),
    pytest.param({"category": ["veteran"]}, 2020, None, ["veteran"], id="one-category"),
    pytest.param({"year": "2019"}, 2019, None, None, id="past-year"),
    pytest.param(
        {"year": "2019", "area": ["620122", "city"], "category": ["survivor", "veteran"]},
        2019,
        ["620122", "city"],
        ["survivor", "veteran"],
        id="combined",
    ),
]


@pytest.mark.parametrize(("params", "year", "areas", "categories"), SCENARIOS)
def test_overview_figures_equal_independent_sql(monkeypatch, sqlite_demo_path, params, year, areas, categories):
    url = f"sqlite:///{sqlite_demo_path}"
    at = run_app(monkeypatch, url, params)
    assert not at.exception and not at.error
    want = independent(url, year, areas, categories)
    shown = metrics(at)
    for label, cat in (("离休干部", "veteran"), ("退休干部", "retiree"), ("遗属", "survivor")):
        assert shown[label][0] == f"{want['counts'].get(cat, 0):,} 人"
    assert (
        shown["联系覆盖率"][0] == f"已联系 {want['reached']:,} 人 · {want['coverage'] * 100:.1f}%"
    )  # the count beside
    assert shown["离退休干部党支部"][0] == f"{want['branches']:,} 个"
    assert shown["特困帮扶"][0] == f"{want['aid'][0]:,} 人"
    assert any("数据截至 2020-12-31" in c.value for c in at.caption)
    assert all(m.help for m in at.metric), "every figure carries its 口径"


def test_report_figures_on_the_overview(monkeypatch, sqlite_demo_path):
    at = run_app(monkeypatch, f"sqlite:///{sqlite_demo_path}", {"year": "2019"})
    shown = metrics(at)
    assert shown["离休干部"][0] == "703 人" and shown["退休干部"][0] == "32,197 人" and shown["遗属"][0] == "356 人"
    assert tools.without_yoy(shown["重点对象联系覆盖率"]) == ("已联系 625 人 · 100.0%", "✔ 达标（目标 100%）")
    assert shown["离退休干部党支部"][0] == "318 个"
    assert tools.without_yoy(shown["离退休党员任书记比例"]) == ("离退休党员任书记 270 个 · 84.9%", "共 318 个支部")
    at20 = run_app(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    s20 = metrics(at20)
    assert tools.without_yoy(s20["重点对象联系覆盖率"])[1] == "▼ 未达标：还差 3 人"
    assert s20["特困帮扶"][0] == "182 人" and s20["特困帮扶"][1].startswith("45.00 万元")
    assert s20["慰问品（实物）"][0] == "3.50 万元"
    assert s20["离休干部"][1] == "-46 人（同比）"


def test_url_round_trip_restores_the_view(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    first = run_app(monkeypatch, url, {"year": "2019", "area": ["620103"], "level": "district", "tier": ["1", "2"]})
    written = {k: first.query_params[k] for k in first.query_params}
    assert written["year"] in ("2019", ["2019"]) and "level" in written
    second = run_app(monkeypatch, url, written)  # a fresh session opening the pasted link
    assert metrics(second) == metrics(first)
    assert second.session_state["f_areas"] == ["620103"]
    assert second.session_state["f_tiers"] == [1, 2]


def test_bad_url_values_give_a_notice_and_the_page_renders(monkeypatch, sqlite_demo_path):
    at = run_app(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        {"area": ["bogus", "620102"], "year": "20x9", "category": ["cadre"], "start": "2020-02-30"},
    )
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    for bad in ("bogus", "20x9", "cadre", "2020-02-30"):
        assert bad in notices
    assert metrics(at)["离休干部"][0]  # the page still shows its figures
    assert at.session_state["f_areas"] == ["620102"]


def test_every_registered_page_runs(monkeypatch, sqlite_demo_path):
    for spec in navigation.PAGES:
        tools.use_demo_ledger(monkeypatch, f"sqlite:///{sqlite_demo_path}")
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        if spec.path != navigation.PAGES[0].path:
            at.switch_page(spec.path).run()
        assert not at.exception, spec.key
        if spec.key in navigation.KIOSK_PAGES:  # the meeting screen draws its own title
            assert any("meeting-screen" in h.proto.body for h in at.get("html"))
        else:
            assert at.title[0].value == labels.PAGE_TITLES[spec.key]


def test_empty_database_gives_a_message(monkeypatch, tmp_path):
    path = tmp_path / "empty.sqlite"
    schema.Base.metadata.create_all(make_engine(f"sqlite:///{path}"))
    at = run_app(monkeypatch, f"sqlite:///{path}")
    assert not at.exception
    assert "还没有任何业务记录" in at.error[0].value


def test_missing_tables_give_a_message(monkeypatch, tmp_path):
    blank = tmp_path / "blank.sqlite"
    with make_engine(f"sqlite:///{blank}").connect() as c:  # a database file without the ledger's tables
        c.execute(sa.text("CREATE TABLE unrelated (x INTEGER)"))
        c.commit()
    at = run_app(monkeypatch, f"sqlite:///{blank}")
    assert not at.exception
    assert "缺少必需的表" in at.error[0].value


def test_unreachable_server_gives_a_message(monkeypatch, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SERVICE_DB_URL", f"postgresql+psycopg://u:pw@127.0.0.1:{port}/ledger")
    at = tools.signed_in(monkeypatch, tmp_path, "leader")
    assert not at.exception
    assert "无法连接服务数据库" in at.error[0].value
