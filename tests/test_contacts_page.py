"""The 联系覆盖 page through AppTest: values against independent SQL, and the drill-down
driven by a simulated chart selection (the same event a click in the browser sends)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.data import clear_caches
from data_access import rules
from data_access.db import make_engine
from tests import apptest_tools as tools

PAGE = "pages/contacts.py"


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def open_page(monkeypatch, url: str, params: dict | None = None) -> AppTest:
    return tools.open_page(monkeypatch, url, PAGE, params)


select_point, frame, metrics = tools.select_point, tools.frame, tools.metrics


def test_key_cohort_625_at_full_coverage_in_2019(monkeypatch, sqlite_demo_path):
    at = open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", {"year": "2019"})
    shown = metrics(at)
    assert shown["重点对象联系覆盖率"] == ("已联系 625 人 · 100.0%", "✔ 达标（目标 100%）")
    with make_engine(f"sqlite:///{sqlite_demo_path}").connect() as c:
        end = dt.date(2020, 1, 1)
        pop, reached = c.execute(
            sa.text("""SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM contacts x
            WHERE x.person_id = p.id AND x.contact_date >= '2019-01-01' AND x.contact_date < :end) THEN 1 ELSE 0 END)
            FROM people p WHERE p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)"""),
            {"end": end},
        ).one()
    assert shown["联系覆盖率"][0] == f"已联系 {reached:,} 人 · {reached / pop * 100:.1f}%"
    assert shown["联系覆盖率"][1] == f"未联系 {pop - reached:,} 人"


def test_lagging_district_visible_in_2020(monkeypatch, sqlite_demo_path):
    at = open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    assert metrics(at)["重点对象联系覆盖率"][1] == "▼ 未达标：还差 3 人"
    by_area = frame(at, "区域", "在册人数")
    cov = dict(zip(by_area["区域"], by_area["联系覆盖率"]))
    city = metrics(at)["联系覆盖率"][0].split(" · ")[-1]
    assert float(cov["皋兰县"].rstrip("%")) <= float(city.rstrip("%")) - rules.LAG * 100
    overdue = frame(at, "姓名", "区域", "单位")
    assert f"{len(overdue):,} 人" == metrics(at)["逾期未联系"][0]
    assert overdue["姓名"].str.contains(r"\*").all()
    assert list(overdue["逾期天数"]) == sorted(overdue["逾期天数"], reverse=True)


def test_drill_area_then_unit_by_chart_selection(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = open_page(monkeypatch, url)
    select_point(at, "area_chart", "620122")
    assert at.query_params["drill_area"] in ("620122", ["620122"])
    assert any("皋兰县" in m.value for m in at.markdown)  # breadcrumb
    units = frame(at, "单位", "在册人数")
    assert units["单位"].str.startswith("皋兰县").all()
    with make_engine(url).connect() as c:
        end = dt.date(2021, 1, 1)
        first = c.execute(
            sa.text("""SELECT u.id, u.name, COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id
            WHERE p.area_code = '620122' AND p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)
            GROUP BY u.id, u.name ORDER BY u.id"""),
            {"end": end},
        ).first()
    unit_id, unit_name, population = first
    assert int(units.set_index("单位").loc[unit_name, "在册人数"]) == population
    select_point(at, "unit_chart", str(unit_id))
    assert at.query_params["drill_unit"] in (str(unit_id), [str(unit_id)])
    people = frame(at, "姓名", "人员类别", "服务等级")
    assert len(people) == population
    assert people["姓名"].str.contains(r"\*").all()
    # Global filters stay applied all the way down.
    assert any("当前视图：2020 年" in c.value for c in at.caption)


def test_drill_link_and_bad_drill_values(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = open_page(monkeypatch, url, {"drill_area": "620123"})
    assert "榆中县" in frame(at, "单位", "在册人数")["单位"].iloc[0]
    bad = open_page(monkeypatch, url, {"drill_area": "999999"})
    assert any("999999" in w.value for w in bad.warning)
    assert len(frame(bad, "区域", "在册人数")) == 9  # back at the city level
    outside = open_page(monkeypatch, url, {"area": "620102", "drill_area": "620122"})
    assert any("620122" in w.value for w in outside.warning)
    unknown_unit = open_page(monkeypatch, url, {"drill_area": "620122", "drill_unit": "1"})
    assert any("下钻单位 1" in w.value for w in unknown_unit.warning)


def test_csv_of_the_overdue_list_matches_the_table(monkeypatch, sqlite_demo_path):
    from dashboard.export import csv_bytes

    at = open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", {"area": "620122"})
    table = frame(at, "姓名", "区域", "单位")
    data = csv_bytes(table)
    lines = data[3:].decode("utf-8").splitlines()
    assert data.startswith(b"\xef\xbb\xbf") and len(lines) == len(table) + 1
    assert lines[0].split(",")[:3] == ["姓名", "区域", "单位"]


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        "pages/contacts.py",
        "dashboard.contacts_view",
        {"_kpi_figures", "_by_category", "_by_area", "_cadence", "_visits", "_activity"},
    )
