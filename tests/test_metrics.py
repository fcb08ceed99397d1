"""The metric catalogue (issue #23, points 1 and 2): one record per figure, each rule
checked at its boundary, and every place judging one figure agreeing with the others."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, labels, metrics, status
from dashboard import comparison as cmp
from data_access import contacts, money, rules
from data_access.filters import Filters, Period, Scope

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------- the catalogue itself


def test_every_record_is_complete_and_found_by_key_and_name():
    assert len({m.key for m in metrics.ALL}) == len(metrics.ALL)
    for m in metrics.ALL:
        assert metrics.get(m.key) is m
        assert m.name and m.help.endswith(("。", "）")), m.key
        assert metrics.by_name(m.name).name == m.name
        assert m.kind in (metrics.RATE, metrics.COUNT, metrics.MONEY, metrics.PER_PERSON, metrics.AGE, metrics.DAYS)
        assert m.better in (metrics.HIGH, metrics.LOW, metrics.PACE, metrics.NONE)
        assert m.rule in metrics.RULE_THRESHOLDS
        if m.rule == metrics.PACE_RULE:
            assert m.better == metrics.PACE
        if m.source is not None:
            assert m.source.__module__.startswith("data_access.") and m.value
        assert dict(m.__dataclass_fields__).keys() >= {"key", "kind", "unit", "better", "rule", "source"}
    with pytest.raises(KeyError, match="no metric 'nope'"):
        metrics.get("nope")


def test_every_kpi_card_and_text_is_a_catalogue_record():
    """No KPI text without a record, and every card a page draws names a record."""
    assert set(labels.KPI) == set(metrics.BY_KEY)
    called = set()
    for path in [*ROOT.glob("dashboard/*.py"), *ROOT.glob("pages/*.py")]:
        called |= set(re.findall(r'kpi\(\s*\w+(?:\[\d\])?,\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert called and called <= set(metrics.BY_KEY), called - set(metrics.BY_KEY)


def test_the_comparison_reads_the_catalogue():
    assert cmp.Metric is metrics.Metric
    assert cmp.METRICS == metrics.COMPARED and all(m.compared for m in cmp.METRICS)
    assert [m.label for m in cmp.METRICS][:3] == ["重点对象联系覆盖率", "联系覆盖率", "逾期未联系（人）"]
    assert cmp.BY_KEY["overdue"].rank_help == metrics.get("overdue").help + labels.RANK_NOTE["overdue"]


def test_format():
    assert metrics.get("coverage").format(0.99449) == "99.4%"
    assert metrics.get("overdue").format(1311) == "1,311 人"
    assert metrics.get("overdue").format(1311, unit=False) == "1,311"
    assert metrics.get("aid_per_recipient").format(2426.4) == "2,426 元/人"
    assert metrics.get("goods").format(35000) == "3.50 万元"
    assert metrics.get("average_age").format(81.25) == "81.2 岁"
    assert metrics.get("coverage").format(float("nan")) == "—"
    assert metrics.get("veterans").format("<5") == "<5"


# ---------------------------------------------------------------------------- each rule at its boundary

_JUST = 1e-4  # a hundredth of a point: "just over" and "just under" the threshold


def _boundary_cases(m: metrics.Metric):
    """(value, reference, flagged) at exactly the threshold, just inside and just outside."""
    if m.rule == metrics.LAG:
        ref = 0.99
        return [
            (ref - rules.LAG, ref, True),
            (ref - rules.LAG + _JUST, ref, False),
            (ref - rules.LAG - _JUST, ref, True),
        ]
    if m.rule == metrics.PACE_RULE:
        tp = 0.5
        return [
            (tp - rules.PACE_BEHIND, tp, True),
            (tp - rules.PACE_BEHIND + _JUST, tp, False),
            (tp - rules.PACE_BEHIND - _JUST, tp, True),
            (rules.OVERSPENT, 1.0, False),
            (rules.OVERSPENT + _JUST, 1.0, True),
        ]
    if m.rule == metrics.TARGET:
        return [(1.0, None, False), (1.0 - _JUST, None, True), (1.0 + _JUST, None, False)]
    if m.rule == metrics.GAPS:
        b = rules.BRANCH_COMPLETE
        return [(b, None, False), (b - _JUST, None, True)]
    return [(0.5, 0.99, False)]


@pytest.mark.parametrize("m", metrics.ALL, ids=lambda m: m.key)
def test_each_rule_at_its_boundary(m):
    for value, reference, flagged in _boundary_cases(m):
        j = m.judge(value, reference)
        assert j.flagged is flagged, (m.key, value, reference, j)
        assert bool(j.mark in ("▼", "▲")) is flagged
    assert not m.judge(float("nan"), 0.5).flagged and not m.judge(None, 0.5).flagged


def test_the_pace_judgement_is_the_pages_status_word():
    m = metrics.get("execution")
    for rate in [i / 1000 for i in range(0, 1101, 7)] + [0.45, 0.4501, 0.4499, 1.0, 1.0001]:
        assert m.judge(rate, 0.5).text == status.pace_status(rate, 0.5)
        reading = status.pace_text(rate, 0.5)
        assert reading is None or reading.startswith(m.judge(rate, 0.5).text + "：")


# ---------------------------------------------------------------------------- one figure, one judgement everywhere


@pytest.mark.parametrize(
    ("rate", "progress"),
    [(0.9504, 1.0), (0.4501, 0.5), (0.45, 0.5), (0.9, 0.95), (0.95004, 1.0), (0.9496, 1.0), (0.4999, 0.5)],
)
def test_the_kpi_reading_never_quotes_a_gap_across_the_threshold(rate, progress):
    """status.pace_text(0.9504, 1.0) read "● 正常：慢于序时 5.0 个百分点": a gap the 口径 calls
    偏慢 under a normal status. The gap now reads with the digits that keep it on its side."""
    text = status.pace_text(rate, progress)
    behind = rules.budget_pace(rate, progress) == rules.BEHIND
    gap = float(text.split("慢于序时 ")[1].split(" ")[0]) if "慢于序时" in text else 0.0
    assert (gap >= rules.PACE_BEHIND * 100) is behind, text
    table_gap = status.pace_gap(rate, progress)
    assert (abs(float(table_gap)) >= rules.PACE_BEHIND * 100) is behind, table_gap  # (a number: 百分点)
    assert status.pace_text(0.9504, 1.0) == "● 正常：慢于序时 4.96 个百分点"


def _table(area_rate: float, city_rate: float) -> pd.DataFrame:
    row = {m.key: 0.5 for m in cmp.METRICS}
    return pd.DataFrame(
        [{**row, "coverage": area_rate}, {**row, "coverage": city_rate}], index=["620123", cmp.CITY_ROW]
    ).astype("float64")


@pytest.mark.parametrize(
    ("area", "city"),
    [(0.988, 0.994), (0.984, 0.994), (0.9841, 0.994), (0.98, 0.99), (0.985, 0.99), (0.999, 0.985), (0.5, 0.9)],
)
def test_profile_metric_chart_and_screen_agree(area, city):
    """区县对比: 榆中县's 98.8% against the city's 99.4% was vermilion in the profile
    (abs(index-100) >= 0.5) and blue without ▼ in the metric chart (rules.lags)."""
    table = _table(area, city)
    cov = cmp.BY_KEY["coverage"]
    lagging = rules.lags(area, city)
    assert cmp.lagging(table, cov, ["620123"]) == [lagging]  # the metric chart's ▼
    marks = cmp.profile_marks(table, "620123")
    assert (marks[[m.key for m in cmp.PROFILE_METRICS].index("coverage")] == "worse") is lagging
    assert cov.judge(area, city).flagged is lagging  # the screen's ▼ and the catalogue's word
    fig = charts.profile([m.label for m in cmp.PROFILE_METRICS], cmp.profile_index(table, "620123"), marks, title="t")
    colour = fig.data[0].marker.color[[m.key for m in cmp.PROFILE_METRICS].index("coverage")]
    assert (colour == charts.VERMILION) is lagging


def test_the_screen_marks_by_the_catalogue(monkeypatch, sqlite_demo_path):
    """The screen's coverage ▼ and budget ▼ are the catalogue's judgements of the same figures."""
    from dashboard import data
    from dashboard import screen as scr
    from dashboard.context import PageContext
    from dashboard.url_state import Selection
    from data_access.db import make_engine
    from data_access.money import period_time_progress
    from data_access.reference import fetch_areas

    url = f"sqlite:///{sqlite_demo_path}"
    monkeypatch.setenv("SERVICE_DB_URL", url)
    with make_engine(url).connect() as c:
        areas = fetch_areas(c)
    as_of = dt.date(2020, 12, 31)
    f = Filters(Period.year(2020))
    ctx = PageContext(Selection(f, 2020), Scope.everything(), as_of, 2018, areas)
    payload = scr.scope_payload(ctx, f, ("coverage", "budget"))
    cov = metrics.get("coverage")
    frame = cov.load(f, ctx.scope, as_of, by=("area_code",)).set_index("area_code")
    city, _, _ = cov.total(cov.load(f, ctx.scope, as_of))
    for row in payload["coverage"]["rows"]:
        code = next(k for k, v in ctx.area_names.items() if v == row["name"])
        assert row["short"] is cov.judge(frame.loc[code, "coverage"], city).flagged
    progress = period_time_progress(f.period.start, f.period.end, as_of)
    ex = data.query(money.fetch_budget_execution, f, ctx.scope, by=("budget_category",))
    behind = {
        labels.BUDGET_CATEGORY[c]: metrics.get("execution").judge(r, progress).state == rules.BEHIND
        for c, r, b in zip(ex["budget_category"], ex["execution_rate"], ex["budget"])
        if b > 0
    }
    assert {r["name"]: r["short"] for r in payload["budget"]["rows"]} == behind


def test_load_and_total_give_the_pages_figures(monkeypatch, sqlite_demo_path):
    """The catalogue's query and counts give the figure the pages show (the 2019 report's
    625 people, 100.0% key-cohort coverage)."""
    from dashboard import data

    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    f, s, as_of = Filters(Period.year(2019)), Scope.everything(), dt.date(2020, 12, 31)
    key = metrics.get("key_coverage")
    value, num, den = key.total(key.load(f, s, as_of))
    assert (key.format(value), int(num)) == ("100.0%", 625)
    fest = metrics.get("festival")
    value, num, den = fest.total(fest.load(f, s, as_of))
    frame = data.query(contacts.fetch_festival_completion, f, s, as_of=as_of)
    assert value == pytest.approx(frame["visited"].sum() / frame["listed"].sum())
    ex = metrics.get("execution")
    assert ex.total(ex.load(f, s, as_of))[0] == pytest.approx(data.execution_overall(f, s)["execution_rate"])
    life = metrics.get("activity")
    assert life.total(life.load(f, s, as_of))[0] == pytest.approx(data.org_life_overall(f, s, as_of)["completion"])
    for m in metrics.ALL:
        if m.source is not None:
            value, _, _ = m.total(m.load(f, s, as_of))
            assert isinstance(m.format(value), str), m.key


def test_the_readme_lists_the_catalogue():
    """The README's list of figures is the catalogue's (regenerate: python -m dashboard.metrics)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(metrics.README_BEGIN)[1].split(metrics.README_END)[0].strip()
    assert block == metrics.markdown_table()
    assert "dashboard/metrics.py" in (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
