"""The 重点人群 page through AppTest: headline counts equal hand-written SQL, small cells are
hidden, and the drill area → group → masked list works by click and by URL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.data import clear_caches
from data_access.db import make_engine
from tests import apptest_tools as tools

PAGE = "pages/groups.py"
ALIVE = "entry_date < :e AND (death_date IS NULL OR death_date >= :e)"
CONDITIONS = {  # KPI label -> SQL condition (ages at 2020-12-31)
    "80岁以上": "birth_date <= '1940-12-31'",
    "90岁以上": "birth_date <= '1930-12-31'",
    "100岁以上": "birth_date <= '1920-12-31'",
    "独居": "lives_alone = :t",
    "丧偶": "widowed = :t",
    "空巢": "empty_nest = :t",
    "失独": "lost_only_child = :t",
    "“五不”（至少一项）": "(impaired_mobility = :t OR impaired_vision = :t OR impaired_hearing = :t"
    " OR impaired_speech = :t OR impaired_memory = :t)",
    "重病": "health_status = 'serious'",
    "失能（残疾）": "disabled = :t",
    "异地居住": "(relocated = :t OR lives_away = :t)",
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def sql(url: str, query: str, **params):
    with make_engine(url).connect() as c:
        return c.execute(sa.text(query), {"e": dt.date(2021, 1, 1), "t": True, **params}).all()


def count(url: str, cond: str, extra: str = "") -> int:
    return int(sql(url, f"SELECT COUNT(*) FROM people WHERE {ALIVE} AND {cond} {extra}")[0][0])


def shown(n: int) -> str:
    return "<5 人" if 0 < n < 5 else f"{n:,} 人"


def downloads(at) -> list[str]:
    return [e.proto.id for e in at.get("download_button")]


def test_headline_counts_equal_sql(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    got = tools.metrics(at)
    people = count(url, "1 = 1")
    assert got["在册健在服务对象"][0] == f"{people:,} 人"
    for label, cond in CONDITIONS.items():
        n = count(url, cond)
        assert got[label][0] == shown(n), label
        if n >= 5:
            assert got[label][1] == f"占在册 {n / people * 100:.1f}%"
    assert got["80岁以上"][0] == "5,878 人"
    by_cat = tools.frame(at, "人群", "人数", "占在册比例")
    row = by_cat.set_index("人群").loc["90岁以上"]
    for col, cat in (("离休干部（人）", "veteran"), ("退休干部（人）", "retiree"), ("遗属（人）", "survivor")):
        n = count(url, CONDITIONS["90岁以上"], f"AND category = '{cat}'")
        assert str(row[col]).replace(",", "") == str(n)


def test_area_table_hides_small_cells_and_matches_sql(monkeypatch, tmp_path, sqlite_demo_path):
    """For a viewer whose small cells are hidden, a count of 1–4 reads "<5" and its
    complement "（已隐藏）"; every other cell equals SQL. A viewer with lists of people sees
    every cell as SQL counts it."""
    url = f"sqlite:///{sqlite_demo_path}"
    names = dict(sql(url, "SELECT name, code FROM areas"))
    hidden_somewhere = False
    shown_to_all = tools.open_page(monkeypatch, url, PAGE)  # (demo mode first: sign-in stays configured after)
    for at, hides in ((shown_to_all, False), (tools.hiding_small_cells(monkeypatch, tmp_path, url, PAGE), True)):
        table = tools.frame(at, "区域", "在册健在（人）").set_index("区域")
        for label, cond in CONDITIONS.items():
            raw = dict(sql(url, f"SELECT area_code, COUNT(*) FROM people WHERE {ALIVE} AND {cond} GROUP BY area_code"))
            for area, cell in table[label].items():
                n = int(raw.get(names[area], 0))
                if cell == "<5":
                    assert hides and 0 < n < 5, (label, area, n)
                    hidden_somewhere = True
                elif cell == "（已隐藏）":
                    assert hides and n > 0, (label, area, n)  # the complement of a small cell
                else:
                    assert int(str(cell).replace(",", "")) == n
                    assert not (hides and 0 < n < 5)
        assert "dl_groups_by_area" in " ".join(downloads(at))
    assert hidden_somewhere


def test_trend_table_equals_sql(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    trend = tools.frame(at, "年度", "在册健在（人）").set_index("年度")
    for year in (2018, 2019, 2020):
        e = dt.date(year + 1, 1, 1)
        n80 = sql(
            url,
            f"SELECT COUNT(*) FROM people WHERE {ALIVE} AND birth_date <= :b",
            e=e,
            b=dt.date(year - 80, 12, 31),
        )[0][0]
        assert int(str(trend.loc[str(year), "80岁以上"]).replace(",", "")) == n80
    shares = [float(trend.loc[str(y), "80岁以上占比"].rstrip("%")) for y in (2018, 2019, 2020)]
    assert shares == sorted(shares) and shares[0] < shares[-1]  # ageing


def test_drill_by_click_area_then_group(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE)
    tools.select_point(at, "groups_area_chart", "620122")
    assert at.query_params["drill_area"] in ("620122", ["620122"])
    assert tools.metrics(at)["80岁以上"][0] == shown(count(url, CONDITIONS["80岁以上"], "AND area_code = '620122'"))
    tools.select_point(at, "groups_group_chart", "lives_alone")
    assert at.query_params["drill_category"] in ("lives_alone", ["lives_alone"])
    people = tools.frame(at, "姓名", "联系电话", "年龄（周岁）")
    assert len(people) == count(url, CONDITIONS["独居"], "AND area_code = '620122'")
    assert people["姓名"].str.contains(r"\*").all()
    assert people["联系电话"].str.match(r"^\d{3}\*{4}\d{4}$").all()
    assert set(people["区域"]) == {"皋兰县"}
    assert "dl_groups_people" in " ".join(downloads(at))


def test_drill_by_url_and_bad_values(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, PAGE, {"year": "2019", "drill_area": "city", "drill_category": "widowed"})
    people = tools.frame(at, "姓名", "联系电话", "年龄（周岁）")
    n = sql(
        url, f"SELECT COUNT(*) FROM people WHERE {ALIVE} AND widowed = :t AND area_code = 'city'", e=dt.date(2020, 1, 1)
    )[0][0]
    assert len(people) == n > 0
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "620122", "drill_category": "fireworks"})
    assert any("fireworks" in w.value for w in at.warning)
    tools.frame(at, "人群", "人数")  # the area level renders
    assert len(at.get("plotly_chart")) >= 1
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_area": "999999"})
    assert any("999999" in w.value for w in at.warning)
    tools.frame(at, "区域", "在册健在（人）")  # back at the city level
    at = tools.open_page(monkeypatch, url, PAGE, {"drill_category": "widowed"})
    assert any("widowed" in w.value for w in at.warning)


def test_district_account_sees_its_area_and_only_masked_names(monkeypatch, tmp_path, sqlite_demo_path):
    """Signed in on a configured database: the scope cuts every figure, masking holds, and an
    account allowed to unmask sees full names."""
    url = f"sqlite:///{sqlite_demo_path}"
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", PAGE)
    assert not at.exception
    got = tools.metrics(at)
    for label in ("80岁以上", "独居", "“五不”（至少一项）"):
        assert got[label][0] == shown(count(url, CONDITIONS[label], "AND area_code = '620122'"))
    assert tools.frame(at, "区域", "在册健在（人）")["区域"].tolist() == ["皋兰县"]
    refused = tools.signed_in(
        monkeypatch, tmp_path, "gaolan", PAGE, {"drill_area": "city", "drill_category": "widowed"}
    )
    assert any("city" in w.value for w in refused.warning)
    names = {n for (n,) in sql(url, "SELECT name FROM people")}
    listed = tools.signed_in(
        monkeypatch, tmp_path, "leader", PAGE, {"drill_area": "620122", "drill_category": "widowed"}
    )
    people = tools.frame(listed, "姓名", "联系电话", "年龄（周岁）")
    assert not set(people["姓名"]) & names
    auditor = tools.signed_in(
        monkeypatch, tmp_path, "auditor", PAGE, {"drill_area": "620122", "drill_category": "widowed"}
    )
    full = tools.frame(auditor, "姓名", "联系电话", "年龄（周岁）")
    assert set(full["姓名"]) <= names and len(full) == len(people)


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        PAGE,
        "dashboard.groups_view",
        {"_kpi_texts", "_area_shares", "_area_rows", "_category_rows", "_trend_parts"},
    )
