"""The 银发人才库 page through AppTest: KPIs equal pandas over the raw rows; drill area →
field → the masked member list by bar clicks and by a link; bad links give a notice."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.data import clear_caches
from data_access.db import make_engine
from tests import apptest_tools as tools
from tests.test_talent import activities, entries, in_pool, member_activities

PAGE = "pages/talent.py"
START, END = dt.date(2020, 1, 1), dt.date(2021, 1, 1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def independent(path, areas=None) -> dict:
    with make_engine(f"sqlite:///{path}").connect() as c:
        ent, act = entries(c), activities(c)
    if areas:
        ent = ent[ent["area_code"].isin(areas)]
    pool = ent[in_pool(ent, END)]
    members = member_activities(ent, act, START, END)
    took = set(pool["person_id"]) & set(members["person_id"])
    return {
        "pool": pool["person_id"].nunique(),
        "joined": ent[ent["joined_on"].map(lambda d: START <= d < END)]["person_id"].nunique(),
        "left": ent[ent["left_on"].map(lambda d: d is not None and START <= d < END)]["person_id"].nunique(),
        "activities": members["id"].nunique(),
        "people": members["person_id"].nunique(),
        "participants": len(took),
        "by_field": pool.groupby("field")["person_id"].nunique().to_dict(),
    }


@pytest.mark.parametrize("areas", [None, ["620122"]])
def test_kpis_equal_the_independent_computation(monkeypatch, sqlite_demo_path, areas):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE, {"area": areas} if areas else {})
    exp = independent(sqlite_demo_path, areas)
    shown = tools.metrics(at)
    assert shown["期末在库人数"][0] == f"{exp['pool']:,} 人"
    assert shown["本期入库"][0] == f"{exp['joined']:,} 人"
    assert shown["本期出库"][0] == f"{exp['left']:,} 人"
    # Two different counts in two different words (issue 26 item 4 named "712 人参加" beside
    # "702 人"): everyone who took part, and of the pool at the period's end those who did.
    assert shown["本期活动（人次）"] == (f"{exp['activities']:,}", f"{exp['people']:,} 人参加（含期内已出库）")
    assert shown["参与率"] == (
        f"期末在库者中参加 {exp['participants']:,} 人 · {exp['participants'] / exp['pool'] * 100:.1f}%",
        f"{exp['participants']:,}/{exp['pool']:,} 人",
    )
    fields = tools.frame(at, "专业领域", "期末在库（人）", "本期入库（人）")
    for value in fields["期末在库（人）"]:  # a viewer with lists of people sees every figure
        assert int(str(value).replace(",", "")) >= 0
    if not areas:
        code = {"科技": "technology", "教育": "education", "医疗卫生": "medicine"}
        for name, value in zip(fields["专业领域"], fields["期末在库（人）"]):
            if name in code:
                assert int(str(value).replace(",", "")) == exp["by_field"][code[name]]


def test_drill_area_field_members_by_clicks(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE)
    tools.select_point(at, "tl_area_chart", "620102")
    assert at.query_params["drill_area"] in ("620102", ["620102"])
    tools.select_point(at, "tl_field_chart", "education")
    assert at.query_params["drill_category"] in ("education", ["education"])
    listed = tools.frame(at, "姓名", "年龄", "专业领域", "区域")
    exp = independent(sqlite_demo_path, ["620102"])
    assert len(listed) == exp["by_field"]["education"]
    assert set(listed["区域"]) == {"城关区"} and set(listed["专业领域"]) == {"教育"}
    assert listed["姓名"].str.contains(r"\*").all()


def test_small_cells_are_suppressed_in_an_area(monkeypatch, tmp_path, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.hiding_small_cells(monkeypatch, tmp_path, url, PAGE, {"drill_area": "620122"})
    table = tools.frame(at, "专业领域", "期末在库（人）", "参加活动（人）")
    values = [v for v in table["期末在库（人）"] if v not in ("<5", "（已隐藏）", 0, "0")]
    assert "<5" in set(table["期末在库（人）"])
    assert all(int(v) >= 5 for v in values)


def test_bad_drill_values_give_a_notice(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620122", "drill_category": "astrology"})
    assert any("astrology" in w.value for w in at.warning)
    tools.frame(at, "专业领域", "期末在库（人）", "参加活动（人）")  # the area level renders
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "999999"})
    assert any("999999" in w.value for w in at.warning)
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_category": "education"})  # a field needs an area
    assert any("education" in w.value for w in at.warning)


def test_area_by_field_table_hides_small_cells_for_good(monkeypatch, tmp_path, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.hiding_small_cells(monkeypatch, tmp_path, url, PAGE)
    cross = tools.frame(at, "区域", "合计（人）").set_index("区域").drop(columns="合计（人）")
    hidden = cross.isin(["<5", "（已隐藏）"])
    assert cross.eq("<5").to_numpy().any()
    assert not (hidden.sum(axis=1) == 1).any() and not (hidden.sum(axis=0) == 1).any()
    shown = [int(str(v).replace(",", "")) for v in cross.to_numpy().ravel() if v not in ("<5", "（已隐藏）")]
    assert not [v for v in shown if 0 < v < 5]
    exp = independent(sqlite_demo_path)
    totals = tools.frame(at, "区域", "合计（人）")["合计（人）"].astype(int).sum()
    assert totals == exp["pool"]  # one field per person in the demo: areas add up to the pool


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.talent_view",
        {"_area_bars", "_area_field_rows", "_structure_parts", "_activity_parts", "_trend_parts"},
    )
