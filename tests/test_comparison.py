"""区县对比: ranks with ties, every cell equal to the topic pages' own figure for that area,
and drill links that land on the filtered page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pandas as pd
import pytest

from dashboard import comparison as cmp
from dashboard import data
from dashboard.context import PageContext
from dashboard.data import clear_caches
from dashboard.url_state import Selection
from data_access import branches, money, people
from data_access import contacts as contacts_q
from data_access.filters import Filters, Period, Scope
from data_access.reference import fetch_areas
from tests import apptest_tools as tools

AS_OF = dt.date(2020, 12, 31)


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def test_ranks_with_ties_and_directions():
    table = pd.DataFrame(
        {m.key: [0.9, 0.95, 0.95, 0.8, 0.5] for m in cmp.METRICS},
        index=["a", "b", "c", "d", cmp.CITY_ROW],
    )
    table.loc[["a", "b", "c", "d"], "overdue"] = [10, 3, 3, 40]
    table.loc[["a", "b", "c", "d"], "execution"] = [0.97, 1.02, 0.90, 1.0]
    table.loc["d", "key_coverage"] = float("nan")
    r = cmp.ranks(table, time_progress=1.0)
    assert r["coverage"].tolist() == [3, 1, 1, 4]  # competition ranking, ties share the better rank
    assert r["overdue"].tolist() == [3, 1, 1, 4]  # fewer is better
    assert r["execution"].tolist() == [3, 2, 4, 1]  # closest to time progress is best
    assert r.loc["d", "key_coverage"] is pd.NA and r["key_coverage"].tolist()[:3] == [3, 1, 1]
    assert cmp.CITY_ROW not in r.index


def test_change_words():
    cov, over, alone = cmp.BY_KEY["coverage"], cmp.BY_KEY["overdue"], cmp.BY_KEY["lives_alone_share"]
    assert cmp.change_word(cov, 0.9, 0.95) == "▲ 改善" and cmp.change_word(cov, 0.95, 0.9) == "▼ 退步"
    assert cmp.change_word(over, 10, 5) == "▲ 改善" and cmp.change_word(over, 5, 10) == "▼ 退步"
    assert cmp.change_word(alone, 0.1, 0.2) == "上升" and cmp.change_word(cov, 0.9, 0.9) == "● 持平"


def shown(v):
    """A figure as the comparison holds it: NaN where the topic page hides it from this
    viewer (a small cell arrives as its text)."""
    return float("nan") if isinstance(v, str) else v


def context(url: str, filters: Filters, monkeypatch, scope: Scope | None = None) -> PageContext:
    monkeypatch.setenv("SERVICE_DB_URL", url)
    from data_access.db import make_engine

    with make_engine(url).connect() as c:
        areas = fetch_areas(c)
    return PageContext(
        selection=Selection(filters, year=2020),
        scope=scope or Scope.everything(),
        as_of=AS_OF,
        first_year=2018,
        areas=areas,
    )


@pytest.mark.parametrize("s", [Scope.everything(), Scope.everything().hiding_small_cells()], ids=["shown", "hidden"])
def test_every_cell_equals_the_topic_figure_for_that_area(monkeypatch, sqlite_demo_path, s):
    """For a viewer who sees small cells and for one who does not: a figure the topic page
    hides (a small cell) is not shown in the comparison either, every other one is equal."""
    url = f"sqlite:///{sqlite_demo_path}"
    f = Filters(Period.year(2020))
    ctx = context(url, f, monkeypatch, s)
    table = cmp.comparison(ctx, f)
    for area in ctx.area_names:
        fa = Filters(Period.year(2020), areas=(area,))
        row = table.loc[area]
        key = data.query(contacts_q.fetch_coverage, fa, s, key_cohort_only=True).iloc[0]
        cov = data.query(contacts_q.fetch_coverage, fa, s).iloc[0]
        fest = data.query(contacts_q.fetch_festival_completion, fa, s, as_of=AS_OF)
        br = data.query(branches.fetch_branch_summary, fa, s).iloc[0]
        aid = data.query(money.fetch_aid_summary, fa, s).iloc[0]
        hard = data.query(money.fetch_hardship_coverage, fa, s).iloc[0]
        pop = data.query(people.fetch_population_summary, fa, s).iloc[0]
        expected = {
            "key_coverage": key["coverage"],
            "coverage": cov["coverage"],
            "overdue": data.query(contacts_q.fetch_overdue_count, fa, s, as_of=AS_OF)["overdue"].sum(),
            "festival": fest["visited"].sum() / fest["listed"].sum(),
            "branches": br["branches"],
            "secretary_share": br["retiree_secretary_share"],
            "execution": data.execution_overall(fa, s)["execution_rate"],
            "aid_per_recipient": shown(aid["per_recipient"]),
            "hardship_coverage": shown(hard["coverage"]),
            "lives_alone_share": shown(pop["lives_alone"]) / pop["people"],
            "impaired_share": shown(pop["impaired"]) / pop["people"],
        }
        for key_name, value in expected.items():
            got = row[key_name]
            if pd.isna(value):
                assert pd.isna(got), (area, key_name)
            else:
                assert got == pytest.approx(float(value), rel=1e-9, abs=1e-9), (area, key_name)
    city = table.loc[cmp.CITY_ROW]
    assert city["coverage"] == pytest.approx(float(data.query(contacts_q.fetch_coverage, f, s).iloc[0]["coverage"]))
    assert city["overdue"] == table.drop(index=cmp.CITY_ROW)["overdue"].sum()


def test_page_cells_match_the_topic_pages(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/districts.py")
    shown = at.dataframe[0].value  # styled values are the underlying numbers
    contacts = tools.open_page(monkeypatch, url, "pages/contacts.py", {"area": "620122"})
    assert tools.metrics(contacts)["联系覆盖率"][0].endswith(f" · {shown.loc['皋兰县', '联系覆盖率'] * 100:.1f}%")
    assert tools.metrics(contacts)["逾期未联系"][0] == f"{int(shown.loc['皋兰县', '逾期未联系（人）']):,} 人"
    overview = tools.open_page(monkeypatch, url, "pages/overview.py")
    assert tools.metrics(overview)["联系覆盖率"][0].endswith(f" · {shown.loc['全市', '联系覆盖率'] * 100:.1f}%")


def test_drill_links_land_on_the_filtered_page(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/districts.py", {"year": "2019"})
    links = {p.proto.page: parse_qs(p.proto.query_string) for p in at.get("page_link")}
    assert set(links) >= {"contacts", "branches", "money"}
    params = links["branches"]
    assert params["area"] == ["city"] and params["year"] == ["2019"] and params["from"] == ["districts"]
    landed = tools.open_page(monkeypatch, url, "pages/branches.py", {k: v for k, v in params.items()})
    assert any("2019 年 · 市直" in c.value for c in landed.caption)
    expected = data.query(
        branches.fetch_branch_summary, Filters(Period.year(2019), areas=("city",)), Scope.everything()
    ).iloc[0]
    assert tools.metrics(landed)["离退休干部党支部"][0] == f"{int(expected['branches']):,} 个"
    back = [p for p in landed.get("page_link") if p.proto.page == "districts"]
    assert back and parse_qs(back[0].proto.query_string, keep_blank_values=True)["area"] == [""]


def test_opens_on_a_metric_every_area_has_and_profiles_rates_only(monkeypatch, sqlite_demo_path):
    """Key-cohort coverage exists for 市直 only: the page opens on 联系覆盖率, its 同比 table
    has a figure in every row, and the profile
    (city = 100) holds rates and shares only (issue #18)."""
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/districts.py")
    assert at.selectbox(key="cmp_metric").value == "coverage"
    assert all(m.kind == "rate" for m in cmp.PROFILE_METRICS)
    assert {"overdue", "branches", "aid_per_recipient"}.isdisjoint(m.key for m in cmp.PROFILE_METRICS)
    yoy = at.dataframe[-1].value
    assert len(yoy) == 10 and "—" not in yoy["本期"].tolist()
    at.selectbox(key="cmp_metric").set_value("key_coverage").run()
    assert any("8 个区域没有该指标" in c.value for c in at.caption)
    assert len(at.dataframe[-1].value) == 2  # 市直 and 全市; the others are named in a caption
    assert cmp.change_word(cmp.BY_KEY["coverage"], 0.9951, 0.9949) == "● 持平"  # reads 0.0 个百分点


def test_the_composite_is_the_mean_rank_over_metrics_every_area_has(monkeypatch, sqlite_demo_path):
    """The meeting screen's 区县综合排名 and the comparison's caption use one composite: the
    mean rank over the directional metrics every area has (not key-cohort coverage, which
    only some areas have; not the descriptive ones)."""
    table = pd.DataFrame({m.key: [0.9, 0.95, 0.8, 0.9] for m in cmp.METRICS}, index=["a", "b", "c", cmp.CITY_ROW])
    table.loc[["a", "b", "c"], "overdue_rate"] = [0.05, 0.01, 0.09]  # issue #26: rates, not counts
    table.loc["c", "key_coverage"] = float("nan")
    mean, used = cmp.composite(table, cmp.ranks(table, time_progress=0.9))
    assert {m.better for m in used} <= {"high", "low", "pace"} and "key_coverage" not in {m.key for m in used}
    assert mean.idxmin() == "b" and mean.idxmax() == "c"
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/districts.py")
    caption = next(c.value for c in at.caption if c.value.startswith("综合名次"))
    assert "平均值" in caption and caption.index("1 ") < caption.index("2 ")


def test_the_metric_chart_marks_lagging_areas_by_the_one_rule(monkeypatch, sqlite_demo_path):
    """The chart's 口径 says areas 1 point or more below the city are marked ▼: the bars say
    so too (rules.lags), and only those."""
    import json

    from dashboard import charts
    from data_access import rules

    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/districts.py", {"year": "2020"})
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.rsplit("-", 1)[-1].startswith("cmp_bars"))
    fig = json.loads(chart.proto.spec)
    bar = next(t for t in fig["data"] if t["type"] == "bar")
    city = next(s["y0"] for s in fig["layout"]["shapes"] if s.get("y0") == s.get("y1") and s["y0"] < 1)
    expected = [rules.lags(v, city) for v in bar["y"]]
    assert any(expected), "the demo year has a lagging area (皋兰县 98.2% against 99.4%)"
    assert [c == charts.VERMILION for c in bar["marker"]["color"]] == expected
    assert [("▼" in t) for t in bar["text"]] == expected


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        "pages/districts.py",
        "dashboard.districts_view",
        {"_comparison", "_table_parts", "_by_metric", "_profile", "_year_over_year"},
    )


def test_the_styled_tables_drawn_from_shared_parts_stay_the_same(monkeypatch, sqlite_demo_path):
    """The styled tables' parts are derived once and shared: Streamlit's drawing of a run's
    Styler leaves them as they were, so a warm run and another session show the same cells,
    texts and colours as the first run (the Styler's random uuid aside)."""
    url = f"sqlite:///{sqlite_demo_path}"

    def styled(at):
        out = []
        for d in at.dataframe[:2]:
            s = d.proto.arrow_data.styler
            assert s.styles and s.display_values
            out.append((s.styles.replace(f"#T_{s.uuid}_", "#T_"), s.display_values, d.proto.arrow_data.data))
        return out

    at = tools.open_page(monkeypatch, url, "pages/districts.py")
    first = styled(at)
    at.run()
    assert styled(at) == first
    assert styled(tools.open_page(monkeypatch, url, "pages/districts.py")) == first
    assert "（1）" in at.dataframe[0].proto.arrow_data.styler.display_values.decode("utf-8", "replace")
