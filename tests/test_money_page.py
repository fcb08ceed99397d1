"""The 帮扶与经费 page through AppTest: the report's 2020 aid batch, drill to the payments."""

from __future__ import annotations

import pytest

from dashboard.data import clear_caches
from tests import apptest_tools as tools

PAGE = "pages/money.py"


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def test_2020_aid_reads_as_the_report(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE)
    shown = tools.metrics(at)
    assert shown["特困帮扶"] == ("182 人", "45.00 万元")
    assert shown["人均帮扶"][0] == "2,473 元/人"  # money per person, whole 元
    assert shown["慰问品（实物）"][0] == "3.50 万元"
    assert shown["序时进度"][0] == "100.0%"
    by_cat = tools.frame(at, "人员类别", "帮扶人数", "帮扶金额（元）")
    counts = dict(zip(by_cat["人员类别"], by_cat["帮扶人数"]))
    assert counts == {"离休干部": 56, "退休干部": 34, "遗属": 92, "合计": 182}
    assert float(by_cat.set_index("人员类别").loc["合计", "帮扶金额（元）"]) == 450_000.0


def test_execution_against_time_progress_mid_year(monkeypatch, sqlite_demo_path):
    at = tools.open_page(
        monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE, {"start": "2020-01-01", "end": "2020-06-30"}
    )
    assert tools.metrics(at)["序时进度"][0] == f"{182 / 366 * 100:.1f}%"
    cats = tools.frame(at, "经费类别", "预算（元）")
    status = dict(zip(cats["经费类别"], cats["执行状态"]))
    assert status["精准服务"] == "▼ 偏慢"  # precise services are paid late in the year


def test_drill_area_category_payments(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    tools.select_point(at, "money_area_chart", "city")
    assert at.query_params["drill_area"] in ("city", ["city"])
    tools.select_point(at, "money_category_chart", "hardship_aid")
    assert at.query_params["drill_category"] in ("hardship_aid", ["hardship_aid"])
    payments = tools.frame(at, "支付日期", "区域", "金额（元）")
    assert set(payments["区域"]) == {"市直"}
    assert payments["受助人"].str.contains(r"\*").all()
    cash = payments[payments["形式"] == "现金"]["金额（元）"].sum()
    goods = payments[payments["形式"] == "实物"]["金额（元）"].sum()
    shown = tools.metrics(at)
    assert f"{cash / 10_000:,.2f} 万元" == shown["特困帮扶"][1]
    assert f"{goods / 10_000:,.2f} 万元" == shown["慰问品（实物）"][0]


def test_bad_category_in_the_link(monkeypatch, sqlite_demo_path):
    at = tools.open_page(
        monkeypatch, f"sqlite:///{sqlite_demo_path}", PAGE, {"drill_area": "city", "drill_category": "fireworks"}
    )
    assert any("fireworks" in w.value for w in at.warning)
    tools.frame(at, "经费类别", "预算（元）")  # the area level renders


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.money_view",
        {"_kpi_figures", "_by_area", "_by_category", "_cumulative", "_precise_share", "_aid_tables", "_unaided"},
    )


def test_a_warm_run_of_the_payments_behind_a_bar_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.money_view",
        {"_kpi_figures", "_payments"},
        params={"drill_area": "city", "drill_category": "hardship_aid"},
    )
