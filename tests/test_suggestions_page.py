"""The 建言献计 page through AppTest: KPIs equal pandas over the raw rows; drill to a
department by a bar click and by a link; bad links give a notice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dashboard.data import clear_caches
from data_access.db import make_engine
from tests import apptest_tools as tools
from tests.test_suggestions import expected, raw

PAGE = "pages/suggestions.py"
AS_OF = dt.date(2020, 12, 31)


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def independent(path, areas=None) -> dict:
    with make_engine(f"sqlite:///{path}").connect() as c:
        df = raw(c)
    if areas:
        df = df[df["area_code"].isin(areas)]
    return expected(df, dt.date(2020, 1, 1), AS_OF)


@pytest.mark.parametrize("areas", [None, ["620122"], ["city", "620102"]])
def test_kpis_equal_the_independent_computation(monkeypatch, sqlite_demo_path, areas):
    params = {"area": areas} if areas else {}
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE, params)
    exp = independent(sqlite_demo_path, areas)
    shown = tools.metrics(at)
    assert shown["收到建议"][0] == f"{exp['received']:,} 件"
    assert shown["按期答复率"] == (
        f"按期答复 {exp['on_time']:,} 件 · {exp['on_time'] / exp['due'] * 100:.1f}%",
        f"按期 {exp['on_time']}/{exp['due']} 件",
    )
    assert shown["平均答复天数"][0] == f"{np.mean(exp['days']):.1f} 天"
    assert shown["在办建议"][0] == f"{exp['open']:,} 件"
    assert shown["逾期未答复"] == (f"{exp['overdue']:,} 件", f"本期收到 {exp['overdue_received']} 件")
    overdue = tools.frame(at, "建言人", "区域", "建议主题", "承办部门")
    assert len(overdue) == exp["overdue"]
    assert overdue["建言人"].str.contains(r"\*").all()
    assert list(overdue["逾期天数"]) == sorted(overdue["逾期天数"], reverse=True)
    by_dept = tools.frame(at, "承办部门", "收到（件）")
    assert int(by_dept["收到（件）"].sum()) == exp["received"]
    assert int(by_dept["逾期未答复（件）"].sum()) == exp["overdue"]


def test_drill_to_a_department_by_clicking_its_bar(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE)
    by_dept = tools.frame(at, "承办部门", "收到（件）").set_index("承办部门")
    dept = "市财政局"
    tools.select_point(at, "sg_department_chart", dept)
    assert at.query_params["drill_category"] in (dept, [dept])
    listed = tools.frame(at, "建言人", "区域", "建议主题", "办理状态")
    assert listed["建言人"].str.contains(r"\*").all()
    assert (listed["收到时间"] == "本期").sum() == int(by_dept.loc[dept, "收到（件）"])
    assert (listed["办理状态"] == "▲ 逾期未答复").sum() == int(by_dept.loc[dept, "逾期未答复（件）"])
    shown = tools.metrics(at)
    assert shown["收到建议"][0] == f"{int(by_dept.loc[dept, '收到（件）']):,} 件"
    assert shown["逾期未答复"][0] == f"{int(by_dept.loc[dept, '逾期未答复（件）']):,} 件"


def test_drill_by_link_and_bad_values(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_category": "市民政局"})
    listed = tools.frame(at, "建言人", "区域", "建议主题", "办理状态")
    assert len(listed) > 0 and not at.warning
    bad = tools.open_page(monkeypatch, url, PAGE, {"drill_category": "fireworks", "drill_area": "620122"})
    warnings = [w.value for w in bad.warning]
    assert any("fireworks" in w for w in warnings) and any("620122" in w for w in warnings)
    tools.frame(bad, "承办部门", "收到（件）")  # fell back to the page's top level


def test_a_district_account_sees_only_its_area(monkeypatch, tmp_path, sqlite_demo_path):
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", PAGE)
    assert not at.exception
    exp = independent(sqlite_demo_path, ["620122"])
    assert tools.metrics(at)["收到建议"][0] == f"{exp['received']:,} 件"
    overdue = tools.frame(at, "建言人", "区域", "建议主题", "承办部门")
    assert set(overdue["区域"]) <= {"皋兰县"}


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.suggestions_view",
        {"_department_parts", "_overdue_rows", "_area_topic_rows", "_monthly"},
    )
