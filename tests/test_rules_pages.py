"""Issue #16 on screen (AppTest over the demo ledger): the pace reading and the status word
agree on one screen, the 需要关注 items follow the same rules as the topic pages, a rate
shows its count, and the meeting screen judges with the same rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from dashboard import formatting, labels
from dashboard.data import clear_caches
from data_access import money, rules
from data_access.db import make_engine
from tests import apptest_tools as tools

AS_OF = dt.date(2020, 12, 31)
PERIODS = [
    pytest.param({"year": "2020"}, dt.date(2020, 1, 1), dt.date(2021, 1, 1), id="2020"),
    pytest.param({"year": "2019"}, dt.date(2019, 1, 1), dt.date(2020, 1, 1), id="2019"),
    pytest.param({"start": "2020-01-01", "end": "2020-06-30"}, dt.date(2020, 1, 1), dt.date(2020, 7, 1), id="2020-h1"),
]


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


def raw_execution(url: str, start: dt.date, end: dt.date) -> dict[tuple[str, str], tuple[float, float]]:
    """(area, category) -> (budget, actual), by hand-written SQL."""
    years = ", ".join(str(y) for y in range(start.year, (end - dt.timedelta(days=1)).year + 1))
    with make_engine(url).connect() as c:
        budget = c.execute(
            sa.text(f"SELECT area_code, category, SUM(amount) FROM budgets WHERE year IN ({years}) GROUP BY 1, 2")
        ).all()
        actual = c.execute(
            sa.text(
                "SELECT area_code, category, SUM(amount) FROM disbursements "
                "WHERE paid_on >= :start AND paid_on < :end GROUP BY 1, 2"
            ),
            {"start": start, "end": end},
        ).all()
    out: dict[tuple[str, str], list[float]] = {}
    for a, k, v in budget:
        out.setdefault((a, k), [0.0, 0.0])[0] = float(v)
    for a, k, v in actual:
        out.setdefault((a, k), [0.0, 0.0])[1] = float(v)
    return {key: (b, x) for key, (b, x) in out.items()}


@pytest.mark.parametrize(("params", "start", "end"), PERIODS)
def test_money_page_reading_and_status_agree(monkeypatch, sqlite_demo_path, params, start, end):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/money.py", params)
    shown = tools.metrics(at)
    progress = money.period_time_progress(start, end, AS_OF)
    cells = raw_execution(url, start, end)
    budget = sum(b for b, _ in cells.values())
    actual = sum(x for _, x in cells.values())
    rate = actual / budget
    # The overall figure: "支出 · 执行率", and a reading whose status word is the rule's.
    assert shown["预算执行率"][0] == f"已支出 {formatting.yuan(actual)} · {formatting.percent(rate)}"
    assert shown["预算执行率"][1].startswith(labels.PACE_STATUS[rules.budget_pace(rate, progress)] + "：")
    # The precise-service card and the 精准服务 row of the category table: one verdict.
    cats = tools.frame(at, "经费类别", "预算（元）")
    word = dict(zip(cats["经费类别"], cats["执行状态"]))
    # (issue 26: the gap is a plain number of points, the unit in the header)
    gap = dict(zip(cats["经费类别"], cats["与序时进度之差（百分点）"]))
    reading = shown["精准服务经费执行率"][1]
    assert reading.startswith(word["精准服务"] + "：")
    assert reading.split("：")[1].split(" ")[0] == ("慢于序时" if float(gap["精准服务"]) < 0 else "快于序时")
    assert reading.split(" ")[-2] == f"{abs(float(gap['精准服务'])):.1f}"
    # Every row's status word is the rule applied to hand-written SQL.
    by_cat: dict[str, tuple[float, float]] = {}
    for (_, k), (b, x) in cells.items():
        by_cat[k] = (by_cat.get(k, (0.0, 0.0))[0] + b, by_cat.get(k, (0.0, 0.0))[1] + x)
    for code, name in labels.BUDGET_CATEGORY.items():
        if name in word:
            b, x = by_cat[code]
            assert word[name] == labels.PACE_STATUS[rules.budget_pace(x / b if b else None, progress)], name
    # No "▼ 慢于序时" beside "● 正常" anywhere on the page's cards.
    for _value, delta in shown.values():
        if delta and "慢于序时" in delta and delta.startswith(labels.PACE_STATUS[rules.ON_PACE]):
            assert float(delta.split("慢于序时 ")[1].split(" ")[0]) < rules.PACE_BEHIND * 100


@pytest.mark.parametrize(("params", "start", "end"), PERIODS[:2])
def test_overview_attention_follows_the_page_rules(monkeypatch, sqlite_demo_path, params, start, end):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/overview.py", params)
    shown = tools.metrics(at)
    items = [m.value for m in at.markdown if labels.SEVERITY_WATCH in m.value or labels.SEVERITY_URGENT in m.value]
    progress = money.period_time_progress(start, end, AS_OF)
    cells = raw_execution(url, start, end)
    behind = [
        key
        for key, (b, x) in cells.items()
        if key[1] in rules.PACED_CATEGORIES and b > 0 and rules.budget_pace(x / b, progress) == rules.BEHIND
    ]
    budget_items = [i for i in items if "经费执行偏慢" in i]
    assert len(behind) > 0 and len(budget_items) == 1
    assert f"{len(behind):,} 项经费执行偏慢（慢于序时进度 5 个百分点及以上）" in budget_items[0]
    # The overview reads budget execution exactly as the money page does.
    money_page = tools.open_page(monkeypatch, url, "pages/money.py", params)
    # (总览's cards add their 同比: the reading before it is the page's)
    assert tools.without_yoy(shown["预算执行率"]) == tools.metrics(money_page)["预算执行率"]
    assert tools.without_yoy(shown["精准服务经费执行率"]) == tools.metrics(money_page)["精准服务经费执行率"]
    # Branches with gaps: the 需要关注 count, the overview card and the 党支部 page's list agree.
    branches_page = tools.open_page(monkeypatch, url, "pages/branches.py", params)
    gaps = tools.frame(branches_page, "支部名称", "区域", "支部类型", "党员（人）", "应开展月数")
    assert tools.without_yoy(shown["组织生活完成率"]) == tools.metrics(branches_page)["组织生活完成率"]
    assert tools.without_yoy(shown["组织生活完成率"])[1] == f"{len(gaps):,} 个支部有缺项"
    branch_items = [i for i in items if "组织生活有缺项" in i]
    assert len(branch_items) == 1 and f"{len(gaps):,} 个党支部组织生活有缺项（完成率低于 100%）" in branch_items[0]
    done = int(gaps["已开展月数"].sum())
    assert done < int(gaps["应开展月数"].sum())
    # Lagging areas: 1 point or more below the city, as the coverage chart's ▼.
    lagging = [i for i in items if "联系覆盖率" in i and "低于全市" in i]
    contacts = tools.open_page(monkeypatch, url, "pages/contacts.py", params)
    by_area = tools.frame(contacts, "区域", "在册人数")
    city = by_area["已联系人数"].sum() / by_area["在册人数"].sum()
    assert shown["联系覆盖率"][0] == f"已联系 {int(by_area['已联系人数'].sum()):,} 人 · {formatting.percent(city)}"
    rows = zip(by_area["区域"], by_area["在册人数"], by_area["已联系人数"])
    expected = [a for a, p, r in rows if rules.lags(r / p, city)]
    assert len(lagging) == len(expected) and all(any(a in i for i in lagging) for a in expected)


def test_a_rate_shows_its_count(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    overview = tools.metrics(tools.open_page(monkeypatch, url, "pages/overview.py", {"year": "2019"}))
    assert overview["重点对象联系覆盖率"][0] == "已联系 625 人 · 100.0%"
    assert overview["离退休党员任书记比例"][0] == "离退休党员任书记 270 个 · 84.9%"
    branches = tools.metrics(tools.open_page(monkeypatch, url, "pages/branches.py", {"year": "2019"}))
    assert tools.without_yoy(overview["组织生活完成率"]) == branches["组织生活完成率"]
    assert branches["组织生活完成率"][0].split(" · ")[0].endswith(" 支部月")
    contacts = tools.metrics(tools.open_page(monkeypatch, url, "pages/contacts.py", {"year": "2019"}))
    assert contacts["重点对象联系覆盖率"][0] == "已联系 625 人 · 100.0%"
    # Every card whose figure is a rate carries a count before it ("N 人 · x%", "N 件 · x%", …).
    pages = ("overview", "contacts", "branches", "money", "services", "suggestions", "talent")
    for page in pages:
        at = tools.open_page(monkeypatch, url, f"pages/{page}.py", {"year": "2019"})
        for m in at.metric:
            value = tools.reading(m.value)
            if value.endswith("%") and m.label != "序时进度":
                assert " · " in value, (page, m.label, value)


def test_screen_judges_with_the_same_rules(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/screen.py", {"year": "2019"})
    page = "".join(h.proto.body for h in at.get("html"))
    payload = json.loads(page.split("window.__meetingScreenData = ", 1)[1].split(";\n", 1)[0].replace("\\u003c", "<"))
    city = payload["scopes"][0]["panels"]
    assert city["overview"]["key_reached"] == 625 and city["overview"]["key_coverage"] == 100.0
    progress = city["budget"]["progress"] / 100
    for row in city["budget"]["rows"]:
        assert row["short"] == (rules.budget_pace(row["value"] / 100, progress) == rules.BEHIND), row
    assert any(r["short"] for r in city["budget"]["rows"])
    assert "5 个百分点及以上" in city["budget"]["legend"]
    cov = city["coverage"]
    for row in cov["rows"]:
        # the screen carries rounded percentages; judge them with the rule, away from the line
        if abs(cov["city"] - row["value"] - rules.LAG * 100) > 0.1:
            assert row["short"] == (cov["city"] - row["value"] >= rules.LAG * 100), row
    branches = tools.metrics(tools.open_page(monkeypatch, url, "pages/branches.py", {"year": "2019"}))
    assert f"{city['branches']['gaps']:,} 个支部有缺项" == branches["组织生活完成率"][1]
    assert (
        f"已开展 {city['branches']['org_life_done']:,} 支部月 · {city['branches']['org_life']:.1f}%"
        == (branches["组织生活完成率"][0])
    )
