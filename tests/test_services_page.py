"""The 精准服务 page through AppTest: the headline figures equal hand-written SQL and pandas,
and the drill area → service → masked requests works by click and by URL."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.data import clear_caches
from data_access import contacts
from data_access.db import make_engine
from data_access.filters import Filters, Period, Scope
from tests import apptest_tools as tools

PAGE = "pages/services.py"
GAPS = ("nursing", "long_term_care", "companionship")


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def requests(url: str, year: int = 2020, where: str = "") -> pd.DataFrame:
    """The period's requests with plain SQL; status and days worked out here in pandas."""
    s, e = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    with make_engine(url).connect() as c:
        rows = c.execute(
            sa.text(f"""SELECT sd.service, sd.requested_on, sd.delivered_on, p.area_code FROM service_deliveries sd
            JOIN people p ON p.id = sd.person_id WHERE sd.requested_on >= :s AND sd.requested_on < :e {where}"""),
            {"s": s, "e": e},
        ).all()
    df = pd.DataFrame(rows, columns=["service", "requested_on", "delivered_on", "area_code"])
    req = pd.to_datetime(df["requested_on"].astype(str))
    dlv = pd.to_datetime(df["delivered_on"].astype(str), errors="coerce")
    df["done"] = dlv.notna() & (dlv < pd.Timestamp(e))
    df["days"] = (dlv - req).dt.days.where(df["done"])
    return df


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def days(v: float) -> str:
    return f"{v:.1f} 天" if v % 1 else f"{v:.0f} 天"


def test_headline_figures_equal_independent_computation(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    got = tools.metrics(at)
    df = requests(url)
    done = df["done"]
    d = df.loc[done, "days"].to_numpy()
    assert got["服务申请"] == (f"{len(df):,} 件", f"已办结 {int(done.sum()):,} 件")
    assert got["办结率"][0] == f"已办结 {int(done.sum()):,} 件 · {pct(done.mean())}"
    assert got["期末未办结"][0] == f"{int((~done).sum()):,} 件"
    median = float(np.percentile(d, 50, method="inverted_cdf"))
    p90 = float(np.percentile(d, 90, method="inverted_cdf"))
    assert got["平均办理天数"] == (
        days(d.mean()),
        f"中位 {days(median)} · 九成在 {days(p90)}内",
    )  # issue #26: not "P90"
    gap = df["service"].isin(GAPS)
    assert got["三项短板办结率"] == (
        f"已办结 {int(df.loc[gap, 'done'].sum()):,} 件 · {pct(df.loc[gap, 'done'].mean())}",
        f"其他五项 {pct(df.loc[~gap, 'done'].mean())}",
    )
    with make_engine(url).connect() as c:
        tiers = contacts.fetch_tier_compliance(c, Filters(Period.year(2020)), Scope.everything(), dt.date(2020, 12, 31))
    owing, ok = int(tiers["owing"].sum()), int(tiers["compliant"].sum())
    assert got["按级联系达标率"] == (f"达标 {ok:,} 人 · {pct(ok / owing)}", f"未达标 {owing - ok:,} 人")
    assert got["服务申请"][0] == "8,628 件"  # the demo ledger in 2020


def test_service_table_equals_sql(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    table = tools.frame(at, "服务项目", "报告短板", "申请（件）").set_index("服务项目")
    df = requests(url)
    names = {"nursing": "医疗护理", "long_term_care": "长期照护", "companionship": "精神慰藉", "transport": "用车服务"}
    for code, name in names.items():
        sub = df[df["service"] == code]
        assert int(table.loc[name, "申请（件）"]) == len(sub)
        assert int(table.loc[name, "已办结（件）"]) == int(sub["done"].sum())
        assert table.loc[name, "办结率"] == pct(sub["done"].mean())
        assert table.loc[name, "报告短板"] == ("★" if code in GAPS else "")
    areas = tools.frame(at, "区域", "申请（件）").set_index("区域")
    assert int(areas.loc["皋兰县", "申请（件）"]) == int((df["area_code"] == "620122").sum())
    tiers = tools.frame(at, "服务等级", "联系周期", "在册人数")
    assert len(tiers) == 4


def test_drill_by_click_area_then_service(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    tools.select_point(at, "services_area_chart", "620122")
    assert at.query_params["drill_area"] in ("620122", ["620122"])
    area = requests(url, where="AND p.area_code = '620122'")
    assert tools.metrics(at)["服务申请"][0] == f"{len(area):,} 件"
    tools.select_point(at, "services_service_chart", "long_term_care")
    assert at.query_params["drill_category"] in ("long_term_care", ["long_term_care"])
    listed = tools.frame(at, "姓名", "联系电话", "状态")
    sub = area[area["service"] == "long_term_care"]
    assert len(listed) == len(sub)
    assert (listed["状态"] == "▲ 未办结").sum() == int((~sub["done"]).sum())
    got = tools.metrics(at)  # at the list, the headline figures are the service's own
    assert got["服务申请"] == (f"{len(sub):,} 件", f"已办结 {int(sub['done'].sum()):,} 件")
    assert got["办结率"][0] == f"已办结 {int(sub['done'].sum()):,} 件 · {pct(sub['done'].mean())}"
    assert got["平均办理天数"][0] == days(sub.loc[sub["done"], "days"].mean())
    assert set(listed.loc[listed["状态"] == "▲ 未办结", "办理天数"]) == {"—"}
    assert listed["姓名"].str.contains(r"\*").all() and listed["联系电话"].str.contains(r"\*{4}").all()
    assert any("dl_services_requests" in e.proto.id for e in at.get("download_button"))


def test_drill_by_url_and_bad_values(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE, {"year": "2019", "drill_area": "city", "drill_category": "nursing"})
    listed = tools.frame(at, "姓名", "联系电话", "状态")
    sub = requests(url, 2019, "AND p.area_code = 'city' AND sd.service = 'nursing'")
    assert len(listed) == len(sub) > 0
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620122", "drill_category": "fireworks"})
    assert any("fireworks" in w.value for w in at.warning)
    tools.frame(at, "服务项目", "报告短板")  # the area level renders
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_category": "nursing"})
    assert any("nursing" in w.value for w in at.warning)
    tools.frame(at, "区域", "申请（件）")  # back at the city level


def test_district_account_sees_its_area_and_only_masked_names(monkeypatch, tmp_path, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", PAGE)
    assert not at.exception
    area = requests(url, where="AND p.area_code = '620122'")
    assert tools.metrics(at)["服务申请"][0] == f"{len(area):,} 件"
    assert tools.frame(at, "区域", "申请（件）")["区域"].tolist() == ["皋兰县"]
    with make_engine(url).connect() as c:
        names = {n for (n,) in c.execute(sa.text("SELECT name FROM people")).all()}
    listed = tools.signed_in(
        monkeypatch, tmp_path, "leader", PAGE, {"drill_area": "620122", "drill_category": "nursing"}
    )
    rows = tools.frame(listed, "姓名", "联系电话", "状态")
    assert len(rows) > 0 and not set(rows["姓名"]) & names


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.services_view",
        {"_tier_totals", "_tier_parts", "_service_parts", "_area_parts", "_provider_parts"},
    )
