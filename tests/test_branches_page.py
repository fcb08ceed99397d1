"""The 党支部 page through AppTest: the report's figures, drill by chart and row selection."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard import drill
from dashboard.data import clear_caches
from data_access.db import make_engine
from tests import apptest_tools as tools

PAGE = "pages/branches.py"


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def test_report_figures_at_the_snapshot(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE, {"year": "2019"})
    shown = tools.metrics(at)
    assert shown["离退休干部党支部"] == ("318 个", "市直 / 临时 / 区县：171 / 61 / 86")
    assert shown["服务党员"][0] == "11,000 人"
    assert shown["离退休党员任书记比例"] == ("离退休党员任书记 270 个 · 84.9%", "共 318 个支部")
    kinds = tools.frame(at, "支部类型", "支部（个）")
    assert dict(zip(kinds["支部类型"], kinds["支部（个）"])) == {"市直机关事业单位": 171, "临时党支部": 61, "区县": 86}


def test_gap_list_matches_completion(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE)
    gaps = tools.frame(at, "支部名称", "区域", "支部类型", "党员（人）", "应开展月数")
    assert len(gaps) > 0
    assert (gaps["已开展月数"] < gaps["应开展月数"]).all()
    assert f"{len(gaps):,} 个支部有缺项" == tools.metrics(at)["组织生活完成率"][1]


def test_drill_area_then_branch(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    tools.select_point(at, "branch_area_chart", "620123")
    assert at.query_params["drill_area"] in ("620123", ["620123"])
    listed = tools.frame(at, "支部名称", "支部类型", "单位")
    end = dt.date(2021, 1, 1)
    with make_engine(url).connect() as c:
        ids = c.execute(
            sa.text("""SELECT id, name FROM party_branches WHERE area_code = '620123' AND founded_on < :end
            AND (closed_on IS NULL OR closed_on >= :end) ORDER BY kind, id"""),
            {"end": end},
        ).all()
        first_id, first_name = ids[0]
        members = c.execute(
            sa.text("""SELECT COUNT(*) FROM people WHERE branch_id = :b AND party_status IS NOT NULL
            AND entry_date < :end AND (death_date IS NULL OR death_date >= :end)"""),
            {"b": first_id, "end": end},
        ).scalar()
    assert sorted(listed["支部名称"]) == sorted(n for _, n in ids)
    # A row selection opens the branch (the same URL a click writes).
    detail = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620123", "drill_unit": str(first_id)})
    # (each crumb once, by name: a branch named after its area is shortened, issue 26)
    short = drill.levels(["榆中县", first_name])[-1]
    assert any(short in m.value for m in detail.markdown)
    composition = tools.frame(detail, "人员类别", "党员（人）")
    assert int(composition["党员（人）"].sum()) == members


def test_branch_outside_the_area_is_refused(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    with make_engine(url).connect() as c:
        other = c.execute(sa.text("SELECT id FROM party_branches WHERE area_code = 'city' ORDER BY id")).scalar()
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620123", "drill_unit": str(other)})
    assert any(str(other) in w.value for w in at.warning)
    tools.frame(at, "支部名称", "支部类型", "单位")  # back at the area's branch list


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.branches_view",
        {"branch_table", "_kpi_figures", "_structure", "_gap_rows", "_org_life_months", "_changes"},
    )


def test_a_warm_branch_detail_derives_nothing_again(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    with make_engine(url).connect() as c:
        branch = c.execute(
            sa.text("""SELECT id FROM party_branches WHERE area_code = '620123' AND founded_on < :end
            AND (closed_on IS NULL OR closed_on >= :end) ORDER BY id"""),
            {"end": dt.date(2021, 1, 1)},
        ).scalar()
    clear_caches()
    computed = tools.Computed(monkeypatch)
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620123", "drill_unit": str(branch)})
    assert {"branch_table", "_branch_detail"} <= computed.derived("dashboard.branches_view")
    tools.frame(at, "人员类别", "党员（人）")
    computed.names.clear()
    at.run()
    assert not at.exception
    assert computed.names == []
